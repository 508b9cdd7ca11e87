from django.urls import path

from kefu.quality import views, views_analysis, views_campaigns, views_qa, views_survey

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("insights/", views.insights, name="insights"),
    path("insights/export.csv", views.insights_csv, name="insights_csv"),
    path("insights/export.pdf", views.insights_pdf, name="insights_pdf"),
    path("s/<str:token>/", views_survey.survey, name="survey"),
    path("c/<str:token>/", views_campaigns.campaign_answer, name="campaign_answer"),
    path("campaigns/", views_campaigns.campaigns, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views_campaigns.campaign, name="campaign"),
    path(
        "campaigns/<int:campaign_id>/<str:part>.csv",
        views_campaigns.campaign_csv,
        name="campaign_csv",
    ),
    path("qa/", views_qa.qa_index, name="qa"),
    path("qa/mine/", views_qa.qa_mine, name="qa_mine"),
    path("qa/case/<int:case_id>/", views_qa.qa_case, name="qa_case"),
    path("qa/calibration/", views_qa.calibration_open, name="calibration_open"),
    path("qa/calibration/<int:session_id>/", views_qa.calibration, name="calibration"),
    path("servqual/", views_analysis.servqual, name="servqual"),
    path("kano/", views_analysis.kano, name="kano"),
    path("root-causes/", views_analysis.root_causes, name="root_causes"),
    path("root-causes/<int:analysis_id>/", views_analysis.root_cause, name="root_cause"),
    path("pareto/", views_analysis.pareto, name="pareto"),
    path("alarms/", views_analysis.alarms, name="alarms"),
    path("alarms/<int:alarm_id>/", views_analysis.alarm, name="alarm"),
]
