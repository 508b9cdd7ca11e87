from django.urls import URLPattern, URLResolver, path

from kefu.portal import views

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.verify, name="verify"),
    path("logout/", views.sign_out, name="logout"),
    path("language/", views.language, name="language"),
    path("help/", views.help_search, name="help"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<str:reference>/", views.case, name="case"),
    path("cases/<str:reference>/reply/", views.case_reply, name="case_reply"),
    path("files/<int:attachment_id>/", views.attachment_file, name="file"),
]
