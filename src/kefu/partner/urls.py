from django.urls import URLPattern, URLResolver, path

from kefu.partner import views

app_name = "partner"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:case_id>/summary-panel/", views.summary_panel, name="summary_panel"),
    path("cases/<int:case_id>/summary/", views.summary, name="summary"),
    path("cases/<int:case_id>/draft-panel/", views.draft_panel, name="draft_panel"),
    path("cases/<int:case_id>/draft/", views.draft, name="draft"),
    path("calls/", views.calls, name="calls"),
]
