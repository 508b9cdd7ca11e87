"""The coach's pure core: no Django.

Reads customer messages (sentiment, emotions, upset, threats, escalation risk)
and coaches agents' drafts (flags with spans, explanations and rewrites),
from word lists in ``kefu/assist/data/*.json``.
"""

from kefu.assist.engine.coach import (
    FLAG_CODES,
    PLAYBOOK_STEPS,
    Coaching,
    Flag,
    coach_draft,
    playbook_evidence,
)
from kefu.assist.engine.lexicon import (
    Lexicon,
    LexiconError,
    known_lists,
    load_lexicon,
    validate_entry,
)
from kefu.assist.engine.reader import Cue, Reading, read_customer

__all__ = [
    "FLAG_CODES",
    "PLAYBOOK_STEPS",
    "Coaching",
    "Cue",
    "Flag",
    "Lexicon",
    "LexiconError",
    "Reading",
    "coach_draft",
    "known_lists",
    "load_lexicon",
    "playbook_evidence",
    "read_customer",
    "validate_entry",
]
