"""What may be published: the indicator cells of the published periods with primary and secondary
suppression applied, as the tables every publisher reads (`published_indicators`,
`published_comparisons`, `published_baselines`). Charts, pages, workbooks and CSV never read
`indicators` directly, so nothing suppressed can reach them.

Published periods: rolling four quarters and calendar years (quarters are too thin to publish
per municipality; the trend charts plot the rolling four-quarter values quarter by quarter).

Primary suppression: denominator below the minimum n (`indicators.suppressed`). Secondary
suppression: published cells must not give a hidden one away by subtraction. Cells that add up
to a total are grouped (breakdown values → the `alla` cell; target groups → `alla`;
municipalities → their county; counties → the country; peer-group members → the group). While a
group with a published total holds exactly one hidden cell, its published cell with the smallest
denominator (then the first key) is hidden too; this repeats until no group changes.

Published baselines take the best-quartile threshold and the peer-group median from published
values only (a hidden cell must not set them); a target set by the threshold follows it.
"""

from __future__ import annotations

import duckdb

PUBLISHED_PERIOD_TYPES = ("rolling4q", "year")
_KEYS = ("period", "period_type", "unit_code", "unit_type", "target_group", "breakdown",
         "breakdown_value", "indicator_id")
_KEY_LIST = ", ".join(_KEYS)

_CANDIDATES_SQL = f"""
CREATE OR REPLACE TEMP TABLE publication_cells AS
SELECT row_number() OVER (ORDER BY {_KEY_LIST}) AS cell_id, *,
       suppressed AS hidden, CAST(NULL AS VARCHAR) AS suppression
FROM indicators WHERE period_type IN ({", ".join(f"'{p}'" for p in PUBLISHED_PERIOD_TYPES)})
"""

_SAME = "c.period = p.period AND c.period_type = p.period_type AND c.indicator_id = p.indicator_id"

#: (child, parent, kind): the children of one parent and kind add up to the parent
_EDGES_SQL = f"""
CREATE OR REPLACE TEMP TABLE publication_edges AS
SELECT c.cell_id AS child, p.cell_id AS parent, c.breakdown AS kind
FROM publication_cells c JOIN publication_cells p
  ON {_SAME} AND c.unit_code = p.unit_code AND c.unit_type = p.unit_type
 AND c.target_group = p.target_group AND p.breakdown = 'alla'
 AND c.breakdown IN ('sex', 'age_group', 'intervention')
UNION ALL
SELECT c.cell_id, p.cell_id, 'main_substance:' || c.target_group FROM publication_cells c JOIN publication_cells p
  ON {_SAME} AND c.unit_code = p.unit_code AND c.unit_type = p.unit_type
 AND c.breakdown = 'main_substance' AND p.breakdown = 'alla' AND p.target_group = 'missbruk'
UNION ALL
SELECT c.cell_id, p.cell_id, 'target_group' FROM publication_cells c JOIN publication_cells p
  ON {_SAME} AND c.unit_code = p.unit_code AND c.unit_type = p.unit_type
 AND c.breakdown = p.breakdown AND c.breakdown_value = p.breakdown_value
 AND c.target_group <> 'alla' AND p.target_group = 'alla'
UNION ALL
SELECT c.cell_id, p.cell_id, 'lan' FROM publication_cells c
JOIN municipality_reference m ON m.municipality_code = c.unit_code AND c.unit_type = 'kommun'
JOIN publication_cells p
  ON {_SAME} AND p.unit_type = 'lan' AND p.unit_code = '00' || m.county_code
 AND c.target_group = p.target_group AND c.breakdown = p.breakdown AND c.breakdown_value = p.breakdown_value
UNION ALL
SELECT c.cell_id, p.cell_id, 'riket' FROM publication_cells c JOIN publication_cells p
  ON {_SAME} AND c.unit_type = 'lan' AND p.unit_type = 'riket'
 AND c.target_group = p.target_group AND c.breakdown = p.breakdown AND c.breakdown_value = p.breakdown_value
UNION ALL
SELECT c.cell_id, p.cell_id, 'grupp' FROM publication_cells c
JOIN peer_groups g ON g.municipality_code = c.unit_code AND c.unit_type = 'kommun'
JOIN publication_cells p
  ON {_SAME} AND p.unit_type = 'grupp' AND p.unit_code = g.peer_group
 AND c.target_group = p.target_group AND c.breakdown = p.breakdown AND c.breakdown_value = p.breakdown_value
"""

#: one round: in each group with a published total and exactly one hidden member, hide the
#: published member with the smallest denominator
_ROUND_SQL = """
WITH members AS (
    SELECT e.parent, e.kind, c.cell_id, c.hidden, c.denominator
    FROM publication_edges e JOIN publication_cells c ON c.cell_id = e.child
), exposed AS (
    SELECT m.parent, m.kind FROM members m JOIN publication_cells p ON p.cell_id = m.parent
    WHERE NOT p.hidden
    GROUP BY m.parent, m.kind HAVING count_if(m.hidden) = 1 AND count_if(NOT m.hidden) > 0
), picks AS (
    SELECT arg_min(m.cell_id, (m.denominator, m.cell_id)) AS cell_id
    FROM members m JOIN exposed USING (parent, kind) WHERE NOT m.hidden
    GROUP BY m.parent, m.kind
)
UPDATE publication_cells SET hidden = TRUE, suppression = 'sekundär'
WHERE cell_id IN (SELECT cell_id FROM picks)
"""

_PUBLISHED_SQL = f"""
CREATE OR REPLACE TABLE published_indicators AS
SELECT {_KEY_LIST},
       CASE WHEN NOT hidden THEN numerator END AS numerator,
       CASE WHEN NOT hidden THEN denominator END AS denominator,
       CASE WHEN NOT hidden THEN value END AS value,
       CASE WHEN NOT hidden THEN ci95_low END AS ci95_low,
       CASE WHEN NOT hidden THEN ci95_high END AS ci95_high,
       CASE WHEN NOT hidden THEN ci998_low END AS ci998_low,
       CASE WHEN NOT hidden THEN ci998_high END AS ci998_high,
       CASE WHEN suppressed THEN 'primär' ELSE suppression END AS suppression
FROM publication_cells
ORDER BY {_KEY_LIST};

CREATE OR REPLACE TABLE published_comparisons AS
SELECT c.{_KEY_LIST.replace(", ", ", c.")}, c.benchmark_unit_type, c.benchmark_unit_code,
       CASE WHEN b.value IS NOT NULL THEN c.benchmark_value END AS benchmark_value,
       CASE WHEN p.value IS NULL OR b.value IS NULL THEN 'ej jämförbar' ELSE c.significance END AS significance,
       CASE WHEN p.value IS NOT NULL THEN c.quartile END AS quartile,
       CASE WHEN p.value IS NULL THEN 'grå' ELSE c.colour END AS colour,
       CASE WHEN p.value IS NOT NULL THEN c.funnel END AS funnel,
       CASE WHEN p.value IS NULL THEN 'ej beräknad' ELSE c.trend END AS trend
FROM comparisons c
JOIN published_indicators p USING ({_KEY_LIST})
LEFT JOIN published_indicators b
  ON b.unit_code = c.benchmark_unit_code AND b.unit_type = c.benchmark_unit_type AND b.period = c.period
 AND b.period_type = c.period_type AND b.target_group = c.target_group AND b.breakdown = c.breakdown
 AND b.breakdown_value = c.breakdown_value AND b.indicator_id = c.indicator_id
ORDER BY c.{_KEY_LIST.replace(", ", ", c.")}, c.benchmark_unit_type, c.benchmark_unit_code;

CREATE OR REPLACE TABLE published_baselines AS
WITH published_municipal AS (
    SELECT p.*, c.quartile, c.indicator_id AS id
    FROM published_indicators p JOIN published_comparisons c USING (period, period_type, unit_code, unit_type,
                                                                   target_group, breakdown, breakdown_value, indicator_id)
    WHERE p.unit_type = 'kommun' AND p.period_type = 'rolling4q' AND p.breakdown = 'alla'
      AND c.benchmark_unit_type = 'riket' AND p.value IS NOT NULL
), thresholds AS (  -- from published values only: a hidden cell must not set the threshold
    SELECT m.period, m.target_group, m.indicator_id,
           min(m.value) AS lowest, max(m.value) AS highest
    FROM published_municipal m
    WHERE m.quartile = 1
    GROUP BY ALL
), peer_medians AS (
    SELECT m.period, g.peer_group, m.target_group, m.indicator_id, median(m.value) AS peer_median
    FROM published_municipal m JOIN peer_groups g ON g.municipality_code = m.unit_code
    GROUP BY ALL
)
SELECT b.unit_code, b.target_group, b.indicator_id, b.period,
       p.value AS baseline_value, p.ci95_low AS baseline_ci95_low, p.ci95_high AS baseline_ci95_high,
       p.denominator AS baseline_n, p.suppression,
       country.value AS country_value, county.value AS county_value, b.peer_group,
       pm.peer_median,
       CASE WHEN i.polarity = 'higher' THEN t.lowest ELSE t.highest END AS best_quartile_threshold,
       CASE WHEN p.value IS NOT NULL THEN b.min_detectable_change END AS min_detectable_change,
       CASE WHEN p.value IS NULL THEN NULL
            WHEN b.target_rule = 'bästa_kvartilen'
            THEN CASE WHEN i.polarity = 'higher' THEN t.lowest ELSE t.highest END
            ELSE b.suggested_target END AS suggested_target,
       CASE WHEN p.value IS NOT NULL THEN b.target_rule ELSE 'för_få_uppföljningar' END AS target_rule
FROM baselines b
JOIN municipality_reference m ON m.municipality_code = b.unit_code
JOIN comparison_catalogue i ON i.indicator_id = b.indicator_id
LEFT JOIN thresholds t ON t.period = b.period AND t.target_group = b.target_group AND t.indicator_id = b.indicator_id
LEFT JOIN peer_medians pm ON pm.period = b.period AND pm.peer_group = b.peer_group AND pm.target_group = b.target_group
     AND pm.indicator_id = b.indicator_id
JOIN published_indicators p ON p.unit_type = 'kommun' AND p.unit_code = b.unit_code AND p.period = b.period
 AND p.period_type = 'rolling4q' AND p.target_group = b.target_group AND p.breakdown = 'alla'
 AND p.indicator_id = b.indicator_id
LEFT JOIN published_indicators country ON country.unit_type = 'riket' AND country.period = b.period
 AND country.period_type = 'rolling4q' AND country.target_group = b.target_group
 AND country.breakdown = 'alla' AND country.indicator_id = b.indicator_id
LEFT JOIN published_indicators county ON county.unit_type = 'lan' AND county.unit_code = '00' || m.county_code
 AND county.period = b.period AND county.period_type = 'rolling4q' AND county.target_group = b.target_group
 AND county.breakdown = 'alla' AND county.indicator_id = b.indicator_id
ORDER BY b.unit_code, b.target_group, b.indicator_id;
"""


def build_publication(con: duckdb.DuckDBPyConnection, max_rounds: int = 50) -> dict:
    """(Re)create the published_* tables; returns counts of primary and secondary suppressions."""
    from uiv_core.comparisons import register_catalogue
    from uiv_core.indicators import register_municipality_reference

    register_municipality_reference(con)
    register_catalogue(con)
    con.execute(_CANDIDATES_SQL)
    con.execute(_EDGES_SQL)
    rounds = 0
    while rounds < max_rounds:
        before = con.execute("SELECT count_if(hidden) FROM publication_cells").fetchall()[0][0]
        con.execute(_ROUND_SQL)
        after = con.execute("SELECT count_if(hidden) FROM publication_cells").fetchall()[0][0]
        rounds += 1
        if after == before:
            break
    else:
        raise RuntimeError(f"secondary suppression did not settle in {max_rounds} rounds")
    for statement in _PUBLISHED_SQL.split(";"):
        if statement.strip():
            con.execute(statement)
    primary, secondary, cells = con.execute(
        "SELECT count_if(suppression = 'primär'), count_if(suppression = 'sekundär'), count(*) "
        "FROM published_indicators").fetchall()[0]
    con.execute("DROP TABLE IF EXISTS publication_edges")
    con.execute("DROP TABLE IF EXISTS publication_cells")
    return {"cells": cells, "primary": primary, "secondary": secondary, "rounds": rounds}
