"""Staff pages of the knowledge base: the list, writing with a preview, review and
publish, versions, images, synonyms, searches without results, feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.cases.filetypes import POLICY
from kefu.core.actions import record_action
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, NotFoundError
from kefu.core.models import User
from kefu.core.requests import request_user as _user
from kefu.core.roles import Perm
from kefu.core.uploads import safe_filename
from kefu.kb import selectors, services, text
from kefu.kb.errors import KbErrorCode
from kefu.kb.forms import (
    ArticleForm,
    CategoryForm,
    ImageForm,
    NoteForm,
    PreviewForm,
    SectionForm,
    SynonymForm,
)
from kefu.kb.models import Article, Section


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    actor = _user(request)
    context.setdefault("active", "kb")
    context["may_manage"] = actor.has_role_perm(Perm.MANAGE_KNOWLEDGE)
    return render(request, template, context)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    status = request.GET.get("status", "")
    if status not in Article.Status.values:
        status = ""
    query = request.GET.get("q", "")[:100]
    articles = selectors.article_list_for(actor, status=status, query=query)[:200]
    return _page(
        request,
        "kb/index.html",
        {"articles": articles, "status": status, "q": query, "statuses": Article.Status.choices},
    )


def _fields(data: dict[str, Any]) -> services.ArticleFields:
    return services.ArticleFields(
        category=data["category"],
        audience=data["audience"],
        title_zh=data["title_zh"],
        title_en=data["title_en"],
        body_zh=data["body_zh"],
        body_en=data["body_en"],
    )


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    authorize(actor, Perm.WORK_CASES)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                actor=actor,
                fields=_fields(form.cleaned_data),
                at=timezone.now(),
                slug=form.cleaned_data["slug"],
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(reverse("kb:article", args=[article.pk]))
    return _page(request, "kb/edit.html", {"form": form, "article": None})


@login_required
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    actor = _user(request)
    article = selectors.access_article(actor, article_id)
    form = (
        ArticleForm(request.POST) if request.method == "POST" else ArticleForm.for_article(article)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(
                actor=actor,
                article=article,
                fields=_fields(form.cleaned_data),
                expected_version=form.cleaned_data["version"] or 0,
                at=timezone.now(),
            )
        except DomainError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(
                request, _("Saved as version %(number)s.") % {"number": article.version}
            )
            return HttpResponseRedirect(reverse("kb:article", args=[article.pk]))
    return _page(request, "kb/edit.html", {"form": form, "article": article})


@require_POST
@login_required
def preview(request: HttpRequest) -> HttpResponse:
    authorize(_user(request), Perm.WORK_CASES)
    form = PreviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return render(
        request,
        "kb/_preview.html",
        {
            "html_zh": text.render(data.get("body_zh", "")),
            "html_en": text.render(data.get("body_en", "")),
        },
    )


@require_GET
@login_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    actor = _user(request)
    found = selectors.access_article(actor, article_id)
    live = found.published_version
    return _page(
        request,
        "kb/article.html",
        {
            "article": found,
            "html_zh": text.render(found.body_zh),
            "html_en": text.render(found.body_en),
            "live": live,
            "has_changes": live is not None and found.status != Article.Status.PUBLISHED,
            "missing": found.missing_languages(),
            "images": found.images.order_by("pk"),
            "image_form": ImageForm(),
            "note_form": NoteForm(),
        },
    )


@require_GET
@login_required
def versions(request: HttpRequest, article_id: int) -> HttpResponse:
    actor = _user(request)
    found = selectors.access_article(actor, article_id)
    return _page(
        request,
        "kb/versions.html",
        {"article": found, "lines": selectors.article_versions(actor, found)},
    )


@record_action(load=selectors.access_article, page="kb:article", key="article_id", name="article")
def submit(request: HttpRequest, *, actor: User, article: Article, data: dict[str, Any]) -> None:
    services.article_submit(actor=actor, article=article, at=timezone.now())
    messages.success(request, _("Sent for review."))


@record_action(load=selectors.access_article, page="kb:article", key="article_id", name="article")
def publish(request: HttpRequest, *, actor: User, article: Article, data: dict[str, Any]) -> None:
    services.article_publish(actor=actor, article=article, at=timezone.now())
    messages.success(request, _("Published."))


@record_action(
    load=selectors.access_article,
    page="kb:article",
    key="article_id",
    name="article",
    form_class=NoteForm,
)
def return_to_draft(
    request: HttpRequest, *, actor: User, article: Article, data: dict[str, Any]
) -> None:
    services.article_return(actor=actor, article=article, note=data["note"], at=timezone.now())
    messages.success(request, _("Returned to the author as a draft."))


@record_action(load=selectors.access_article, page="kb:article", key="article_id", name="article")
def unpublish(request: HttpRequest, *, actor: User, article: Article, data: dict[str, Any]) -> None:
    services.article_unpublish(actor=actor, article=article, at=timezone.now())
    messages.success(request, _("Taken off the help pages."))


@record_action(
    load=selectors.access_article,
    page="kb:article",
    key="article_id",
    name="article",
    form_class=ImageForm,
)
def image_upload(
    request: HttpRequest, *, actor: User, article: Article, data: dict[str, Any]
) -> None:
    image = services.article_image_add(
        actor=actor, article=article, upload=data["image"], at=timezone.now()
    )
    messages.success(
        request,
        _("Image attached; put it in the text with: %(markdown)s")
        % {"markdown": f"![{image.filename}]({reverse('kb:image', args=[image.pk])})"},
    )


@require_GET
def image(request: HttpRequest, image_id: int) -> FileResponse:
    """An article's image: public articles' images to anyone, the others to staff."""
    actor = request.user if isinstance(request.user, User) else None
    found = selectors.image_for(actor, image_id)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise NotFoundError(KbErrorCode.NOT_FOUND, _("The image is no longer stored.")) from None
    response = FileResponse(
        handle,
        filename=safe_filename(found.filename, fallback="image"),
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICY
    return response


@require_GET
@login_required
def review(request: HttpRequest) -> HttpResponse:
    return _page(request, "kb/review.html", {"articles": selectors.review_queue(_user(request))})


@login_required
def synonyms(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    groups = selectors.synonym_list(actor)
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_create(
                actor=actor, words=form.cleaned_data["words"], at=timezone.now()
            )
        except DomainError as exc:
            form.add_error("words", exc.text())
        else:
            messages.success(request, _("Synonyms saved."))
            return HttpResponseRedirect(reverse("kb:synonyms"))
    return _page(request, "kb/synonyms.html", {"groups": groups, "form": form})


@require_POST
@login_required
def synonym_delete(request: HttpRequest, synonym_id: int) -> HttpResponse:
    try:
        services.synonym_delete(actor=_user(request), synonym_id=synonym_id)
    except NotFoundError as exc:
        messages.error(request, exc.text())
    return HttpResponseRedirect(reverse("kb:synonyms"))


@require_GET
@login_required
def zero_results(request: HttpRequest) -> HttpResponse:
    rows = selectors.zero_result_searches(_user(request))[:200]
    return _page(request, "kb/zero_results.html", {"rows": rows})


@require_GET
@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    rows = selectors.feedback_list(_user(request))[:200]
    return _page(request, "kb/feedback.html", {"rows": rows})


@login_required
def sections(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    authorize(actor, Perm.MANAGE_KNOWLEDGE)
    section_form = SectionForm(prefix="section")
    category_form = CategoryForm(prefix="category")
    if request.method == "POST":
        try:
            if "section-slug" in request.POST:
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.section_create(actor=actor, **section_form.cleaned_data)
                    return HttpResponseRedirect(reverse("kb:sections"))
            else:
                category_form = CategoryForm(request.POST, prefix="category")
                if category_form.is_valid():
                    services.category_create(actor=actor, **category_form.cleaned_data)
                    return HttpResponseRedirect(reverse("kb:sections"))
        except DomainError as exc:
            messages.error(request, exc.text())
    return _page(
        request,
        "kb/sections.html",
        {
            "sections": Section.objects.prefetch_related("categories"),
            "section_form": section_form,
            "category_form": category_form,
        },
    )
