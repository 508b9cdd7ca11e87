from django.urls import path

from kefu.customers import views, views_records

app_name = "customers"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("organisations/new/", views_records.organisation_edit, name="organisation_new"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views_records.organisation_edit,
        name="organisation_edit",
    ),
    path("contacts/new/", views_records.contact_edit, name="contact_new"),
    path("contacts/<int:contact_id>/edit/", views_records.contact_edit, name="contact_edit"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/reveal/", views.contact_reveal, name="contact_reveal"),
    path("import/", views.customers_import, name="import"),
    path("export/", views.customers_export, name="export"),
]
