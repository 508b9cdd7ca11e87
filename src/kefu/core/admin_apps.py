"""django.contrib.admin with the apps' admin modules loaded on first use, not at start-up.

Django's own ``AdminConfig`` imports every app's ``admin.py`` in ``ready()``, in
every process: a tenth of the start-up of ``kefu ingest-email``, which a mail
server starts once per mail and which never serves the admin. Here they are
imported by :mod:`kefu.urls` (``admin.autodiscover()`` before ``admin.site.urls``,
so every process that serves or reverses a URL has them) and before the admin's
own system checks (``kefu check``), which read the registry.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import autodiscover
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def admin_app_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's ``check_admin_app`` over the registry with every admin module loaded."""
    autodiscover()
    return check_admin_app(app_configs, **kwargs)


class AdminConfig(SimpleAdminConfig):
    """``django.contrib.admin`` (label ``admin``), discovering its modules lazily."""

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(admin_app_check, checks.Tags.admin)
