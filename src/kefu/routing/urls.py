from django.urls import URLPattern, URLResolver, path

from kefu.routing import views

app_name = "routing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/skills/", views.skill_add, name="skill_add"),
    path("skills/<int:skill_id>/remove/", views.skill_remove, name="skill_remove"),
    path("cases/<int:case_id>/panel/", views.case_panel, name="case_panel"),
    path("cases/<int:case_id>/requirements/", views.case_requirements, name="case_requirements"),
    path("cases/<int:case_id>/route/", views.case_route, name="case_route"),
]
