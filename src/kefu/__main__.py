"""The ``kefu`` console script: Django's ``manage.py`` with kefu's settings preset.

Commands may be written with hyphens as documented (``kefu api-token create``);
they map to the Django command modules with underscores (``api_token``).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
