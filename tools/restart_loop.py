"""Run a command, and run it again whenever it exits, after a pause.

``make run`` starts the Procfile with honcho, which stops every process as soon as
one exits. The worker and the clock loop exit on purpose when the database stays
out of reach (kefu/core/recovery.py), so each Procfile line runs under this loop:

    worker: .venv/bin/python tools/restart_loop.py -- .venv/bin/kefu worker

SIGTERM, SIGINT or SIGHUP (Ctrl-C, or honcho stopping) is passed on to the command
as one SIGTERM and ends the loop: the loop then exits with the command's status. A
command that keeps exiting at once is restarted at most once per ``--pause`` seconds.

The command runs in a session of its own, so that a signal sent to the loop's
process group (honcho's ``killpg``, Ctrl-C in a terminal) reaches it once, through
the loop, and not twice (a second signal makes the database worker abandon its
task). On Linux the command is killed if the loop itself is killed (honcho's
SIGKILL after its grace period), so nothing is left behind.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the parent dies (Linux prctl
    PR_SET_PDEATHSIG; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)


class RestartLoop:
    def __init__(self, argv: list[str], *, pause: float, name: str) -> None:
        self.argv = argv
        self.pause = pause
        self.name = name
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def _say(self, text: str) -> None:
        sys.stderr.write(f"restart_loop[{self.name}]: {text}\n")
        sys.stderr.flush()

    def stop(self, signum: int, frame: FrameType | None = None) -> None:
        self.stopping.set()
        child = self.child
        if child is not None and child.poll() is None:
            # SIGTERM for every stop signal: each kefu process stops cleanly on it.
            child.send_signal(signal.SIGTERM)

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.stop)
        status = 0
        while not self.stopping.is_set():
            started = time.monotonic()
            # The command is the operator's own Procfile line.
            self.child = subprocess.Popen(  # noqa: S603
                self.argv,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            status = self.child.wait()
            if self.stopping.is_set():
                break
            wait = max(self.pause - (time.monotonic() - started), 0.0)
            self.restarts += 1
            self._say(f"exited with status {status}; starting it again in {wait:.1f} s")
            self.stopping.wait(wait)
        return status


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--pause",
        type=float,
        default=5.0,
        help="least seconds between two starts of the command (default 5)",
    )
    parser.add_argument("--name", help="how the messages name the command (default: its file)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    options = parser.parse_args(args)
    argv = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not argv:
        parser.error("give the command to run after --, e.g. -- .venv/bin/kefu worker")
    if options.pause < 0:
        parser.error("--pause must be zero or more seconds")
    name = options.name or os.path.basename(argv[0])
    return RestartLoop(argv, pause=options.pause, name=name).run()


if __name__ == "__main__":
    sys.exit(main())
