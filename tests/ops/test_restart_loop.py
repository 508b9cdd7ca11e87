"""``make run`` restarts a process that exits (tools/restart_loop.py under honcho), and
Ctrl-C still stops everything. No database needed: runs in the SQLite pass too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.ops.topology import ROOT, descendants, wait_for

LOOP = [sys.executable, str(ROOT / "tools" / "restart_loop.py")]
HONCHO = str(Path(sys.executable).parent / "honcho")

# Counts the SIGTERMs it gets, then exits 0 on the first one.
PATIENT = """
import signal, sys, time, pathlib
log = pathlib.Path(sys.argv[1])
def stop(signum, frame):
    with log.open("a") as f:
        f.write("term\\n")
    time.sleep(0.5)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
with log.open("a") as f:
    f.write("start\\n")
while True:
    time.sleep(0.1)
"""


def _alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (a zombie waiting to be reaped has stopped)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_every_procfile_line_runs_under_the_restart_loop() -> None:
    lines = [x for x in (ROOT / "Procfile").read_text().splitlines() if x.strip()]
    assert [x.split(":", 1)[0] for x in lines] == ["web", "worker", "clock"]
    for line in lines:
        assert ".venv/bin/python tools/restart_loop.py" in line, line


def test_a_process_that_exits_is_started_again_and_the_others_keep_running(
    tmp_path: Path,
) -> None:
    starts = tmp_path / "starts"
    steady = tmp_path / "steady"
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        f"flaky: {' '.join(LOOP)} --pause 0.3 -- sh -c 'echo start >> {starts}; exit 3'\n"
        f"steady: {' '.join(LOOP)} -- {sys.executable} {tmp_path / 'patient.py'} {steady}\n"
    )
    (tmp_path / "patient.py").write_text(PATIENT)
    honcho = subprocess.Popen(
        [HONCHO, "-d", str(ROOT), "-f", str(procfile), "start"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: len(_lines(starts)) >= 4, timeout=20, what="four starts of flaky")
        assert honcho.poll() is None, "honcho stopped everything when one process exited"
        assert _lines(steady) == ["start"]
        family = descendants(honcho.pid)
        assert family

        # Ctrl-C: the terminal signals honcho's process group.
        os.killpg(honcho.pid, signal.SIGINT)
        output, _ = honcho.communicate(timeout=20)
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait(10)

    text = output.decode(errors="replace")
    assert "exited with status 3; starting it again" in text
    # The steady process got one SIGTERM (through its loop), finished, and is gone.
    assert _lines(steady) == ["start", "term"]
    wait_for(lambda: not _alive(family), timeout=10, what=f"every process to stop: {text}")


def test_stopping_the_loop_passes_one_sigterm_and_exits_with_the_commands_status(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    (tmp_path / "patient.py").write_text(PATIENT)
    loop = subprocess.Popen(
        [*LOOP, "--", sys.executable, str(tmp_path / "patient.py"), str(log)],
        start_new_session=True,
    )
    try:
        wait_for(lambda: _lines(log) == ["start"], timeout=10, what="the command to start")
        # Signalled as a group (honcho's killpg): the command hears it once, via the loop.
        os.killpg(loop.pid, signal.SIGTERM)
        assert loop.wait(10) == 0
    finally:
        if loop.poll() is None:
            loop.kill()
    assert _lines(log) == ["start", "term"]


def test_the_loop_refuses_to_start_without_a_command() -> None:
    done = subprocess.run([*LOOP, "--pause", "1"], capture_output=True, timeout=30)
    assert done.returncode == 2
    assert b"give the command to run after --" in done.stderr
