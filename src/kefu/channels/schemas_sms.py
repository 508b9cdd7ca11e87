"""API schemas of the SMS template registry."""

from __future__ import annotations

from ninja import Schema


class SmsTemplateOut(Schema):
    purpose: str
    label: str
    aliyun_template_code: str
    tencent_template_id: str
    variables: list[str]
    text_zh: str
    preview: str
    is_ready: bool
