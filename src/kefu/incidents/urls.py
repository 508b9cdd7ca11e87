from django.urls import path

from kefu.incidents import views, views_notice, views_plans, views_review

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("measures/", views_review.measures, name="measures"),
    path("survey/<str:token>/", views_review.survey, name="survey"),
    path("plan/<str:token>/", views_plans.plan_page, name="plan_page"),
    path("evidence/<str:token>/", views_review.evidence_file, name="evidence_file"),
    path("<int:incident_id>/", views.incident_page, name="incident"),
    path("<int:incident_id>/grid", views.grid, name="grid"),
    path("<int:incident_id>/pick", views.pick, name="pick"),
    path("<int:incident_id>/pick/search", views_notice.pick_search, name="pick_search"),
    path("<int:incident_id>/confirm/preview", views_notice.confirm_preview, name="confirm_preview"),
    path("<int:incident_id>/confirm", views.confirm, name="confirm"),
    path("<int:incident_id>/cancel", views.cancel, name="cancel"),
    path("<int:incident_id>/evidence", views.evidence, name="evidence"),
    path("<int:incident_id>/updates", views.send_update, name="send_update"),
    path("<int:incident_id>/updates/now", views.send_update_now, name="send_update_now"),
    path(
        "<int:incident_id>/outreach/<int:outreach_id>/record",
        views.outreach_record,
        name="outreach_record",
    ),
    path("<int:incident_id>/calls/<int:call_id>/record", views.call_record, name="call_record"),
    path("<int:incident_id>/calls/<int:call_id>/take", views.call_take, name="call_take"),
    path("<int:incident_id>/calls/<int:call_id>/number", views.call_number, name="call_number"),
    path("<int:incident_id>/plans", views.plan, name="plan"),
    path(
        "<int:incident_id>/plans/<int:plan_id>/send",
        views_plans.plan_send_view,
        name="plan_send",
    ),
    path("<int:incident_id>/impacts", views.impact, name="impact"),
    path("<int:incident_id>/meetings", views.meeting, name="meeting"),
    path("<int:incident_id>/meetings/<int:meeting_id>/minutes", views.minutes, name="minutes"),
    path("<int:incident_id>/resumption", views.start_resumption, name="start_resumption"),
    path(
        "<int:incident_id>/readiness/<int:item_id>/done",
        views.readiness_done,
        name="readiness_done",
    ),
    path(
        "<int:incident_id>/readiness/<int:item_id>/waive",
        views.readiness_waive,
        name="readiness_waive",
    ),
    path("<int:incident_id>/resume", views.resume, name="resume"),
    path("<int:incident_id>/review/", views_review.review, name="review"),
    path("<int:incident_id>/review/save", views_review.review_save, name="review_save"),
    path("<int:incident_id>/review/actions", views_review.review_action, name="review_action"),
    path("<int:incident_id>/review/close", views_review.close_review, name="close_review"),
    path(
        "<int:incident_id>/review/export.<str:fmt>",
        views_review.review_export,
        name="review_export",
    ),
]
