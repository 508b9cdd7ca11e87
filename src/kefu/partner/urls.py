from django.urls import URLPattern, URLResolver

app_name = "partner"

urlpatterns: list[URLPattern | URLResolver] = []
