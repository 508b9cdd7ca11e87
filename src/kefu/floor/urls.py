from django.urls import path

from kefu.floor import views

app_name = "floor"

urlpatterns = [
    path("", views.index, name="index"),
    path("people/", views.people, name="people"),
]
