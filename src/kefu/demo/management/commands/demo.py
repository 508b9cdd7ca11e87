"""``kefu demo [--today YYYY-MM-DD] [--seed N] [--if-empty]``: load the demo company."""

from __future__ import annotations

import time
from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.demo.builder import (
    DEFAULT_SEED,
    HISTORY_DAYS,
    DemoOutcome,
    build_demo,
    demo_logins,
    format_logins,
)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Load a demo company: 4 departments with their teams, 40 staff accounts sharing the "
        "password kefu-demo, 200 client organisations with contacts and projects, and about "
        "120 days of cases with their messages. The same --seed and --today give the same "
        "data. Safe to run again: when the demo is already loaded, only the departments, "
        "teams and staff accounts are restored (roles, teams and the demo password put "
        "back) and nothing is duplicated; to reload the history, start from an empty "
        "database. Existing accounts with a demo username (admin, agent.wangfang, ...) are "
        "taken over. Prints a summary and the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The date the history ends before (default: today in Asia/Shanghai).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed for the generated data (default: {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database, without the demo, already holds user "
            "accounts, organisations or cases of its own.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            summary = build_demo(
                today=options["today"], seed=options["seed"], only_if_empty=options["if_empty"]
            )
        seconds = time.perf_counter() - started
        if summary.outcome == DemoOutcome.SKIPPED:
            self.stdout.write(
                _("The database already holds data of its own; the demo was not loaded.")
            )
            return
        if summary.outcome == DemoOutcome.ALREADY_LOADED:
            self.stdout.write(
                _("The demo is already loaded: staff accounts restored, history left as it is.")
            )
        else:
            self.stdout.write(
                _(
                    "Demo loaded in %(seconds).1f s: seed %(seed)s, %(days)d days of history "
                    "before %(today)s."
                )
                % {
                    "seconds": seconds,
                    "seed": summary.seed,
                    "days": HISTORY_DAYS,
                    "today": summary.today,
                }
            )
        self.stdout.write(
            _(
                "%(departments)d departments, %(teams)d teams, %(users)d users, "
                "%(organisations)d organisations, %(contacts)d contacts, %(projects)d projects, "
                "%(cases)d cases, %(messages)d messages."
            )
            % {
                "departments": summary.departments,
                "teams": summary.teams,
                "users": summary.users,
                "organisations": summary.organisations,
                "contacts": summary.contacts,
                "projects": summary.projects,
                "cases": summary.cases,
                "messages": summary.messages,
            }
        )
        self.stdout.write("")
        self.stdout.write(format_logins(demo_logins()))
