from django.urls import URLPattern, URLResolver, path

from kefu.kb import views, views_case, views_help

app_name = "kb"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.article_new, name="new"),
    path("preview/", views.preview, name="preview"),
    path("review/", views.review, name="review"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<int:synonym_id>/delete/", views.synonym_delete, name="synonym_delete"),
    path("searches/", views.zero_results, name="zero_results"),
    path("feedback/", views.feedback, name="feedback"),
    path("sections/", views.sections, name="sections"),
    path("images/<int:image_id>/", views.image, name="image"),
    path("<int:article_id>/", views.article, name="article"),
    path("<int:article_id>/edit/", views.article_edit, name="edit"),
    path("<int:article_id>/versions/", views.versions, name="versions"),
    path("<int:article_id>/submit/", views.submit, name="submit"),
    path("<int:article_id>/publish/", views.publish, name="publish"),
    path("<int:article_id>/return/", views.return_to_draft, name="return"),
    path("<int:article_id>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:article_id>/images/", views.image_upload, name="image_upload"),
    path("case/<int:case_id>/suggestions/", views_case.case_suggestions, name="case_suggestions"),
    path("case/<int:case_id>/insert/", views_case.case_insert, name="case_insert"),
    path("case/<int:case_id>/propose/", views_case.case_propose, name="case_propose"),
    path("help/", views_help.home, name="help"),
    path("help/search/", views_help.help_search, name="help_search"),
    path("help/s/<slug:section_slug>/", views_help.help_section, name="help_section"),
    path("help/a/<slug:slug>/", views_help.help_article, name="help_article"),
    path("help/a/<slug:slug>/feedback/", views_help.help_feedback, name="help_feedback"),
]
