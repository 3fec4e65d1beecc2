"""Swedish labels users read: one catalogue, so no Swedish text is scattered through the code.

Codes are the contract's (`uiv_schema.codes`) and the stored result codes (`uiv_schema.results`);
each dict maps a code to its Swedish label.
"""

from uiv_schema.results import COLOUR, SIGNIFICANCE, TARGET_RULE, TREND

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
    SIGNIFICANCE.BETTER: "Bättre än jämförelsevärdet",
    SIGNIFICANCE.WORSE: "Sämre än jämförelsevärdet",
    SIGNIFICANCE.SIMILAR: "Ingen säker skillnad",
    SIGNIFICANCE.NOT_COMPARABLE: "Kan inte jämföras",
}

#: Öppna jämförelser colours (stored in comparisons.colour)
COLOUR_LABELS: dict[str, str] = {
    COLOUR.GREEN: "Bästa kvartilen",
    COLOUR.MIDDLE: "Mittersta hälften",
    COLOUR.RED: "Sämsta kvartilen",
    COLOUR.GREY: "Inget värde",
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
    TREND.UP: "Ökar",
    TREND.DOWN: "Minskar",
    TREND.FLAT: "Ingen säker förändring",
    TREND.NOT_CALCULATED: "Kan inte beräknas",
}

#: the trend as an arrow beside its words on the pages (a direction, not a judgement)
TREND_ARROWS: dict[str, str] = {TREND.UP: "↑", TREND.DOWN: "↓", TREND.FLAT: "→", TREND.NOT_CALCULATED: ""}

SUPPRESSED_MARK = ".."
#: a figure that cannot be computed although the cell is shown (`..` means hidden only)
NOT_CALCULABLE = "kan inte beräknas"
#: the goal sentence where a detectable change is out of reach (n per four quarters, the change)
OUT_OF_REACH_NOTE = ("med n = {n} per år kan bara en förändring på minst {change} påvisas; "
                     "jämför över längre tid eller med länet")
#: a baseline pooled over eight quarters (the latest four have fewer than the planning n)
POOLED_NOTE = ("utgångsvärdet bygger på de åtta senaste kvartalen ({quarters}) eftersom de fyra senaste "
               "bara har n = {n}")
NOTHING_DETECTABLE_NOTE = ("med n = {n} per år kan ingen förändring inom skalan påvisas; "
                           "jämför över längre tid eller med länet")

#: goal-setting rules (stored in baselines.target_rule; explained in docs/methods.md)
TARGET_RULE_LABELS: dict[str, str] = {
    TARGET_RULE.BEST_QUARTILE: "Nå gränsen till bästa kvartilen (en förändring som går att påvisa)",
    TARGET_RULE.DETECTABLE: "Förbättra med minst den minsta påvisbara förändringen",
    TARGET_RULE.KEEP: "Redan i bästa kvartilen: behåll minst nuvarande nivå",
    TARGET_RULE.BETTER_THAN_BASELINE: "Bättre än utgångsvärdet (en påvisbar förändring är inte inom räckhåll)",
    TARGET_RULE.TOO_FEW: "För få uppföljningar för ett publicerat utgångsvärde",
}


# --- charts (uiv_core.publish.charts) ---

CHART_LABELS: dict[str, str] = {
    "axis_percent": "Andel (%)", "axis_mean": "Medelskattning (1–4)",
    "axis_n": "Antal uppföljningar (nämnare)", "axis_period": "Sista kvartalet i perioden",
    "ci": "95 % KI", "n": "n", "limit_95": "95 %-gräns", "limit_998": "99,8 %-gräns",
    "overdispersed": "justerad för överspridning", "others": "Kommuner",
    "range": "Kommunernas spridning (lägst–högst)", "iqr": "Mellersta hälften av kommunerna",
    "spread": "Kommunerna", "min": "lägst", "p25": "25:e percentilen", "p75": "75:e percentilen",
    "max": "högst", "worst": "Sämst / lägst", "best": "Bäst / högst",
    "vs_country": "Jämfört med riket", "no_data": "–", "no_data_hover": "inga uppföljningar",
    "rolling_points": "varje punkt = fyra kvartal till och med kvartalet",
    "suppressed_note": ".. = för få uppföljningar för att visas",
    "tartan_title": "Öppna jämförelser: {group}", "county_scope": "Kommuner i {county}",
    "all_scope": "Alla kommuner",
    "county_members": "Kommuner i {county}", "group_members": "Kommungruppen {group}",
    "place": "Plats", "of": "av", "place_axis": "Plats bland kommunerna (1 = bäst)",
    "hidden_count": "{count} kommuner med .. (för få uppföljningar) visas inte",
    "axis_expected": "Förväntat antal (E) utifrån klientsammansättningen",
    "axis_ratio": "Observerat / förväntat (O/E)", "expected_line": "Som förväntat (O/E = 1)",
    "adjusted_title": "Justerat för klientsammansättning: {indicator}",
    "adjusted_hover": "{name}: O/E {ratio}<br>O = {observed}, E = {expected}",
}


# --- exports (uiv_core.publish.exports) ---

EXPORT_HEADERS: dict[str, str] = {
    "period": "Period", "period_type": "Periodtyp", "unit_code": "Enhetskod", "unit_name": "Enhet",
    "unit_type": "Enhetstyp", "target_group": "Målgrupp", "breakdown": "Redovisning",
    "breakdown_value": "Redovisningsvärde", "indicator_id": "Indikator-id", "indicator_name": "Indikator",
    "measure": "Mått", "numerator": "Täljare", "denominator": "Nämnare", "value": "Värde",
    "ci95_low": "KI 95 % nedre", "ci95_high": "KI 95 % övre", "ci998_low": "KI 99,8 % nedre",
    "ci998_high": "KI 99,8 % övre", "suppression": "Skyddad", "country_value": "Riket",
    "significance": "Jämfört med riket", "colour": "Färg", "quartile": "Kvartil",
    "funnel": "Trattdiagram (mot riket)", "trend": "Trend",
    "county_significance": "Jämfört med länet", "group_value": "Kommungruppen",
    "group_significance": "Jämfört med kommungruppen",
    "observed": "Observerat antal (O)", "expected": "Förväntat antal (E)", "ratio": "O/E",
    "ratio_ci95_low": "O/E KI 95 % nedre", "ratio_ci95_high": "O/E KI 95 % övre",
    "ratio_ci998_low": "O/E KI 99,8 % nedre", "ratio_ci998_high": "O/E KI 99,8 % övre",
    "adjusted_value": "Justerad andel", "adjusted_ci95_low": "Justerad andel KI 95 % nedre",
    "adjusted_ci95_high": "Justerad andel KI 95 % övre", "standard_value": "Riket (ojusterat)",
    "adjusted_significance": "Jämfört med riket, justerat",
    "baseline_value": "Utgångsvärde", "baseline_ci95_low": "KI 95 % nedre",
    "baseline_ci95_high": "KI 95 % övre", "baseline_n": "Antal (n)", "yearly_n": "n senaste fyra kvartal", "county_value": "Länet",
    "peer_group": "Jämförelsegrupp", "peer_median": "Jämförelsegruppens median",
    "best_quartile_threshold": "Bästa kvartilens gräns",
    "min_detectable_change": "Minsta påvisbara förändring (p.e. eller skalsteg)",
    "best_published_value": "Bästa publicerade värde", "n_needed": "n som behövs (5 p.e. / 0,25 skalsteg)",
    "suggested_target": "Föreslaget mål", "target_rule": "Regel", "goal_note": "Kommentar",
}
EXPORT_LABELS: dict[str, str] = {
    "percent": "Procent", "mean": "Medelvärde", "primär": "För få uppföljningar",
    "sekundär": "Dold för att skydda en annan cell",
    "dold": "Dold (för få uppföljningar eller för att skydda en annan cell)", "about_sheet": "Om filen",
    "goal_about_sheet": "Om underlaget", "goal_sheet": "Målunderlag", "adjusted_sheet": "Justerade",
    "no_years": "inget helt kalenderår ännu",
    "incomplete_year": ("Kalenderåret {year} är inte komplett och redovisas inte som kalenderår; "
                        "de senaste uppföljningarna finns i de rullande fyra kvartalen {quarters}."),
}
#: the "Om filen" sheet of indikatorer_justerade.xlsx (formatted with the run's texts)
ADJUSTED_ABOUT_ROWS: tuple[tuple[str, str], ...] = (
    ("Innehåll", "Andelar med en bättre/sämre-riktning justerade för klientsammansättning (indirekt "
                 "standardisering), per period, kommun, län, jämförelsegrupp och målgrupp, utan uppdelning."),
    ("Justering", "Förväntat antal (E) = summan över klientgrupperna (målgrupp × kön × åldersgrupp, och "
                  "huvuddrog inom missbruk) av kommunens antal i gruppen gånger rikets andel i samma grupp "
                  "och period. O/E = observerat antal (täljaren) delat med E: 1 betyder som väntat för den "
                  "klientsammansättningen, 0,90 att 10 % färre än väntat förbättrades. Justerad andel = O/E "
                  "× rikets ojusterade andel."),
    ("Jämfört med riket, justerat", "O/E:s 95 %-konfidensintervall (exakta Poissongränser under 10 "
                                    "observerade, Byars metod från 10) ligger helt över eller under 1, läst "
                                    "efter indikatorns riktning; annars likvärdig."),
    ("Avrundning", "O/E med två decimaler, andelar med en, E som heltal. En justerad andel och dess "
                   "konfidensintervall är högst 100 %."),
    ("..", "Visas inte: den ojusterade cellen är dold (se indicatorer.xlsx), nämnaren är under {min_n} "
           "eller E under {expected_floor}. Den justerade andelen visas bara där rikets ojusterade "
           "andel visas."),
    ("Körning", "{run_stamp}"),
    ("Metodversion", "{method}"),
)
#: an observed/expected ratio with its interval as read on the pages (uiv_core.publish.swedish.ratio)
RATIO_TEXT = "{ratio} ({low}–{high}) av förväntat"
#: what each indicator file holds (the "Innehåll" row of its "Om filen" sheet), by its part
EXPORT_CONTENTS: dict[str, str] = {
    "latest": ("Indikatorer för brukarnytta i socialtjänsten (UIV), de senaste rullande fyra kvartalen "
               "({latest}): publicerade värden per enhet och målgrupp, utan uppdelning. En flik per målgrupp."),
    "breakdowns": ("Indikatorer för brukarnytta (UIV), de senaste rullande fyra kvartalen ({latest}), "
                   "uppdelade på kön, åldersgrupp, insats och huvuddrog. En flik per målgrupp."),
    "years": ("Indikatorer för brukarnytta (UIV) per hela kalenderår ({years}), utan uppdelning. "
              "En flik per målgrupp."),
}
#: where the peer groups come from (cite SKR wherever its groups are shown)
PEER_GROUP_NOTE = ("Som standard kommungruppen enligt SKR:s indelning (källa: SKR, Kommungruppsindelning 2023); "
                   "en egen indelning kan anges vid körningen och ersätter den då.")

ABOUT_ROWS: tuple[tuple[str, str], ...] = (
    ("Innehåll", "{content}"),
    ("Filerna", "indicatorer.xlsx: de senaste rullande fyra kvartalen ({latest}), alla enheter och "
                "målgrupper utan uppdelning. indicatorer_uppdelningar.xlsx: samma period uppdelad på kön, "
                "åldersgrupp, insats och huvuddrog. indicatorer_kalenderar.xlsx: hela kalenderår ({years}) "
                "utan uppdelning. indicatorer.csv: de tre arbetsböckernas rader tillsammans, med värdena "
                "avrundade som i rapporten (en decimal för andelar, två för medelskattningar). "
                "indicators.parquet: alla publicerade perioder och uppdelningar med fulla decimaler. "
                "oppna_jamforelser_<period>.xlsx: kommunerna som rader och indikatorerna som kolumner, "
                "färgade efter kvartil. malunderlag_<kod>.xlsx: underlag för målsättning per kommun. "
                "indikatorer_justerade.xlsx och adjusted.parquet: andelarna justerade för "
                "klientsammansättning (ålder, kön, målgrupp och huvuddrog), observerat mot förväntat."),
    ("Enhetskod", "Kommunkod (0180), länskod (0001) eller 0000 för riket. I indicatorer.csv står en "
                  "kod med siffror som =\"0180\", så att Excel och LibreOffice behåller nollan först "
                  "när filen öppnas med dubbelklick (programmen visar 0180)."),
    ("Källa", "UIV-uppföljningar som kommunerna levererat (exportkontrakt {contract}); tabellerna "
              "published_indicators och published_comparisons."),
    ("Körning", "{run_stamp}"),
    ("Metodversion", "{method}"),
    ("Minsta antal (n)", "{min_n}"),
    ("..", "Visas inte (värde, konfidensintervall, täljare, nämnare): färre än {min_n} uppföljningar "
           "i nämnaren (0 till {min_n} − 1), eller dolt för att skydda en annan cell: värdet bygger på "
           "minst {min_n}, men en liten cell skulle annars kunna räknas fram ur summorna (t.ex. länet "
           "minus de andra kommunerna). Kolumnen Skyddad anger vilket."),
    ("Perioder", "Rullande fyra kvartal, märkta med sista kvartalet (2026Q3 = 2025Q4–2026Q3), och "
                 "kalenderår när årets alla fyra kvartal finns (ett kalenderår är då samma "
                 "uppföljningar som de rullande fyra kvartalen till och med årets fjärde kvartal). "
                 "{incomplete}"),
    ("Enheter", "Kommun, län, riket (de kommuner som levererat) och jämförelsegrupp: län, riket och "
                "grupper är alla deras uppföljningar sammanslagna."),
    ("Värde", "Procent (0–100) eller medelskattning (1 sämre – 4 påtagligt bättre). KI = "
              "konfidensintervall."),
    ("Jämfört med riket", "Kommunens 95 %-konfidensintervall ligger helt över eller under rikets "
                          "värde, läst efter indikatorns riktning; annars ingen säker skillnad. Kolumnerna "
                          "Länet och Kommungruppen med sina jämförelser läses likadant (kommunens eget län "
                          "och kommungrupp; .. där det värdet är dolt)."),
    ("Färg och kvartil", "Som Öppna jämförelser: grön = bästa kvartilen (1) bland kommunerna, gul = "
                         "mittersta hälften, röd = sämsta kvartilen (4), grå = inget värde eller "
                         "ingen bättre/sämre-riktning."),
    ("Trend", "Test för linjär trend över kommunens åtta senaste kvartal (andelar och medelskattningar, "
              "rullande fyra kvartal)."),
    ("Jämförelsegrupp", PEER_GROUP_NOTE),
    ("Metod", "docs/methods.md i projektets dokumentation, avsnittet \"Sammanfattning på svenska\"."),
)
GOAL_ROWS: tuple[tuple[str, str], ...] = (
    ("Målunderlag", "{name} ({code})"),
    ("Körning", "{run_stamp}"),
    ("Metodversion", "{method}; minsta antal (n) {min_n}"),
    ("Period", "Rullande fyra kvartal {period}, målgrupp för målgrupp, utan uppdelning. Har de fyra "
               "senaste kvartalen för få uppföljningar för planering (som standard färre än 30) bygger utgångsvärdet på de åtta senaste "
               "kvartalen (kolumnen Period säger vilka), när båda årens värden är publicerade."),
    ("Så föreslås målet", "Utgångsvärdet är kommunens värde de senaste fyra kvartalen. Reglerna "
                          "prövas i tur och ordning; den första som passar ger målet:"),
    ("1", TARGET_RULE_LABELS[TARGET_RULE.TOO_FEW] + ": inget mål."),
    ("2", TARGET_RULE_LABELS[TARGET_RULE.KEEP] + " (målet = utgångsvärdet, läs \"mer än i dag\")."),
    ("3", TARGET_RULE_LABELS[TARGET_RULE.BEST_QUARTILE] + ": om gränsen ligger minst en minsta påvisbar "
          "förändring bort är målet gränsen."),
    ("4", TARGET_RULE_LABELS[TARGET_RULE.DETECTABLE] + ": annars utgångsvärdet plus den "
          "förändringen, om det inte blir bättre än den bästa kommunens publicerade värde eller når "
          "skalans ände (100 %, 0 %, 4 eller 1)."),
    ("5", TARGET_RULE_LABELS[TARGET_RULE.BETTER_THAN_BASELINE] + ": annars, och när ingen förändring "
          "kan påvisas med kommunens antal, är målet \"mer än utgångsvärdet\" (eller mindre, där lägre "
          "är bättre)."),
    ("Minsta påvisbara förändring", "Den minsta förbättring som nästa fyra kvartal kan visa som "
                                    "statistiskt säker med lika många uppföljningar (5 % nivå, 80 % "
                                    "styrka), i procentenheter (p.e.) eller skalsteg."),
    ("Antal som behövs", "Uppföljningar per fyra kvartal som behövs för att en förändring på 5 "
                         "procentenheter (0,25 skalsteg för medelskattningar) ska kunna påvisas."),
    ("Bästa kvartilens gräns", "Det sämsta värdet bland kommunerna i bästa kvartilen: vad som krävs "
                               "för att höra till den bästa fjärdedelen."),
    ("Exempel", "34 % har behov av stöd i föräldraskap (Andel med behov: föräldraskap, beskriver "
                "klienterna och får inget mål); 40 % av dem skattar påtagligt bättre (Andel påtagligt "
                "förbättrade: föräldraskap). Ligger 40 % redan vid bästa kvartilens gräns eller över "
                "blir målet: mer än 40 % (regel 2). Annars gränsen (regel 4) eller 40 % plus den "
                "minsta påvisbara förändringen (regel 5)."),
    ("..", "Visas inte: färre än {min_n} uppföljningar, eller dolt för att skydda en annan cell."),
    ("kan inte beräknas", "Värdet finns men måttet går inte att räkna fram (t.ex. ingen förändring "
                          "kan påvisas, eller färre än fyra kommuner att jämföra med)."),
    ("Jämförelsegrupp", PEER_GROUP_NOTE),
    ("Obs", "Målet är ett förslag att diskutera, inte ett omdöme. Metod: docs/methods.md."),
)


# --- report pages (uiv_core.publish.report; the page text itself is in uiv_core/publish/templates) ---

REPORT_LABELS: dict[str, object] = {
    "index_title": "Start", "methods_title": "Metod", "municipality": "Kommun",
    "images_missing": "Bilderna skapades inte i den här körningen (ingen Chrome/Chromium hittades, eller "
                      "bilder var avstängda). Diagrammen ovan kan sparas som PNG med kameraikonen i diagrammet.",
    "periods": "rullande perioder {first}–{last}",
    "profile_headers": ("Indikator", "Värde", "95 % KI", "n", "Riket", "Länet", "Kommungruppen",
                        "Jämfört med riket", "Kvartil", "Plats i riket · i gruppen", "Trend (8 kvartal)"),
    "rank": "{place} av {of}",
    "legend_quartile": "Kvartil bland kommunerna (som i Öppna jämförelser):",
    "legend_significance": "Jämfört med riket (kommunens 95 %-konfidensintervall mot rikets värde):",
    "summary": ("Jämfört med riket: {better} bättre, {similar} utan säker skillnad, {worse} sämre"
                " ({unknown} kan inte jämföras); bästa kvartilen i {best} av {ranked}."),
    "summary_county": ("Jämfört med länet: {better} bättre, {similar} utan säker skillnad, {worse} sämre"
                       " ({unknown} kan inte jämföras)."),
    "summary_group": ("Jämfört med kommungruppen {group}: {better} bättre, {similar} utan säker skillnad,"
                      " {worse} sämre ({unknown} kan inte jämföras)."),
    "summary_none": "Inga publicerade värden för {group} under perioden (för få uppföljningar).",
    "switcher": "Välj målgrupp:",
    "overview_title": "Livsområden i överblick",
    "overview_lead": ("Värdet för varje livsområde och mått, färgat efter jämförelsen med riket "
                      "(andel med behov beskriver klienterna och jämförs inte)."),
    "overview_headers": ("Livsområde", "Behov", "Har skattat", "Förbättrade", "Påtagligt förbättrade",
                         "Medelskattning"),
    "profile_title": "Profil per livsområde",
    "other_indicators": "Nöjdhet och avbrott",
    "breakdown_title": "Uppdelning",
    "breakdown_lead": ("Kommunens publicerade värden per kön, åldersgrupp, insats och huvuddrog (samma "
                       "period). n = antal uppföljningar."),
    "breakdown_n": "n",
    "breakdown_caption": "Andel förbättrade per livsområde, andel nöjda och andel avbrutna insatser",
    "breakdown_single": {"satisfied_share": "Nöjda", "dropout_share": "Avbrutna insatser"},
    "goals_title": "Underlag för målsättning",
    "adjusted_title": "Justerat för klientsammansättning",
    "adjusted_lead": ("Kommunerna följer upp olika klienter. Här jämförs varje andel med vad den skulle ha "
                      "varit om kommunens klienter hade haft rikets resultat i sin grupp (ålder, kön, målgrupp "
                      "och huvuddrog): 1,00 är som förväntat, under 1 färre än förväntat. Visas där den "
                      "ojusterade andelen visas och minst {expected_floor} väntas. Se metoden."),
    "adjusted_headers": ("Indikator", "Värde", "Jämfört med riket", "Justerat för ålder, kön, målgrupp och huvuddrog",
                         "Justerad andel", "Jämfört med riket, justerat"),
    "adjusted_none": "Inga justerade värden för målgruppen: för få uppföljningar eller för få förväntade.",
    "adjusted_funnel_title": "Justerat för klientsammansättning: observerat mot förväntat",
    "adjusted_funnel_lead": ("Varje punkt är en kommun: hur många som förbättrades (O) delat med hur många "
                             "som väntades utifrån klienternas ålder, kön, målgrupp och huvuddrog (E). "
                             "Utanför trattens gränser skiljer sig kommunen från riket även med hänsyn "
                             "till klientsammansättningen."),
    "downloads": {
        "oj": "Öppna jämförelser (Excel): kommunerna som rader, indikatorerna som kolumner, färgade efter kvartil",
        "latest": "Indikatorer, senaste rullande fyra kvartal (Excel), med konfidensintervall, täljare och nämnare",
        "breakdowns": "Indikatorer per kön, åldersgrupp, insats och huvuddrog (Excel)",
        "years": "Indikatorer per helt kalenderår (Excel)",
        "csv": "Alla tre Excelfilernas rader i en fil (CSV, semikolon, decimalkomma)",
        "parquet": "Alla publicerade perioder och uppdelningar (Parquet, för analysprogram)",
        "adjusted": "Andelar justerade för klientsammansättning, observerat mot förväntat (Excel)",
        "adjusted_parquet": "Andelar justerade för klientsammansättning (Parquet, för analysprogram)",
    },
    "no_goals": "Inget utgångsvärde för målgruppen: för få uppföljningar under perioden.",
    "baseline_headers": ("Indikator", "Utgångsvärde", "95 % KI", "n", "Riket", "Länet", "Kommungruppens median",
                         "Bästa kvartilens gräns", "Bästa publicerade värde", "Minsta påvisbara förändring",
                         "n som behövs för 5 p.e.", "Föreslaget mål", "Regel"),
}


# --- the quality page (uiv_core.publish.quality_page) ---

QUALITY_LABELS: dict[str, str] = {
    "title": "Datakvalitet",
    "lead": "Kontroller av senaste inläsningen: kontraktet (andel rader i karantän per fil) och en "
            "Great Expectations-svit över senaste kvartalets uppföljningar.",
    "passed": "Godkänd", "failed": "Underkänd", "expectation": "Förväntan", "parameters": "Parametrar",
    "observed": "Observerat", "unexpected": "Avvikande", "examples": "Exempel",
    "details": "Detaljer", "raw": "Resultaten som JSON", "summary": "{passed} av {total} kontroller godkända",
}
QUALITY_CHECK_LABELS: dict[str, tuple[str, str]] = {  # check name → (title, what it checks)
    "no_refused_files": ("Inga filer avvisade",
                       "Ingen avvisad fil ligger i inkorgen (avvisad t.ex. för personnummer, saknade kolumner, "
                       "oläsbar fil). En avvisad fil stoppar inte de andra; leverera den igen rättad."),
    "contract_quarantine_share": ("Andel rader i karantän per fil",
                                  "Ingen inläst fil får ha fler än den tillåtna andelen rader i karantän."),
    "rows_per_municipality": ("Antal uppföljningar per kommun jämfört med föregående kvartal",
                              "Kvoten mellan kommunens uppföljningar senaste och föregående kvartal ska ligga "
                              "inom gränserna."),
    "no_municipality_vanished": ("Ingen kommun har försvunnit sedan föregående kvartal",
                                 "Varje kommun med uppföljningar föregående kvartal har uppföljningar även senaste."),
    "ratings_complete": ("Skattningar finns för behoven (fullständighet)",
                         "Behov vid start som fått en skattning 1–4 vid uppföljningen (inte tom eller 9), "
                         "senaste kvartalet."),
    "ratings_plausible": ("Skattningar på skalan (1–4 eller 9 = vet ej)",
                          "Alla skattningar senaste kvartalet ligger på kontraktets skala."),
    "rating_means_plausible": ("Medelskattning per livsområde inom rimliga gränser",
                               "Medelskattningen per livsområde senaste kvartalet ligger inom gränserna."),
}
QUALITY_DETAIL_LABELS: dict[str, str] = {
    "latest_quarter": "Senaste kvartal", "previous_quarter": "Föregående kvartal",
    "rows_checked": "Rader kontrollerade", "municipalities": "Kommuner utanför gränserna",
    "max_share": "Högsta tillåtna andel", "files_over_bound": "Filer över gränsen",
    "worst_files": "Filer med högst andel",
}


# --- the Öppna jämförelser workbook (uiv_core.publish.oj_workbook) ---

#: significance against the country, as a sign after the value (the fill is the quartile colour)
SIGNIFICANCE_SYMBOLS: dict[str, str] = {
    SIGNIFICANCE.BETTER: "+", SIGNIFICANCE.WORSE: "−", SIGNIFICANCE.SIMILAR: "=", SIGNIFICANCE.NOT_COMPARABLE: "",
}
OJ_LABELS: dict[str, object] = {
    "about_sheet": "Om filen", "definitions_sheet": "Definitioner",
    "headers": ("Kod", "Kommun / län", "Kommungrupp"),
    "definition_headers": ("Indikator-id", "Indikator", "Beskrivning", "Mått", "Riktning"),
    "polarity": {"higher": "Högre är bättre", "lower": "Lägre är bättre", None: "Beskriver (ingen riktning)"},
}
OJ_ABOUT_ROWS: tuple[tuple[str, str], ...] = (
    ("Innehåll", "Öppna jämförelser för brukarnytta (UIV): en rad per kommun med publicerade värden, "
                 "ordnade efter län, med länet och riket som egna rader; indikatorerna som kolumner. "
                 "En flik per målgrupp, definitionerna på fliken Definitioner."),
    ("Period", "Rullande fyra kvartal {quarters}."),
    ("Körning", "{run_stamp}"),
    ("Metodversion", "{method}; minsta antal (n) {min_n}"),
    ("Färg", "Kvartil bland kommunerna: grön = bästa kvartilen, gul = mittersta hälften, röd = sämsta "
             "kvartilen, grå = inget värde att jämföra eller ingen bättre/sämre-riktning. Län och riket "
             "färgas inte."),
    ("Tecken efter värdet", "Jämfört med riket (kommunens 95 %-konfidensintervall mot rikets värde): "
                            "+ bättre, − sämre, = ingen säker skillnad, inget tecken = kan inte jämföras."),
    ("..", "Visas inte: färre än {min_n} uppföljningar, eller dolt för att skydda en annan cell."),
    ("Kommungrupp", PEER_GROUP_NOTE),
    ("Mer", "indicatorer.xlsx har konfidensintervall, täljare och nämnare; indicators.parquet alla perioder."),
)


# --- the Dagster UI (assets/, pipelines/): one Swedish sentence first, the technical detail after ---

#: asset, job, sensor and schedule name → what it holds or does, for a municipal analyst
COCKPIT_DESCRIPTIONS: dict[str, str] = {
    "load_files": "Inlästa filer: en rad per exportfil som tagits emot, med status (inläst, oförändrad, "
                  "avvisad), antal rader och eventuellt meddelande.",
    "followups": "Uppföljningarna: den aktuella, kontrollerade versionen av varje uppföljning.",
    "followups_history": "Tidigare versioner av uppföljningar som ersatts när en kommun levererat en rättelse.",
    "quarantine": "Karantän: rader som bröt mot dataformatet, med skäl och den ursprungliga raden. "
                  "Inget försvinner.",
    "indicator_sums": "Summor per kvartal, kommun, målgrupp och uppdelning som alla indikatorer räknas fram ur.",
    "indicators": "Indikatorerna: andelar och medelvärden med konfidensintervall per period, kommun, län, "
                  "kommungrupp och riket; celler under minsta n är markerade.",
    "adjusted_indicators": "Justerade indikatorer: andelarna justerade för klientsammansättning (ålder, kön, "
                           "målgrupp och huvuddrog), som observerat mot förväntat (O/E).",
    "comparisons": "Jämförelserna: varje kommuns värde mot riket, länet och kommungruppen, med "
                   "signifikans, kvartilfärg och trend.",
    "baselines": "Underlag för målsättning: utgångsvärde, jämförelsevärden, minsta påvisbara förändring "
                 "och hur många uppföljningar som behövs.",
    "published_indicators": "Publicerbara indikatorer: de celler som får visas, med dolda celler (..) så att "
                            "ingen liten grupp kan räknas fram.",
    "published_comparisons": "Publicerbara jämförelser: jämförelserna för de celler som får visas.",
    "published_baselines": "Publicerbara målunderlag: utgångsvärden och föreslagna mål för de celler som får visas.",
    "published_adjusted": "Publicerbara justerade indikatorer: O/E och justerad andel där den ojusterade "
                          "cellen får visas, avrundade.",
    "report": "Rapporten: startsida, en sida per kommun och län, metodsida och diagram (HTML, fungerar utan nät).",
    "exports": "Exportfilerna: Excel, CSV och Parquet med de publicerade indikatorerna, en Öppna "
               "jämförelser-fil och målunderlag per kommun.",
    "refresh": "Läs in nya filer och räkna om kvartalen de gäller, sedan allt som bygger på dem.",
    "ingest_only": "Läs bara in inkorgen (för en fil vars kvartal inte går att läsa: inläsningen säger varför).",
    "register_quarters": "Registrera lagrets kvartal som partitioner, så att vilket kvartal som helst kan "
                         "räknas om från gränssnittet.",
    "inbox_sensor": "Bevakar inkorgen: en ny eller ändrad fil ger en körning över de kvartal filen gäller.",
    "quarterly_refresh": "Kvartalsvis omräkning kl. 06.00 svensk tid (Europe/Stockholm) den första dagen i "
                         "varje kvartal: alla kvartal räknas om och allt publiceras på nytt.",
}
