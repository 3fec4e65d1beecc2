"""The indicator catalogue (indicators-v1): one declarative place. Adding an indicator is one entry.

Each entry says how to count a group of follow-up rows (SQL over a `followups` row):
- a *percent* indicator: `denominator` is the condition for a row to count in the denominator,
  `numerator` the condition (within the denominator) to count in the numerator; value = 100·num/den;
- a *mean* indicator: `denominator` is the condition for a rating to count, `numerator` the value
  summed (the rating); value = Σ rating / count.

`AREA_FAMILIES` are templates with `{area}` expanded for each of the nine life areas; `SINGLE`
are indicators without an area. Ids are stable: exports, charts and other systems join on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from uiv_schema.codes import AREAS
from uiv_schema.labels import AREA_LABELS

INDICATOR_VERSION = "indicators-v1"

PERCENT = "percent"
MEAN = "mean"
HIGHER = "higher"  # higher is better
LOWER = "lower"  # lower is better

#: The case mix a share is adjusted for (indirect standardisation, docs/methods.md): the client's
#: target group always (every adjusted cell is a target group or all of them), then these columns;
#: main substance counts within target group missbruk only (it is blank elsewhere).
CASE_MIX = ("sex", "age_group", "main_substance")


@dataclass(frozen=True)
class Indicator:
    id: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str
    numerator: str  # SQL: condition (percent) or summed value (mean)
    denominator: str  # SQL: condition
    unit: str  # PERCENT or MEAN
    polarity: str | None  # HIGHER, LOWER or None (describes, no better/worse)
    area: str | None = None
    #: what one counted row adds to the numerator, at least and at most: a share's row adds 0 or 1,
    #: a mean's row its rating. Public knowledge that the disclosure audit gives its attacker.
    scale: tuple[int, int] = (0, 1)
    #: the strata of its case-mix adjusted cells (besides the target group); () = not adjusted
    strata: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaFamily:
    """An indicator template for every life area: `{area}` and `{area_sv}` are filled in."""

    id: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str
    numerator: str
    denominator: str
    unit: str
    polarity: str | None
    scale: tuple[int, int] = (0, 1)
    strata: tuple[str, ...] = ()

    def expand(self) -> list[Indicator]:
        return [
            Indicator(
                id=self.id.format(area=area),
                name_sv=self.name_sv.format(area_sv=AREA_LABELS[area].lower()),
                name_en=self.name_en.format(area=area),
                description_sv=self.description_sv.format(area_sv=AREA_LABELS[area].lower()),
                description_en=self.description_en.format(area=area),
                numerator=self.numerator.format(area=area),
                denominator=self.denominator.format(area=area),
                unit=self.unit,
                polarity=self.polarity,
                area=area,
                scale=self.scale,
                strata=self.strata,
            )
            for area in AREAS
        ]


AREA_FAMILIES: tuple[AreaFamily, ...] = (
    AreaFamily(
        id="need_share.{area}",
        name_sv="Andel med behov: {area_sv}",
        name_en="Share with a need: {area}",
        description_sv="Andel av de uppföljda som vid start hade behov inom området {area_sv}.",
        description_en="Share of followed-up clients with a need in area {area} at the start.",
        numerator="need_{area}",
        denominator="TRUE",
        unit=PERCENT,
        polarity=None,
    ),
    AreaFamily(
        id="rating_coverage.{area}",
        name_sv="Andel med skattning: {area_sv}",
        name_en="Rating coverage: {area}",
        description_sv="Andel av dem med behov inom {area_sv} som skattat förändringen (1–4).",
        description_en="Share of clients with a need in area {area} who rated the change (1-4).",
        numerator="rating_{area} BETWEEN 1 AND 4",
        denominator="need_{area}",
        unit=PERCENT,
        polarity=HIGHER,
        strata=CASE_MIX,
    ),
    AreaFamily(
        id="improved_share.{area}",
        name_sv="Andel förbättrade: {area_sv}",
        name_en="Share improved: {area}",
        description_sv="Andel som skattar sin förmåga inom {area_sv} som något eller påtagligt bättre.",
        description_en="Share rating their ability in area {area} as somewhat or markedly better.",
        numerator="rating_{area} BETWEEN 3 AND 4",
        denominator="need_{area} AND rating_{area} BETWEEN 1 AND 4",
        unit=PERCENT,
        polarity=HIGHER,
        strata=CASE_MIX,
    ),
    AreaFamily(
        id="marked_improvement_share.{area}",
        name_sv="Andel påtagligt förbättrade: {area_sv}",
        name_en="Share markedly improved: {area}",
        description_sv="Andel som skattar sin förmåga inom {area_sv} som påtagligt bättre.",
        description_en="Share rating their ability in area {area} as markedly better.",
        numerator="rating_{area} = 4",
        denominator="need_{area} AND rating_{area} BETWEEN 1 AND 4",
        unit=PERCENT,
        polarity=HIGHER,
        strata=CASE_MIX,
    ),
    AreaFamily(
        id="mean_rating.{area}",
        name_sv="Medelskattning: {area_sv}",
        name_en="Mean rating: {area}",
        description_sv="Genomsnittlig skattning (1 sämre – 4 påtagligt bättre) inom {area_sv}.",
        description_en="Mean rating (1 worse - 4 markedly better) in area {area}.",
        numerator="rating_{area}",
        denominator="need_{area} AND rating_{area} BETWEEN 1 AND 4",
        unit=MEAN,
        polarity=HIGHER,
        scale=(1, 4),
    ),
)

SINGLE: tuple[Indicator, ...] = (
    Indicator(
        id="satisfied_share",
        name_sv="Andel nöjda",
        name_en="Share satisfied",
        description_sv="Andel som är ganska eller mycket nöjda (4–5) av dem som svarat (1–5).",
        description_en="Share answering 4-5 (satisfied) among those answering 1-5.",
        numerator="satisfaction BETWEEN 4 AND 5",
        denominator="satisfaction BETWEEN 1 AND 5",
        unit=PERCENT,
        polarity=HIGHER,
        strata=CASE_MIX,
    ),
    Indicator(
        id="dropout_share",
        name_sv="Andel avbrutna insatser",
        name_en="Share dropped out",
        description_sv="Andel avbrutna av de insatser som avslutats (genomförda eller avbrutna).",
        description_en="Share dropped out among interventions ended (completed or dropped out).",
        numerator="completed = 'avbrutet'",
        denominator="completed IN ('ja', 'avbrutet')",
        unit=PERCENT,
        polarity=LOWER,
        strata=CASE_MIX,
    ),
)

INDICATORS: tuple[Indicator, ...] = tuple(
    indicator for family in AREA_FAMILIES for indicator in family.expand()
) + SINGLE
INDICATOR_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}
#: the shares with a polarity: adjusted for case mix beside the crude share
ADJUSTED_INDICATORS: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.strata)
#: an indicator whose denominator is every follow-up (`TRUE`): the count of follow-ups of a cell
FOLLOWUPS_INDICATOR = "need_share.missbruk"
