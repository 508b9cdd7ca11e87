"""The reply form's file input: several files, each as large as an inbound one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from kefu.cases.services.cases import IncomingAttachment
from kefu.cases.services.files import reply_files_check
from kefu.core.errors import DomainError


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ReplyFilesField(forms.FileField):
    """Zero to ``MAX_REPLY_FILES`` files; each within ``KEFU_MAX_ATTACHMENT_BYTES``.
    Cleans to a list of ``UploadedFile``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"aria-describedby": "files-help"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(ReplyFilesField, self).clean(item, initial) for item in items if item]
        try:
            reply_files_check(files=[(item.name or "", item.size or 0) for item in files])
        except DomainError as exc:
            raise forms.ValidationError(exc.text(), code=str(exc.code)) from exc
        return files


def attachments_from(files: Sequence[UploadedFile]) -> list[IncomingAttachment]:
    """The uploaded ``files`` as the desk stores them (name, declared type, content)."""
    return [
        IncomingAttachment(
            filename=item.name or "attachment",
            content_type=item.content_type or "application/octet-stream",
            content=item.read(),
        )
        for item in files
    ]
