"""Quarterly partitions: one partition per quarter of follow-up date (`2025Q3`).

Dynamic, because exports arrive irregularly and may hold old quarters (corrections): the inbox
sensor, the quarterly schedule and `uiv refresh` add the quarters they find in the files before
they ask for runs. A run for one quarter replaces only that quarter's rows of `indicator_sums`
and the `indicators` cells that quarter feeds (the quarter, its year, the rolling windows holding
it); a run over the whole range (`uiv refresh`, a backfill from the UI) does it for every quarter
in one go.
"""

import warnings

import dagster as dg

# backfill_policy is marked beta; single-run backfills are what this pipeline needs.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

QUARTERS = dg.DynamicPartitionsDefinition(name="quarter")

#: A backfill of many quarters runs as one run: the SQL handles a set of quarters at once.
ONE_RUN_BACKFILL = dg.BackfillPolicy.single_run()

#: The run tags with which Dagster's own single-run backfills name a range of partitions (shown
#: on every backfill run in the UI); `uiv refresh` and the quarterly schedule ask for a range of
#: quarters the same way. Written out: the constants live in a private Dagster module
#: (tests/test_dagster.py checks that they still agree).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def register_quarters(instance: dg.DagsterInstance, quarters) -> list[str]:
    """Add `quarters` to the instance's quarter partitions, keeping them in calendar order, and
    return the registered keys in that order.

    A dynamic partition set keeps the order in which keys were added, and a range of partitions
    (a backfill, a `uiv refresh`) is read in that order. A correction for an older quarter
    arriving after newer ones would otherwise sit at the end and a range from it would span the
    wrong quarters, so the keys after it are taken out and put back in order (Dagster keeps
    their materializations: they are recorded by key)."""
    from uiv_core.quarters import quarter_index

    known = list(instance.get_dynamic_partitions(QUARTERS.name))
    wanted = sorted(set(known) | set(quarters), key=quarter_index)
    if wanted == known:
        return known
    keep = 0
    while keep < len(known) and known[keep] == wanted[keep]:
        keep += 1
    for key in known[keep:]:
        instance.delete_dynamic_partition(QUARTERS.name, key)
    instance.add_dynamic_partitions(QUARTERS.name, wanted[keep:])
    return wanted
