"""Benchmarks: each ``bench/*.py`` is a script that prints one JSON object on stdout.

The convention every benchmark follows (``make bench-smoke``, part of ``make test``,
runs them all in a loop, so a new file is picked up without editing the Makefile):

- ``.venv/bin/python bench/<name>.py --smoke`` runs a size that takes seconds and
  prints the same JSON object as a full run (anything else goes to stderr); the
  smoke run only has to complete, it asserts no figure.
- It runs from the repository root with no other argument, on SQLite or on a
  scratch database it creates itself (never ``test``, which the suite uses); where
  it needs a service the machine lacks (PostgreSQL, Redis, another Python) it
  prints a JSON object saying what is missing and exits 0.
- Raw inserts take their column lists from the models (see ``desk.RawInsert``).
- Figures go into docs/performance.md with the machine, the date, the exact command
  and what else was running.
"""
