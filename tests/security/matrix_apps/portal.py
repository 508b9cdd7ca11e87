"""Permission-matrix rows of the customer portal and the public status page.

A staff login opens no portal page: every portal page sends staff and anonymous
visitors alike to the portal's sign-in (``/portal/login/``, read as ``L``). The
status page is public once turned on (``extend_world`` turns it on); its
confirmation links with a forged token are 404 for everyone.
"""

from __future__ import annotations

from tests.security.matrix_world import World

# fmt: off
PAGES: dict[str, str] = {
    "portal:home": "LLLLLLL",
    "portal:login": "AAAAAAA",
    "portal:verify": "MMMMMMM",
    "portal:logout": "MMMMMMM",
    "portal:language": "MMMMMMM",
    "portal:help": "AAAAAAA",
    "portal:case_new": "LLLLLLL",
    "portal:case": "LLLLLLL",
    "portal:case_reply": "MMMMMMM",
    "portal:file": "LLLLLLL",
    "status:index": "AAAAAAA",
    "status:subscribe": "MMMMMMM",
    "status:confirm": "NNNNNNN",
    "status:unsubscribe": "NNNNNNN",
}
# fmt: on

CUSTOMER_PAGES = {"portal:login", "portal:help", "status:index"}


def extend_world(world: World) -> None:
    """The status page on; the case's reference and a file id for the portal's routes."""
    from kefu.portal.models import PortalSettings

    PortalSettings.objects.update_or_create(pk=1, defaults={"status_page_enabled": True})
    world.values["attachment_id@portal:file"] = 1
