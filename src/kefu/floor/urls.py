from django.urls import path

from kefu.floor.views import floor, people, practices

app_name = "floor"

urlpatterns = [
    path("", floor.index, name="index"),
    path("hands/live/", floor.hands_live, name="hands_live"),
    path("hands/raise/", floor.hand_raise, name="hand_raise"),
    path("hands/<int:hand_id>/acknowledge/", floor.hand_acknowledge, name="hand_acknowledge"),
    path("hands/<int:hand_id>/close/", floor.hand_close, name="hand_close"),
    path("state/", floor.state_change, name="state_change"),
    path("break/", floor.break_start, name="break_start"),
    path("break/end/", floor.break_end, name="break_end"),
    path("leave/", floor.leave, name="leave"),
    path("leave/<int:leave_id>/decide/", floor.leave_decide, name="leave_decide"),
    path("leave/<int:leave_id>/cancel/", floor.leave_cancel, name="leave_cancel"),
    path("check-ins/<int:suggestion_id>/close/", floor.suggestion_close, name="suggestion_close"),
    path("intraday/", floor.intraday, name="intraday"),
    path("adherence/", floor.adherence, name="adherence"),
    path("meals/", floor.meals, name="meals"),
    path("meals/<int:alert_id>/resolve/", floor.meal_alert_resolve, name="meal_alert_resolve"),
    path("people/", people.people, name="people"),
    path("people/<int:user_id>/", people.person, name="person"),
    path("people/<int:user_id>/career/", people.career_event, name="career_event"),
    path("people/<int:user_id>/coaching/", people.coaching, name="coaching"),
    path("people/<int:user_id>/discipline/", people.discipline, name="discipline"),
    path("people/<int:user_id>/exit/", people.exit_record, name="exit_record"),
    path("people/<int:user_id>/contract/", practices.person_contract, name="person_contract"),
    path("people/<int:user_id>/onboarding/", practices.onboarding_tick, name="onboarding_tick"),
    path("people/<int:user_id>/overtime/", practices.overtime_record, name="overtime_record"),
    path("people/two-year/", practices.two_year, name="two_year"),
    path("policies/sick-pay/", practices.leave_policies, name="leave_policies"),
    path("overtime/", practices.overtime, name="overtime"),
    path("recruitment/openings/", practices.openings, name="openings"),
    path("recruitment/openings/<int:opening_id>/", practices.opening, name="opening"),
    path(
        "recruitment/openings/<int:opening_id>/score/",
        practices.interview_score,
        name="interview_score",
    ),
    path("recruitment/", people.candidates, name="candidates"),
    path("recruitment/<int:candidate_id>/", people.candidate, name="candidate"),
    path("recruitment/<int:candidate_id>/stage/", people.candidate_stage, name="candidate_stage"),
    path(
        "recruitment/<int:candidate_id>/reveal/", people.candidate_reveal, name="candidate_reveal"
    ),
]
