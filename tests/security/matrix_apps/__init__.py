"""Permission-matrix tables of the apps added after the matrix was written.

Each module here (one per app: ``kb.py``, ``portal.py``, ...) may define
``API`` and ``PAGES`` (same codes as ``test_permission_matrix``), a set
``CUSTOMER_PAGES`` of pages a customer without a staff sign-in may open, and
``extend_world(world)`` to add the records and ``values`` its routes need.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
