"""Writes of the coach: extending its word lists."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.assist.engine import LexiconError, known_lists, validate_entry
from kefu.assist.errors import AssistErrorCode, AssistInvalidError
from kefu.assist.models import LexiconEntry
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.models import User
from kefu.core.roles import Perm


def lexicon_entry_validate(entry: dict[str, object]) -> None:
    """Raise ``AssistInvalidError`` unless the engine accepts ``entry`` (with "list")."""
    if entry.get("list") not in known_lists() or entry.get("list") == "missing":
        raise AssistInvalidError(
            AssistErrorCode.UNKNOWN_LIST,
            _("Unknown list %(list)s. Choose one of: %(lists)s."),
            list=str(entry.get("list")),
            lists=", ".join(n for n in known_lists() if n != "missing"),
        )
    if not entry.get("term") and not entry.get("pattern"):
        raise AssistInvalidError(
            AssistErrorCode.INVALID_ENTRY, _("Give a term or a regular expression.")
        )
    try:
        validate_entry(entry)
    except LexiconError as exc:
        raise AssistInvalidError(
            AssistErrorCode.INVALID_ENTRY,
            _("The entry is not valid: %(error)s"),
            error=str(exc),
        ) from exc


@transaction.atomic
def lexicon_entry_add(
    *,
    actor: User,
    list_name: str,
    at: datetime,
    term: str = "",
    pattern: str = "",
    language: str = LexiconEntry.Language.ANY,
    weight: float = 1.0,
    emotion: str = "",
    kind: str = "",
    suggestion: str = "",
    explanation_zh: str = "",
    explanation_en: str = "",
) -> LexiconEntry:
    """Add a term or pattern to one of the coach's lists; it counts from the next reading.

    Requires MANAGE_COACH. A pattern that does not compile, an unknown list, emotion
    or threat kind raises ``AssistInvalidError`` and nothing is stored.
    """
    authorize(actor, Perm.MANAGE_COACH)
    entry = LexiconEntry(
        list_name=list_name.strip(),
        term=term.strip(),
        pattern=pattern.strip(),
        language=language,
        weight=weight,
        emotion=emotion.strip(),
        kind=kind.strip(),
        suggestion=suggestion.strip(),
        explanation_zh=explanation_zh.strip(),
        explanation_en=explanation_en.strip(),
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    if language not in LexiconEntry.Language.values:
        raise AssistInvalidError(
            AssistErrorCode.INVALID_ENTRY, _("Unknown language %(language)s."), language=language
        )
    lexicon_entry_validate(entry.as_entry())
    entry.save()
    audit_record(
        actor=actor,
        action="assist.lexicon_entry_add",
        target=entry,
        at=at,
        after=entry.as_entry(),
    )
    return entry


@transaction.atomic
def lexicon_entry_set_active(
    *, actor: User, entry: LexiconEntry, is_active: bool, at: datetime
) -> LexiconEntry:
    """Switch an admin entry on or off. Requires MANAGE_COACH."""
    authorize(actor, Perm.MANAGE_COACH)
    before = entry.is_active
    LexiconEntry.objects.filter(pk=entry.pk).update(is_active=is_active, updated_at=at)
    entry.is_active, entry.updated_at = is_active, at
    audit_record(
        actor=actor,
        action="assist.lexicon_entry_set_active",
        target=entry,
        at=at,
        before={"is_active": before},
        after={"is_active": is_active},
    )
    return entry
