from django.urls import URLPattern, path

from kefu.portal import views_status

app_name = "status"

urlpatterns: list[URLPattern] = [
    path("", views_status.index, name="index"),
    path("subscribe/", views_status.subscribe_view, name="subscribe"),
    path("confirm/<str:token>/", views_status.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views_status.unsubscribe, name="unsubscribe"),
]
