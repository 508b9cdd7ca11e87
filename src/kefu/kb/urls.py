from django.urls import URLPattern, URLResolver

app_name = "kb"

urlpatterns: list[URLPattern | URLResolver] = []
