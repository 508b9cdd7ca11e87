"""``kefu worker``: run the background worker for the configured tasks backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kefu.core import recovery


class Command(BaseCommand):
    help = (
        "Run the background worker: the database queue by default, "
        "RQ on Redis when KEFU_TASKS_BACKEND=redis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="Run the queued tasks, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS_BACKEND
        if backend == "database":

            def run() -> None:
                call_command("db_worker", batch=options["burst"], interval=1.0, reload=False)

        elif backend == "redis":

            def run() -> None:
                call_command(
                    "rqworker",
                    *settings.TASKS["default"].get("QUEUES", ["default"]),
                    burst=options["burst"],
                    with_scheduler=False,
                    job_class="django_tasks_rq.Job",
                )

        else:
            raise CommandError(
                _("KEFU_TASKS_BACKEND=%(backend)s runs tasks inline; no worker is needed.")
                % {"backend": backend}
            )
        # A database error (PostgreSQL restarting) ends the queue's own loop: start it
        # again on a fresh connection, after a growing pause, rather than exiting.
        if not recovery.run_restarting(
            run,
            what="worker",
            failure_limit=settings.PROCESS_FAILURE_LIMIT,
            retry_max_seconds=settings.PROCESS_RETRY_MAX_SECONDS,
        ):
            raise CommandError(
                _(
                    "The database stayed out of reach for %(count)d tries in a row; "
                    "exiting so that the supervisor starts the worker again."
                )
                % {"count": settings.PROCESS_FAILURE_LIMIT},
                returncode=recovery.EXIT_GAVE_UP,
            )
