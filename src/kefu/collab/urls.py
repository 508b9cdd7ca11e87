from django.urls import path

from kefu.collab import views

app_name = "collab"

urlpatterns = [
    path("cases/<int:case_id>/panel/", views.panel, name="panel"),
    path("cases/<int:case_id>/invite", views.invite, name="invite"),
    path("cases/<int:case_id>/tasks/<int:item_id>/done", views.task_done, name="task_done"),
    path("cases/<int:case_id>/side", views.side_start, name="side_start"),
    path(
        "cases/<int:case_id>/side/<int:conversation_id>/reply",
        views.side_reply,
        name="side_reply",
    ),
    path("cases/<int:case_id>/meetings", views.meeting, name="meeting"),
    path(
        "cases/<int:case_id>/meetings/<int:meeting_id>.ics",
        views.meeting_file,
        name="meeting_file",
    ),
    path("cases/<int:case_id>/check-in", views.check_in, name="check_in"),
    path("cases/<int:case_id>/task-force", views.task_force, name="task_force"),
]
