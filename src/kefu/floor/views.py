from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kefu.core.navigation import NAVIGATION, SECTION_BLURBS


def _section(request: HttpRequest, key: str) -> HttpResponse:
    item = next(i for i in NAVIGATION if i.key == key)
    context = {"section": item, "blurb": SECTION_BLURBS[key], "active": key}
    return render(request, "core/section.html", context)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _section(request, "floor")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    return _section(request, "people")
