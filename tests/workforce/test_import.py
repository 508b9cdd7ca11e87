"""History import: good rows in, bad lines reported by number, re-import updates; page, API, CLI."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from kefu.core.models import User
from kefu.workforce import services
from kefu.workforce.models import HistoryInterval, Queue

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "interval_start,queue,offered,answered,abandoned,aht\n"
    "2026-11-02T09:00:00+08:00,hotline,12,11,1,185\n"  # line 2: good
    "2026-11-02T09:30:00+08:00,hotline,-3,0,0,180\n"  # line 3: negative
    "2026-11-02T10:00:00+08:00,hotline,10,12,0,180\n"  # line 4: answered > offered
    "yesterday,hotline,5,5,0,180\n"  # line 5: not an instant
    "2026-11-02T10:30:00+08:00,,8,8,0,0\n"  # line 6: AHT of zero
    "2026-11-02T11:00:00+08:00,,8,8,0,\n"  # line 7: good, default queue, no AHT
    "2026-11-02T09:00:00+08:00,hotline,13,12,1,185\n"  # line 8: duplicate of line 2
    "2026-11-02T11:10:00+08:00,hotline,4,4,0,150\n"  # line 9: off the 30-minute grid
)


def test_good_rows_are_imported_and_bad_lines_reported_with_what_to_fix(manager: User) -> None:
    summary = services.history_import_csv(
        actor=manager, data=GOOD_AND_BAD.encode(), at=timezone.now()
    )
    assert (summary.imported, summary.updated) == (2, 0)
    assert [item.line for item in summary.rejected] == [3, 4, 5, 6, 8, 9]
    reasons = {item.line: item.reason for item in summary.rejected}
    assert "offered" in reasons[3]
    assert "answered" in reasons[4]
    assert "interval_start" in reasons[5]
    assert "aht" in reasons[6]
    assert "2" in reasons[8]
    assert "30" in reasons[9]
    assert set(Queue.objects.values_list("name", flat=True)) == {"hotline", "default"}
    assert HistoryInterval.objects.get(queue__name="default").aht_seconds is None


def test_reimport_updates_the_interval_instead_of_duplicating(manager: User) -> None:
    text = "interval_start,offered,aht\n2026-11-02T09:00:00+08:00,12,185\n"
    services.history_import_csv(actor=manager, data=text.encode(), at=timezone.now())
    again = text.replace(",12,", ",20,")
    summary = services.history_import_csv(actor=manager, data=again.encode(), at=timezone.now())
    assert (summary.imported, summary.updated) == (0, 1)
    assert HistoryInterval.objects.get().offered == 20


def test_missing_column_rejects_the_file_at_line_one(manager: User) -> None:
    summary = services.history_import_csv(
        actor=manager, data=b"start,calls\n2026-11-02T09:00:00+08:00,3\n", at=timezone.now()
    )
    assert summary.imported == 0
    assert summary.rejected[0].line == 1
    assert "offered" in summary.rejected[0].reason


def test_gbk_file_with_naive_times_reads_as_shanghai(manager: User) -> None:
    text = "interval_start,queue,offered\n2026-11-02 09:00,热线,7\n"
    services.history_import_csv(actor=manager, data=text.encode("gbk"), at=timezone.now())
    row = HistoryInterval.objects.get()
    assert row.queue.name == "热线"
    assert row.interval_start.isoformat() == "2026-11-02T01:00:00+00:00"


def test_import_page_shows_the_summary(manager: User, client_for: Callable[[User], Client]) -> None:
    upload = SimpleUploadedFile("history.csv", GOOD_AND_BAD.encode(), content_type="text/csv")
    response = client_for(manager).post("/workforce/history/", {"file": upload, "queue": "default"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-summary"' in page
    assert "hotline" in page
    assert HistoryInterval.objects.count() == 2


def test_import_page_is_refused_to_agents(
    agent: User, client_for: Callable[[User], Client]
) -> None:
    upload = SimpleUploadedFile("history.csv", GOOD_AND_BAD.encode(), content_type="text/csv")
    response = client_for(agent).post("/workforce/history/", {"file": upload})
    assert response.status_code == 403
    assert not HistoryInterval.objects.exists()


def test_api_import_as_body_and_as_multipart(
    manager: User, agent: User, bearer_for: Callable[[User], dict[str, str]]
) -> None:
    client = Client()
    response = client.post(
        "/api/v1/workforce/history?queue=chat",
        data="interval_start,offered\n2026-11-02T09:00:00+08:00,4\n",
        content_type="text/csv",
        headers=bearer_for(manager),
    )
    assert response.status_code == 200
    assert response.json() == {"imported": 1, "updated": 0, "rejected": [], "queues": ["chat"]}
    upload = SimpleUploadedFile("h.csv", GOOD_AND_BAD.encode(), content_type="text/csv")
    response = client.post(
        "/api/v1/workforce/history", {"file": upload}, headers=bearer_for(manager)
    )
    assert response.status_code == 200
    assert [item["line"] for item in response.json()["rejected"]] == [3, 4, 5, 6, 8, 9]
    bad = client.post(
        "/api/v1/workforce/history",
        data="interval_start,offered\nnope,4\n",
        content_type="text/csv",
        headers=bearer_for(manager),
    )
    assert bad.status_code == 422
    refused = client.post(
        "/api/v1/workforce/history",
        data="interval_start,offered\n2026-11-02T10:00:00+08:00,4\n",
        content_type="text/csv",
        headers=bearer_for(agent),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_allowed"


def test_cli_imports_and_lists_bad_lines(tmp_path: Path, db: None) -> None:
    path = tmp_path / "history.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("workforce", "import-history", str(path), "--queue", "web", stdout=out, stderr=err)
    assert "2" in out.getvalue()
    assert "line 3" in err.getvalue() or "第 3" in err.getvalue() or "3" in err.getvalue()
    assert Queue.objects.filter(name="web").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,offered\nnope,1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("workforce", "import-history", str(bad), stdout=StringIO(), stderr=StringIO())
