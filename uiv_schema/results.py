"""The key and the code values of the result tables, in one place.

`comparisons`, `baselines`, the published tables and the exports carry these words as they are
(they are Swedish because analysts read them in the exports); `uiv_schema.labels` gives each its
longer Swedish label. The SQL reads them through `uiv_core.sql` (the template global `result`,
written out with the `literal` filter: `{{ result.COLOUR.GREY | literal }}`), the Python modules
import them from here; no module spells a code itself.
"""

from __future__ import annotations

from types import SimpleNamespace

#: the key of every cell row (indicators, comparisons, the published tables): one value of one
#: indicator for one unit, period, target group and breakdown value
CELL_KEY = ("period", "period_type", "unit_code", "unit_type", "target_group", "breakdown", "breakdown_value",
            "indicator_id")

#: significance against a benchmark (comparisons.significance)
SIGNIFICANCE = SimpleNamespace(BETTER="bättre", SIMILAR="likvärdig", WORSE="sämre", NOT_COMPARABLE="ej jämförbar")
#: Öppna jämförelser colour: the quartile among the municipalities (comparisons.colour)
COLOUR = SimpleNamespace(GREEN="grön", MIDDLE="gul", RED="röd", GREY="grå")
#: trend over the last eight quarters (comparisons.trend)
TREND = SimpleNamespace(UP="ökar", DOWN="minskar", FLAT="ingen förändring", NOT_CALCULATED="ej beräknad")
#: the rule that gave a suggested target (baselines.target_rule)
TARGET_RULE = SimpleNamespace(BEST_QUARTILE="bästa_kvartilen", DETECTABLE="påvisbar_förbättring",
                              KEEP="behåll_nivån", BETTER_THAN_BASELINE="bättre_än_utgångsvärdet",
                              TOO_FEW="för_få_uppföljningar")

#: everything above, as the SQL templates see it
RESULT_CODES = SimpleNamespace(SIGNIFICANCE=SIGNIFICANCE, COLOUR=COLOUR, TREND=TREND, TARGET_RULE=TARGET_RULE)
