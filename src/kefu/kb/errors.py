"""Error codes of the knowledge base (the API contract)."""

from __future__ import annotations

from enum import StrEnum


class KbErrorCode(StrEnum):
    NOT_FOUND = "kb_article_not_found"
    SLUG_TAKEN = "kb_slug_taken"
    NO_LANGUAGE = "kb_no_language"
    WRONG_STATUS = "kb_wrong_status"
    CHANGED_CONCURRENTLY = "kb_changed_concurrently"
    NOTE_REQUIRED = "kb_note_required"
    NO_CATEGORY = "kb_no_category"
    BAD_IMAGE = "kb_bad_image"
    IMAGE_TOO_LARGE = "kb_image_too_large"
    BAD_SYNONYMS = "kb_bad_synonyms"
    BAD_AUDIENCE = "kb_bad_audience"
    NOT_A_REPLY = "kb_not_a_reply"
