from django.contrib import admin
from django.urls import include, path

from kefu.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("cases/", include("kefu.cases.urls")),
    path("customers/", include("kefu.customers.urls")),
    path("assist/", include("kefu.assist.urls")),
    path("incidents/", include("kefu.incidents.urls")),
    path("workforce/", include("kefu.workforce.urls")),
    path("quality/", include("kefu.quality.urls")),
    path("floor/", include("kefu.floor.urls")),
    path("", include("kefu.core.urls")),
]
