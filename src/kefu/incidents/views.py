from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kefu.core.navigation import NAVIGATION, SECTION_BLURBS


@login_required
def index(request: HttpRequest) -> HttpResponse:
    item = next(i for i in NAVIGATION if i.key == "incidents")
    context = {"section": item, "blurb": SECTION_BLURBS["incidents"], "active": "incidents"}
    return render(request, "core/section.html", context)
