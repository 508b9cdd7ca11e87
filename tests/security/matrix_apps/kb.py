"""Permission-matrix rows of the knowledge base: staff pages for who works cases,
content-owner pages for team leads and managers, public help pages for anyone."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.core.roles import Role
from kefu.kb import services
from tests.kb.builders import NOW, make_article
from tests.security.matrix_world import World

# fmt: off
API: dict[str, str] = {
    "GET /api/v1/kb/articles": "UAAFFAA",
    "POST /api/v1/kb/articles": "UAAAAAA",  # an empty body is refused (422) first
    "GET /api/v1/kb/articles/{article_id}": "UAAFFAA",
    "PATCH /api/v1/kb/articles/{article_id}": "UAAAAAA",  # 422 first
    "POST /api/v1/kb/articles/{article_id}/submit": "UAAFFAA",
    "POST /api/v1/kb/articles/{article_id}/publish": "UFAFFAA",
    "POST /api/v1/kb/articles/{article_id}/return": "UFAFFAA",
    "GET /api/v1/kb/articles/{article_id}/versions": "UAAFFAA",
    "GET /api/v1/kb/search": "UAAAAAA",  # without q: 422 first
    "GET /api/v1/kb/synonyms": "UFAFFAA",
    "POST /api/v1/kb/synonyms": "UAAAAAA",  # 422 first
    "GET /api/v1/kb/zero-results": "UFAFFAA",
}

PAGES: dict[str, str] = {
    "kb:index": "LAAFFAA",
    "kb:new": "LAAFFAA",
    "kb:preview": "MMMMMMM",
    "kb:review": "LFAFFAA",
    "kb:synonyms": "LFAFFAA",
    "kb:synonym_delete": "MMMMMMM",
    "kb:zero_results": "LFAFFAA",
    "kb:feedback": "LFAFFAA",
    "kb:sections": "LFAFFAA",
    "kb:image": "AAAAAAA",
    "kb:article": "LAAFFAA",
    "kb:edit": "LAAFFAA",
    "kb:versions": "LAAFFAA",
    "kb:submit": "MMMMMMM",
    "kb:publish": "MMMMMMM",
    "kb:return": "MMMMMMM",
    "kb:unpublish": "MMMMMMM",
    "kb:image_upload": "MMMMMMM",
    "kb:case_suggestions": "LAAFFAA",
    "kb:case_insert": "MMMMMMM",
    "kb:case_propose": "MMMMMMM",
    "kb:help": "AAAAAAA",
    "kb:help_search": "AAAAAAA",
    "kb:help_section": "AAAAAAA",
    "kb:help_article": "AAAAAAA",
    "kb:help_feedback": "MMMMMMM",
}
# fmt: on

CUSTOMER_PAGES = {"kb:image", "kb:help", "kb:help_search", "kb:help_section", "kb:help_article"}

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def extend_world(world: World) -> None:
    """A published public article with an image (and its section)."""
    agent, lead = world.users[str(Role.AGENT)], world.users[str(Role.TEAM_LEAD)]
    article = make_article(author=agent, reviewer=lead, slug="matrix-leak")
    image = services.article_image_add(
        actor=agent,
        article=article,
        upload=SimpleUploadedFile("leak.png", PNG, content_type="image/png"),
        at=NOW,
    )
    world.values.update(
        {
            "article_id": article.pk,
            "image_id": image.pk,
            "slug": article.slug,
            "section_slug": article.category.section.slug,
        }
    )
