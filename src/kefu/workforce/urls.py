from django.urls import path

from kefu.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("forecasts/", views.forecasts, name="forecasts"),
    path("forecasts/<int:forecast_id>/", views.forecast, name="forecast"),
    path("forecasts/<int:forecast_id>/req.csv", views.forecast_requirements, name="forecast_req"),
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/<int:schedule_id>/", views.schedule, name="schedule"),
    path("schedules/<int:schedule_id>/status/", views.schedule_status, name="schedule_status"),
    path("schedules/<int:schedule_id>/publish/", views.schedule_publish, name="schedule_publish"),
    path("schedules/<int:schedule_id>/schedule.csv", views.schedule_csv, name="schedule_csv"),
    path(
        "schedules/<int:schedule_id>/agents/<str:username>.ics",
        views.schedule_agent_ics,
        name="schedule_agent_ics",
    ),
    path("my/", views.my_schedule, name="my"),
    path("my/schedule.ics", views.my_schedule_ics, name="my_ics"),
]
