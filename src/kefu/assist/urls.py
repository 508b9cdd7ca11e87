from django.urls import path

from kefu.assist import views

app_name = "assist"

urlpatterns = [
    path("", views.index, name="index"),
]
