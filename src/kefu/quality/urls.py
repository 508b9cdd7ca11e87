from django.urls import path

from kefu.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("insights/", views.insights, name="insights"),
]
