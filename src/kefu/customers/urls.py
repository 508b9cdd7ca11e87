from django.urls import path

from kefu.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/reveal/", views.contact_reveal, name="contact_reveal"),
    path("import/", views.customers_import, name="import"),
    path("export/", views.customers_export, name="export"),
]
