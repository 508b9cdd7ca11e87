"""Panels other apps add to the case page, loaded by htmx from their own URLs.

An app above ``cases`` (the knowledge base, the writing partner, macros)
registers a panel in its ``AppConfig.ready``; the case page renders one
placeholder per panel that loads ``reverse(url_name, args=[case.pk])`` when the
page opens. The panel's view checks access to the case itself and answers an
empty fragment when it has nothing to show, so the desk never depends on it.

``place`` is ``"reply"`` (under the reply box, for tools that write into it;
the reply text is ``#id_body`` and ``cases/_reply_body.html`` renders it) or
``"aside"`` (the side column, with the case's facts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

PLACES = ("reply", "aside")


@dataclass(frozen=True)
class CasePanel:
    name: str
    url_name: str
    place: str
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register_panel(name: str, url_name: str, *, place: str, order: int = 100) -> None:
    if place not in PLACES:
        raise ValueError(f"unknown case panel place {place!r}")
    _panels[name] = CasePanel(name=name, url_name=url_name, place=place, order=order)


def panels(place: str) -> list[CasePanel]:
    return sorted(
        (panel for panel in _panels.values() if panel.place == place),
        key=lambda panel: (panel.order, panel.name),
    )


@dataclass(frozen=True)
class PlacedPanel:
    name: str
    url: str


def panels_for(place: str, case_id: int) -> list[PlacedPanel]:
    """The panels of ``place`` with their URLs for the case; one whose URL does not
    resolve is left out with a log line, so the case page always opens."""
    placed = []
    for panel in panels(place):
        try:
            url = reverse(panel.url_name, args=[case_id])
        except NoReverseMatch:
            logger.error("case panel %s: no URL named %s", panel.name, panel.url_name)
            continue
        placed.append(PlacedPanel(name=panel.name, url=url))
    return placed
