from django.urls import URLPattern, URLResolver, path

from kefu.automation import views

app_name = "automation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/dry-run/", views.dry_run, name="dry_run"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("rules/<int:rule_id>/runs/", views.rule_runs, name="rule_runs"),
    path("macros/", views.macros, name="macros"),
    path("macros/bulk/", views.macro_bulk, name="macro_bulk"),
    path("macros/bulk/options/", views.macro_bulk_options, name="macro_bulk_options"),
    path("cases/<int:case_id>/macros/", views.macro_panel, name="macro_panel"),
    path(
        "cases/<int:case_id>/macros/<int:macro_id>/apply/",
        views.macro_apply,
        name="macro_apply",
    ),
    path("webhooks/", views.webhook_list, name="webhooks"),
]
