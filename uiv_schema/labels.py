"""Swedish labels users read: one catalogue, so no Swedish text is scattered through the code.

Codes are the contract's (`uiv_schema.codes`); each dict maps a code to its Swedish label.
"""

AREA_LABELS: dict[str, str] = {
    "missbruk": "Missbruk eller spel",
    "boende": "Boende",
    "syssel": "Sysselsättning",
    "ekonomi": "Ekonomi",
    "fysisk": "Fysisk hälsa",
    "psykisk": "Psykisk hälsa",
    "relationer": "Sociala relationer",
    "foralder": "Föräldraskap",
    "krim": "Hålla sig från brott",
}

TARGET_GROUP_LABELS: dict[str, str] = {
    "alla": "Alla målgrupper",
    "missbruk": "Missbruk",
    "spel": "Spel om pengar",
    "psykisk": "Psykisk ohälsa",
    "vald": "Våld i nära relationer",
    "hemloshet": "Hemlöshet",
}

SEX_LABELS: dict[str, str] = {"K": "Kvinnor", "M": "Män", "X": "Annat/uppgift saknas"}

SUBSTANCE_LABELS: dict[str, str] = {
    "alkohol": "Alkohol",
    "amfetamin": "Amfetamin",
    "cannabis": "Cannabis",
    "opioider": "Opioider",
    "kokain": "Kokain",
    "lugnande": "Lugnande läkemedel",
    "annat": "Annat",
}

INTERVENTION_LABELS: dict[str, str] = {
    "oppenvard": "Öppenvård",
    "institution": "Institution",
    "familjehem": "Familjehem",
    "stodboende": "Stödboende",
    "boendestod": "Boendestöd",
    "kontaktperson": "Kontaktperson",
    "annat": "Annan insats",
}

BREAKDOWN_LABELS: dict[str, str] = {
    "alla": "Alla",
    "sex": "Kön",
    "age_group": "Åldersgrupp",
    "main_substance": "Huvuddrog",
    "intervention": "Insats",
}

PERIOD_TYPE_LABELS: dict[str, str] = {
    "quarter": "Kvartal",
    "year": "Kalenderår",
    "rolling4q": "Rullande fyra kvartal",
}

# Shown in the report while fewer than four quarters are loaded (no rolling period exists yet).
NO_PERIOD_LABEL = "ingen period ännu"
NO_PERIOD_NOTICE = ("Det finns ännu ingen rullande fyra-kvartalsperiod att redovisa: minst fyra på varandra "
                    "följande kvartal behöver vara inlästa. Rapporten fylls i när det fjärde kvartalet har lästs in.")

UNIT_TYPE_LABELS: dict[str, str] = {
    "kommun": "Kommun",
    "lan": "Län",
    "riket": "Riket",
    "grupp": "Jämförelsegrupp",
}

COUNTRY_NAME = "Riket"

#: significance against a benchmark (stored in comparisons.significance)
SIGNIFICANCE_LABELS: dict[str, str] = {
    "bättre": "Bättre än jämförelsevärdet",
    "sämre": "Sämre än jämförelsevärdet",
    "likvärdig": "Ingen säker skillnad",
    "ej jämförbar": "Kan inte jämföras",
}

#: Öppna jämförelser colours (stored in comparisons.colour)
COLOUR_LABELS: dict[str, str] = {
    "grön": "Bästa kvartilen",
    "gul": "Mittersta hälften",
    "röd": "Sämsta kvartilen",
    "grå": "Inget värde",
}

#: PHEindicatormethods' funnel labels (stored as PHE words them) → Swedish
FUNNEL_LABELS: dict[str, str] = {
    "High (0.001)": "Högt (utanför 99,8 %-gränsen)",
    "High (0.025)": "Högt (utanför 95 %-gränsen)",
    "Not significant": "Inom förväntat intervall",
    "Low (0.025)": "Lågt (utanför 95 %-gränsen)",
    "Low (0.001)": "Lågt (utanför 99,8 %-gränsen)",
}

#: trend over the last eight quarters (stored in comparisons.trend)
TREND_LABELS: dict[str, str] = {
    "ökar": "Ökar",
    "minskar": "Minskar",
    "ingen förändring": "Ingen säker förändring",
    "ej beräknad": "Kan inte beräknas",
}

SUPPRESSED_MARK = ".."

#: goal-setting rules (stored in baselines.target_rule; explained in docs/methods.md)
TARGET_RULE_LABELS: dict[str, str] = {
    "bästa_kvartilen": "Nå gränsen till bästa kvartilen (en förändring som går att påvisa)",
    "påvisbar_förbättring": "Förbättra med minst den minsta påvisbara förändringen",
    "behåll_nivån": "Redan i bästa kvartilen: behåll minst nuvarande nivå",
    "ingen_påvisbar_förändring": "För få uppföljningar för att påvisa en förändring: behåll nivån",
    "för_få_uppföljningar": "För få uppföljningar för ett publicerat utgångsvärde",
}
