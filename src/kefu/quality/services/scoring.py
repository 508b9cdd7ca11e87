"""QA scorecards (质检): pre-scores from the coach, an inspector's scores, calibration.

Each criterion is scored 1-5; the total is the weighted mean scaled to 0-100:
total = Σ(weight × value) / Σ(weight) / 5 × 100.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Commitment, Message
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import ConflictError, DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models import QaCalibration, QaCriterion, QaScore, QaScoreItem


def _coach() -> tuple[Callable[..., Any], Callable[[], Any]] | None:
    """The coach's ``coach_draft`` and ``active_lexicon``, or None while the engine lacks
    them (the scorecard then works without text pre-scores)."""
    try:
        engine = importlib.import_module("kefu.assist.engine")
        selectors = importlib.import_module("kefu.assist.selectors")
    except ImportError:
        return None
    draft = getattr(engine, "coach_draft", None)
    lexicon = getattr(selectors, "active_lexicon", None)
    if not callable(draft) or not callable(lexicon):
        return None
    return draft, lexicon


SCALE = range(1, 6)
# How many outbound messages the pre-score reads (the newest).
PRE_SCORE_MESSAGES = 30


def _flag_codes(draft: Any) -> list[str]:
    flags = getattr(draft, "flags", None)
    if flags is None and isinstance(draft, Mapping):
        flags = draft.get("flags", [])
    codes = []
    for flag in flags or []:
        code = getattr(flag, "code", None)
        if code is None and isinstance(flag, Mapping):
            code = flag.get("code")
        codes.append(str(code))
    return codes


def _flag(draft: Any, name: str) -> bool:
    value = getattr(draft, name, None)
    if value is None and isinstance(draft, Mapping):
        value = draft.get(name)
    return bool(value)


def _scored_replies(case: Case) -> list[tuple[int, str]]:
    """(author id, body) of the agents' replies a scorecard reads, newest first."""
    return list(
        Message.objects.filter(
            case=case, direction=Message.Direction.OUTBOUND, author__isnull=False
        )
        .order_by("-created_at", "-pk")
        .values_list("author_id", "body")[:PRE_SCORE_MESSAGES]
    )


def qa_scored_agent(case: Case) -> User | None:
    """The agent a scorecard of ``case`` is for: the author of most of the replies it
    reads (a tie goes to the one who wrote the newest of them), not whoever owns
    the case now; the owner only where no agent wrote to the customer."""
    replies = _scored_replies(case)
    if not replies:
        return case.owner
    counts: dict[int, int] = {}
    for author_id, _body in replies:
        counts[author_id] = counts.get(author_id, 0) + 1
    # ``replies`` is newest first and max() keeps the first of equals.
    author_id = max(counts, key=lambda pk: counts[pk])
    return User.objects.get(pk=author_id)


def qa_pre_scores(case: Case) -> dict[str, int | None]:
    """Automatic pre-scores (1-5) per criterion code; None where nothing can be judged.

    Commitments kept comes from the case's commitments (kept share of kept and
    broken, mapped onto 1-5). Empathy and positive language come from the
    coach's reading of the agents' outbound messages, when the coach is there:
    empathy 5 if any message shows it, else 2; positive language 5 minus one per
    negative phrasing (at least 1).
    """
    scores: dict[str, int | None] = dict.fromkeys(QaCriterion.Code.values)
    kept = Commitment.objects.filter(case=case, status=Commitment.Status.KEPT).count()
    broken = Commitment.objects.filter(case=case, status=Commitment.Status.BROKEN).count()
    if kept + broken:
        scores[QaCriterion.Code.COMMITMENTS_KEPT] = 1 + round(4 * kept / (kept + broken))
    coach = _coach()
    if coach is None:
        return scores
    coach_draft, active_lexicon = coach
    bodies = [body for _author, body in _scored_replies(case)]
    if not bodies:
        return scores
    lexicon = active_lexicon()
    language = case.contact.language
    negative = 0
    empathy = False
    for body in bodies:
        draft = coach_draft(body, {}, lexicon, language=language)
        codes = _flag_codes(draft)
        negative += codes.count("negative_phrasing")
        empathy = empathy or (_flag(draft, "empathy") and "missing_empathy" not in codes)
    scores[QaCriterion.Code.EMPATHY] = 5 if empathy else 2
    scores[QaCriterion.Code.POSITIVE_LANGUAGE] = max(1, 5 - negative)
    return scores


def rubric() -> list[QaCriterion]:
    """The active criteria in order."""
    return list(QaCriterion.objects.filter(is_active=True).order_by("position", "pk"))


def weighted_total(values: Mapping[str, int], criteria: list[QaCriterion]) -> float:
    """Σ(weight × value) / Σ(weight) / 5 × 100; 0 when every weight is 0."""
    weights = sum(c.weight for c in criteria)
    if not weights:
        return 0.0
    return sum(c.weight * values[c.code] for c in criteria) / weights / 5 * 100


@transaction.atomic
def qa_score_case(
    *,
    actor: User,
    case: Case,
    values: Mapping[str, int],
    feedback: str,
    at: datetime,
    calibration: QaCalibration | None = None,
) -> QaScore:
    """Score ``case`` on every active criterion (1-5) with feedback for its agent.

    In a calibration session each inspector scores once.
    """
    authorize(actor, Perm.SCORE_QUALITY)
    criteria = rubric()
    for criterion in criteria:
        if criterion.code not in values:
            raise DomainError(
                QualityErrorCode.MISSING_CRITERION,
                _("Score every criterion (missing: %(criterion)s)."),
                criterion=criterion.get_code_display(),
            )
        if values[criterion.code] not in SCALE:
            raise DomainError(QualityErrorCode.SCORE_OUT_OF_RANGE, _("Scores run from 1 to 5."))
    pre = qa_pre_scores(case)
    try:
        with transaction.atomic():
            score = QaScore.objects.create(
                case=case,
                agent=qa_scored_agent(case),
                inspector=actor,
                calibration=calibration,
                total=weighted_total(values, criteria),
                feedback=feedback.strip(),
                created_at=at,
            )
    except IntegrityError:
        raise ConflictError(
            QualityErrorCode.ALREADY_SCORED, _("You have already scored this session.")
        ) from None
    QaScoreItem.objects.bulk_create(
        QaScoreItem(score=score, criterion=c, value=values[c.code], pre_score=pre.get(c.code))
        for c in criteria
    )
    audit_record(
        actor=actor,
        action="quality.case_scored",
        target=score,
        at=at,
        after={"case": case.reference, "total": round(score.total, 1)},
    )
    return score


@transaction.atomic
def qa_calibration_open(*, actor: User, case: Case, title: str, at: datetime) -> QaCalibration:
    """Open a calibration session on ``case`` for inspectors to score and compare."""
    authorize(actor, Perm.SCORE_QUALITY)
    session = QaCalibration.objects.create(
        case=case, title=title.strip()[:200] or case.reference, created_by=actor, created_at=at
    )
    audit_record(actor=actor, action="quality.calibration_opened", target=session, at=at)
    return session
