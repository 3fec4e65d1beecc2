"""Configuration in one place: defaults and the environment variables that override them.

| setting | environment | default |
|---|---|---|
| DuckDB file | `UIV_DB` | `data/uiv.duckdb` |
| inbox of exports | `UIV_INBOX` | `data_samples/exports` |
| output folder | `UIV_OUT` | `out` |

Relative paths are relative to the working directory (the project root for `make` targets).
"""

import os
from dataclasses import dataclass

DEFAULT_DB = "data/uiv.duckdb"
DEFAULT_INBOX = "data_samples/exports"
DEFAULT_OUT = "out"


@dataclass(frozen=True)
class Settings:
    db: str
    inbox: str
    out: str


def settings_from_env(db: str | None = None, inbox: str | None = None, out: str | None = None) -> Settings:
    """Explicit values win, then the environment, then the defaults."""
    return Settings(
        db=db or os.environ.get("UIV_DB") or DEFAULT_DB,
        inbox=inbox or os.environ.get("UIV_INBOX") or DEFAULT_INBOX,
        out=out or os.environ.get("UIV_OUT") or DEFAULT_OUT,
    )
