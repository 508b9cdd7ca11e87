from django.contrib.auth import views as auth_views
from django.urls import path

from kefu.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("audit/", views.audit, name="audit"),
    path("healthz", views.healthz, name="healthz"),
]
