"""Reply templates, pure: ``{placeholder}`` filling with a clear error for unknown names."""

from __future__ import annotations

import re
import string

PLACEHOLDERS = ("contact_name", "case_reference", "subject", "agent_name", "organisation")
_FIELD = re.compile(r"\{([a-z_]+)\}")


class TemplateError(ValueError):
    pass


def placeholders_in(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def check(text: str) -> None:
    """Raise ``TemplateError`` naming any placeholder that is not known."""
    try:
        fields = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise TemplateError(f"unbalanced braces: {exc}") from exc
    unknown = sorted(fields - set(PLACEHOLDERS))
    if unknown:
        raise TemplateError(
            f"unknown placeholders {', '.join(unknown)}; known: {', '.join(PLACEHOLDERS)}"
        )


def render(text: str, values: dict[str, str]) -> str:
    """Fill the placeholders of ``text`` from ``values`` (missing ones become empty)."""
    check(text)
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
