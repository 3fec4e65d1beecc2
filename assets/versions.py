"""Code versions of the assets: the declared method or contract version plus a fingerprint of the
source files of the room that computes them, so that Dagster marks an asset stale when its logic
changed, and only then ("materialize stale" redoes what a code change reached)."""

from uiv_core.fingerprints import source_version
from uiv_schema.codes import CONTRACT_VERSION
from uiv_schema.indicators import INDICATOR_VERSION

#: what every room shares: the shared SQL (macros such as _periods.sql), the reference tables, the
#: contract and its reference data (municipalities, kommungrupper), the wiring, the locked libraries
_SHARED = ("uiv_core/sql", "uiv_core/reference.py", "uiv_core/quarters.py", "uiv_core/fingerprints.py",
           "uiv_core/opening.py", "uiv_schema", "assets", "requirements.lock")

INGEST_CODE = source_version(CONTRACT_VERSION, "uiv_core/ingest", *_SHARED)
CELLS_CODE = source_version(INDICATOR_VERSION, "uiv_core/cells", *_SHARED)
PUBLISH_CODE = source_version("publication", "uiv_core/publish", "uiv_core/cells/statistics.py",
                              "uiv_core/cells/indicators.py", *_SHARED)  # view_parts: the published view's figures
