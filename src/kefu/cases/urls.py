from django.urls import path

from kefu.cases import (
    views,
    views_coach,
    views_files,
    views_manage,
    views_reply,
    views_requests,
)

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("summary/", views.summary, name="summary"),
    path("new/", views_manage.case_new, name="new"),
    path("requests/", views_requests.my_requests, name="requests"),
    path("requests/<int:case_id>/", views_requests.request_page, name="request"),
    path("new/contacts/", views_manage.contact_pick, name="contact_pick"),
    path("bulk/", views_manage.queue_bulk, name="bulk"),
    path("<int:case_id>/details/", views_manage.case_details, name="details"),
    path("<int:case_id>/assign/", views_manage.case_assign_owner, name="assign"),
    path("<int:case_id>/assign-team/", views_manage.case_assign_team, name="assign_team"),
    path("<int:case_id>/merge/", views_manage.case_merge_into, name="merge"),
    path("<int:case_id>/link/", views_manage.case_link_to, name="link"),
    path("<int:case_id>/watch/", views_manage.case_watch_toggle, name="watch"),
    path("views/save/", views.saved_view_save, name="saved_view_save"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("files/<int:attachment_id>/", views_files.attachment_file, name="attachment"),
    path("<int:case_id>/reply/", views_reply.reply, name="reply"),
    path("<int:case_id>/draft/", views_reply.draft_save, name="draft"),
    path("<int:case_id>/presence/", views_reply.presence, name="presence"),
    path("<int:case_id>/messages/<int:message_id>/resend/", views_reply.resend, name="resend"),
    path("<int:case_id>/note/", views.note, name="note"),
    path("<int:case_id>/status/", views.status, name="status"),
    path("<int:case_id>/take/", views.take, name="take"),
    path("<int:case_id>/escalate/", views.escalate, name="escalate"),
    path("<int:case_id>/over-heads/", views.over_heads, name="over_heads"),
    path("<int:case_id>/transfer/", views.transfer, name="transfer"),
    path("<int:case_id>/commitments/", views.commit, name="commit"),
    path(
        "<int:case_id>/commitments/<int:commitment_id>/close/",
        views.commitment_close,
        name="commitment_close",
    ),
    path("<int:case_id>/compensations/", views.compensate, name="compensate"),
    path(
        "<int:case_id>/compensations/<int:offer_id>/decide/",
        views.compensation_decide,
        name="compensation_decide",
    ),
    path("<int:case_id>/template/", views.template_text, name="template_text"),
    path("<int:case_id>/coach/", views_coach.coach_draft, name="coach"),
    path("<int:case_id>/playbook/<slug:step>/", views_coach.playbook_tick, name="playbook_tick"),
]
