"""Opening and downloading the files on a case's messages (kefu.cases.filetypes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kefu.cases.errors import CaseErrorCode
from kefu.cases.filetypes import POLICY, serving_for
from kefu.cases.selectors_files import access_attachment
from kefu.cases.services.files import attachment_opened
from kefu.core.errors import NotFoundError
from kefu.core.requests import request_user
from kefu.core.uploads import safe_filename


@require_GET
@login_required
def attachment_file(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The file, to whoever may read its case (else 404, as the case page answers).

    Images and PDFs open in the browser, ``?download=1`` downloads them; anything
    else is always a download and never served as a page.
    """
    actor = request_user(request)
    attachment = access_attachment(actor, attachment_id)
    serving = serving_for(attachment.content_type, download=request.GET.get("download") == "1")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise NotFoundError(
            CaseErrorCode.ATTACHMENT_NOT_FOUND,
            _("The file is no longer stored; ask an administrator to restore it."),
        ) from None
    attachment_opened(actor=actor, attachment=attachment, at=timezone.now())
    response = FileResponse(
        handle,
        as_attachment=not serving.inline,
        filename=safe_filename(attachment.filename, fallback="attachment"),
        content_type=serving.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICY
    # Personal data: kept by no shared cache, and not after the tab is gone.
    response["Cache-Control"] = "private, no-store"
    return response
