"""The one Dagster instance that `uiv refresh`, `make demo`, `make dagster` (the UI, the sensor,
the schedule) share, so that the UI shows every run, materialization, partition and check result
the command line made.

Where it lives: `$DAGSTER_HOME`, or `.dagster/` in the working directory (the project root for
the `make` targets) when that is unset. Its settings are the project's `dagster.yaml` (one run at
a time, no telemetry): Dagster reads them only from `$DAGSTER_HOME`, so they are copied into
`.dagster/` whenever they differ; a DAGSTER_HOME of your own gets them only when it has no
dagster.yaml yet (yours is never overwritten). Tests use temporary instances (tests/conftest.py
points DAGSTER_HOME at a temporary folder for the whole session).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

DEFAULT_HOME = ".dagster"
#: The project's instance settings, beside the packages in a source checkout (the `make` install);
#: an install without the checkout gets the same two settings from FALLBACK_YAML.
PROJECT_YAML = Path(__file__).resolve().parent.parent / "dagster.yaml"
FALLBACK_YAML = """telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    """The instance folder: $DAGSTER_HOME, else ./.dagster (made absolute and exported, so that
    every run and subprocess of this process uses the same one), created with its dagster.yaml."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_HOME).resolve()
    own = home != Path(DEFAULT_HOME).resolve()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    settings = PROJECT_YAML.read_text(encoding="utf-8") if PROJECT_YAML.is_file() else FALLBACK_YAML
    target = home / "dagster.yaml"
    if not target.is_file() or (not own and target.read_text(encoding="utf-8") != settings):
        target.write_text(settings, encoding="utf-8")
    return home


@contextmanager
def shared_instance():
    """The shared instance (see the module doc), disposed of on exit."""
    dagster_home()
    instance = dg.DagsterInstance.get()
    try:
        yield instance
    finally:
        instance.dispose()


if __name__ == "__main__":  # `make dagster`: prepare the folder, print where it is
    print(dagster_home())
