"""Code versions of the assets: the declared method or contract version plus a fingerprint of the
source files of the room that computes them, so that Dagster marks an asset stale when its logic
changed, and only then ("materialize stale" redoes what a code change reached)."""

from uiv_core.fingerprints import source_version
from uiv_schema.codes import CONTRACT_VERSION
from uiv_schema.indicators import INDICATOR_VERSION

INGEST_CODE = source_version(CONTRACT_VERSION, "uiv_core/ingest", "uiv_schema/codes.py", "uiv_schema/columns.py",
                             "uiv_schema/contract.py", "uiv_schema/reasons.py")
CELLS_CODE = source_version(INDICATOR_VERSION, "uiv_core/cells", "uiv_core/quarters.py", "uiv_schema/indicators.py",
                            "uiv_schema/results.py")
PUBLISH_CODE = source_version("publication", "uiv_core/publish", "uiv_schema/labels.py")
