"""The WeChat Official Account's callback (issue 17): signed by WeChat, not by a
session, and absent (404) while the Official Account is not set up."""

from __future__ import annotations

PAGES = {"wechat_mp_callback": "NNNNNNN"}
