"""Every translatable string in src is a literal makemessages can extract.

``gettext(f"...")``, ``_("..." % x)`` or ``_("...".format(x))`` translate the
text after it was filled in, which no catalogue holds: the line stays in the
source language in every other one (the incident review had English lines in
Chinese this way).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

_GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# The arguments that are msgids: pgettext's first is the context, also a literal.
_MSGID_ARGS = {"ngettext": 2, "ngettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_filled_in(node: ast.expr) -> bool:
    """An f-string, a ``%`` expression or a ``.format()`` call: text filled in before
    it is looked up. (A name is allowed: it holds a msgid marked elsewhere with
    ``gettext_noop``, as Django's own commands do.)"""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):
            return True
        return _is_filled_in(node.left) or _is_filled_in(node.right)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _calls_inside_f_strings(tree: ast.AST) -> set[int]:
    # xgettext does not look inside an f-string's fields: a gettext call there is
    # never extracted, so its text is never translated.
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for child in ast.walk(node):
                if isinstance(child, ast.Call) and _name(child.func) in _GETTEXT:
                    inside.add(id(child))
    return inside


def _violations(path: Path, root: Path = SRC) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    nested = _calls_inside_f_strings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name not in _GETTEXT or not node.args:
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        if id(node) in nested:
            found.append(f"{where}: {name}() inside an f-string")
            continue
        count = _MSGID_ARGS.get(name, 2 if name.startswith("pgettext") else 1)
        for argument in node.args[:count]:
            if _is_filled_in(argument):
                kind = type(argument).__name__
                found.append(f"{where}: {name}({kind} ...)")
    return found


def test_every_gettext_call_in_src_takes_a_literal() -> None:
    problems = [
        problem
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
        for problem in _violations(path)
    ]
    assert problems == []


def test_the_check_catches_an_f_string_and_a_filled_in_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.utils.translation import gettext as _\n"
        "x = 1\n"
        '_(f"{x} cases")\n'
        '_("%s cases" % x)\n'
        '_("{} cases".format(x))\n'
        '_("fine " "joined")\n'
        "f\"- {_('Kind')}: {x}\"\n",
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in _violations(sample, tmp_path)] == [
        "_(JoinedStr ...)",
        "_(BinOp ...)",
        "_(Call ...)",
        "_() inside an f-string",
    ]
