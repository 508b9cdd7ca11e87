"""People: coaching before discipline, history, exits and retention; recruitment."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from kefu.core import field_keys
from kefu.core.errors import ConflictError, DomainError, PermissionDeniedError
from kefu.core.models import AuditEntry
from kefu.core.roles import Role
from kefu.floor import crypto, services
from kefu.floor.models import Candidate, CoachingConversation, DisciplinaryNote
from kefu.floor.selectors import people as selectors
from tests.core.factories import make_staff
from tests.floor.builders import Floor, at


def _coaching(floor: Floor) -> CoachingConversation:
    return services.coaching_record(
        actor=floor.lead,
        agent=floor.agents[0],
        topic="通话中打断客户",
        notes="回听了两通录音，客户还没说完就给了方案。",
        agreed_actions="先让客户说完，复述原因后再给方案；两周后一起回听。",
        at=at("09:00"),
    )


def test_disciplinary_note_without_a_conversation_is_refused(floor: Floor) -> None:
    with pytest.raises(ConflictError) as refused:
        services.disciplinary_note_record(
            actor=floor.lead, agent=floor.agents[0], coaching_id=None, text="迟到", at=at("10:00")
        )
    assert refused.value.code == "no_coaching_on_file"
    assert not DisciplinaryNote.objects.exists()


def test_database_refuses_a_note_without_a_conversation(floor: Floor) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DisciplinaryNote.objects.create(
            agent=floor.agents[0], author=floor.lead, recorded_at=at("10:00"), text="x"
        )


def test_note_rests_on_a_conversation_with_the_same_agent(floor: Floor) -> None:
    conversation = _coaching(floor)
    with pytest.raises(ConflictError) as refused:
        services.disciplinary_note_record(
            actor=floor.lead,
            agent=floor.agents[1],
            coaching_id=conversation.pk,
            text="x",
            at=at("10:00"),
        )
    assert refused.value.code == "coaching_for_another_agent"
    note = services.disciplinary_note_record(
        actor=floor.lead,
        agent=floor.agents[0],
        coaching_id=conversation.pk,
        text="两周后仍多次打断客户。",
        at=at("10:00"),
    )
    assert note.coaching == conversation
    assert AuditEntry.objects.filter(action="disciplinary_note.recorded").exists()


def test_agent_cannot_coach_or_discipline(floor: Floor) -> None:
    with pytest.raises(PermissionDeniedError):
        services.coaching_record(
            actor=floor.agents[1],
            agent=floor.agents[0],
            topic="x",
            notes="x",
            agreed_actions="x",
            at=at("09:00"),
        )


def test_empty_agreed_actions_are_refused(floor: Floor) -> None:
    with pytest.raises(DomainError):
        services.coaching_record(
            actor=floor.lead,
            agent=floor.agents[0],
            topic="t",
            notes="n",
            agreed_actions=" ",
            at=at("09:00"),
        )


def test_history_lists_hire_roles_transfers_skills_training(floor: Floor) -> None:
    agent = floor.agents[0]
    for kind, on, detail in [
        ("hired", date(2024, 3, 1), "热线坐席"),
        ("skill", date(2024, 6, 1), "英语热线"),
        ("training", date(2025, 1, 10), "投诉处理四步法"),
        ("role_change", date(2025, 9, 1), "质检专员"),
        ("transfer", date(2026, 2, 1), "热线二组"),
    ]:
        services.career_event_record(
            actor=floor.lead, agent=agent, kind=kind, on=on, detail=detail, at=at("09:00")
        )
    _coaching(floor)
    history = selectors.agent_history(floor.lead, agent)
    assert history.hired_on == date(2024, 3, 1)
    assert [e.kind for e in history.events] == [
        "hired",
        "skill",
        "training",
        "role_change",
        "transfer",
    ]
    assert len(history.coaching) == 1
    assert selectors.agent_history(agent, agent).agent == agent
    with pytest.raises(PermissionDeniedError):
        selectors.agent_history(floor.agents[1], agent)


def test_retention_counts_exits_and_role_changers(floor: Floor) -> None:
    manager = make_staff(role=Role.DEPARTMENT_MANAGER)
    stayer, leaver = floor.agents
    services.career_event_record(
        actor=manager, agent=stayer, kind="hired", on=date(2023, 1, 1), detail="", at=at("09:00")
    )
    services.career_event_record(
        actor=manager,
        agent=stayer,
        kind="role_change",
        on=date(2024, 1, 1),
        detail="",
        at=at("09:00"),
    )
    services.career_event_record(
        actor=manager, agent=leaver, kind="hired", on=date(2023, 1, 1), detail="", at=at("09:00")
    )
    services.exit_record(
        actor=manager,
        agent=leaver,
        left_on=date(2026, 5, 1),
        reason="monotony",
        notes="",
        at=at("09:00"),
    )
    with pytest.raises(ConflictError):
        services.exit_record(
            actor=manager,
            agent=leaver,
            left_on=date(2026, 5, 1),
            reason="pay",
            notes="",
            at=at("09:00"),
        )
    figures = selectors.retention_for(manager, today=date(2026, 11, 24))
    assert figures.role_changers == 1
    assert figures.role_changers_retained == 1.0
    assert figures.leavers_12_months == 1
    reasons = {reason: count for reason, _label, count in selectors.exit_reasons_for(manager)}
    assert reasons == {"pay": 0, "monotony": 1, "no_growth": 0, "other": 0}


def test_candidate_never_has_ethnicity_height_weight_or_marital_status() -> None:
    names = {field.name for field in Candidate._meta.get_fields()}
    for banned in (
        "ethnicity",
        "height",
        "weight",
        "marital_status",
        "marital",
        "nationality",
        "race",
    ):
        assert not any(banned in name for name in names), banned


def test_national_id_is_encrypted_masked_and_every_reveal_is_logged(floor: Floor) -> None:
    candidate = services.candidate_create(
        actor=floor.lead,
        changes={"name": "王芳", "education": "大专 市场营销", "languages": "普通话、英语"},
        national_id="11010119900307123x",
        at=at("09:00"),
    )
    assert "110101" not in candidate.national_id_ciphertext
    assert candidate.national_id_masked == "110***********123X"
    assert crypto.decrypt(candidate.national_id_ciphertext) == "11010119900307123X"

    agent = floor.agents[0]
    with pytest.raises(PermissionDeniedError):
        services.candidate_reveal_national_id(actor=agent, candidate=candidate, at=at("09:01"))
    assert not AuditEntry.objects.filter(action="candidate.pii_revealed").exists()

    value = services.candidate_reveal_national_id(
        actor=floor.lead, candidate=candidate, at=at("09:02")
    )
    assert value == "11010119900307123X"
    entry = AuditEntry.objects.get(action="candidate.pii_revealed")
    assert entry.actor == floor.lead
    assert "11010119900307123X" not in str(entry.after)


def test_invalid_national_id_is_refused(floor: Floor) -> None:
    with pytest.raises(DomainError):
        services.candidate_create(
            actor=floor.lead, changes={"name": "王芳"}, national_id="12345", at=at("09:00")
        )
    assert not Candidate.objects.exists()


def test_pipeline_moves_one_step_at_a_time(floor: Floor) -> None:
    candidate = services.candidate_create(
        actor=floor.lead, changes={"name": "李雷"}, at=at("09:00")
    )
    with pytest.raises(ConflictError):
        services.candidate_move(
            actor=floor.lead, candidate=candidate, stage="hired", at=at("09:01")
        )
    for stage in ("interviewed", "offered", "hired"):
        services.candidate_move(actor=floor.lead, candidate=candidate, stage=stage, at=at("09:02"))
    assert candidate.stage == "hired"
    with pytest.raises(ConflictError):
        services.candidate_move(
            actor=floor.lead, candidate=candidate, stage="declined", at=at("09:03")
        )


def test_key_from_settings_and_rotation(settings: object) -> None:
    from cryptography.fernet import Fernet

    old = crypto.encrypt("110101199003071234")
    new_key = Fernet.generate_key().decode()
    old_key = field_keys.generated_key().decode()
    settings.KEFU_FIELD_KEY = f"{new_key},{old_key}"  # type: ignore[attr-defined]
    rotated = crypto.rotate(old)
    settings.KEFU_FIELD_KEY = new_key  # type: ignore[attr-defined]
    assert crypto.decrypt(rotated) == "110101199003071234"
    with pytest.raises(crypto.UndecryptableError):
        crypto.decrypt(old)
