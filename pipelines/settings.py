"""Configuration in one place: defaults and the environment variables that override them.

| setting | environment | default |
|---|---|---|
| DuckDB file | `UIV_DB` | `data/uiv.duckdb` |
| inbox of exports | `UIV_INBOX` | `data_samples/exports` |
| output folder | `UIV_OUT` | `out` |
| minimum n for publication | `UIV_MIN_N` | `10` |
| planning n: a goal baseline with fewer follow-ups in four quarters pools the latest eight | `UIV_PLANNING_N` | `30` |
| peer groups: a CSV (`municipality_code;peer_group`), or `none` | `UIV_PEER_GROUPS` | SKR's kommungruppsindelning 2023 |
| largest share of a file's rows in quarantine before the contract check fails | `UIV_MAX_QUARANTINE_SHARE` | `0.05` |
| write PNG/SVG chart images (needs a Chrome/Chromium; `0` = skip, as `--no-images`) | `UIV_IMAGES` | `1` |
| seconds the whole image step may take before it is stopped and skipped | `UIV_IMAGE_TIMEOUT` | `120` |

Relative paths are relative to the working directory (the project root for `make` targets).
"""

import os
from dataclasses import dataclass

DEFAULT_DB = "data/uiv.duckdb"
DEFAULT_INBOX = "data_samples/exports"
DEFAULT_OUT = "out"
#: A cell whose denominator is below this is stored but flagged `suppressed` (indicators-v1).
DEFAULT_MIN_N = 10
#: Below this n in the latest four quarters a goal baseline pools the latest eight (uiv_core.cells.baselines).
DEFAULT_PLANNING_N = 30
DEFAULT_IMAGE_TIMEOUT = 120.0


@dataclass(frozen=True)
class Settings:
    db: str
    inbox: str
    out: str
    min_n: int = DEFAULT_MIN_N
    peer_groups: str | None = None
    max_quarantine_share: float = 0.05
    images: bool = True
    image_timeout: float = DEFAULT_IMAGE_TIMEOUT
    planning_n: int = DEFAULT_PLANNING_N


def settings_from_env(
    db: str | None = None,
    inbox: str | None = None,
    out: str | None = None,
    min_n: int | None = None,
    peer_groups: str | None = None,
    images: bool | None = None,
) -> Settings:
    """Explicit values win, then the environment, then the defaults."""
    env_min_n = os.environ.get("UIV_MIN_N")
    resolved_min_n = min_n if min_n is not None else int(env_min_n) if env_min_n else DEFAULT_MIN_N
    if resolved_min_n < 1:
        raise ValueError(f"the minimum n must be at least 1, not {resolved_min_n}")
    return Settings(
        db=db or os.environ.get("UIV_DB") or DEFAULT_DB,
        inbox=inbox or os.environ.get("UIV_INBOX") or DEFAULT_INBOX,
        out=out or os.environ.get("UIV_OUT") or DEFAULT_OUT,
        min_n=resolved_min_n,
        peer_groups=peer_groups or os.environ.get("UIV_PEER_GROUPS") or None,
        max_quarantine_share=_share(os.environ.get("UIV_MAX_QUARANTINE_SHARE", "0.05")),
        images=images if images is not None else os.environ.get("UIV_IMAGES", "1").strip() not in ("0", "no", "false"),
        image_timeout=_seconds(os.environ.get("UIV_IMAGE_TIMEOUT", str(DEFAULT_IMAGE_TIMEOUT))),
        planning_n=_count(os.environ.get("UIV_PLANNING_N", str(DEFAULT_PLANNING_N)), "UIV_PLANNING_N"),
    )


def _count(text: str, name: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number of follow-ups, not {text!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text.replace(",", "."))
    if value <= 0:
        raise ValueError(f"UIV_IMAGE_TIMEOUT must be a positive number of seconds, not {text}")
    return value


def _share(text: str) -> float:
    value = float(text.replace(",", "."))
    if not 0 <= value <= 1:
        raise ValueError(f"UIV_MAX_QUARANTINE_SHARE must lie between 0 and 1, not {text}")
    return value
