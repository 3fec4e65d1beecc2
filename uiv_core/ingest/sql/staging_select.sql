{% import "_macros.sql" as m %}
-- One export's cells, normalised per contract column (docs/data-contract.md), with the unknown
-- columns kept as JSON. Generated: the raw table, the file's header of each contract column
-- (`cells`, none for an optional column the file lacks), the code lists, the date forms, the
-- extra columns.
--
-- Each normalisation is written once as a macro below. A cell that already holds a canonical
-- value (the usual case) is taken as it is (`as_is`): each canonical value normalises to itself
-- (tests/test_validation.py checks that), and the test costs a fraction of trimming and folding.
{% macro cell(name) %}{% if cells[name] %}{{ cells[name] | ident }}{% else %}CAST(NULL AS VARCHAR){% endif %}{% endmacro %}
{# `x` is one of `values` (NULL for a NULL `x`, as with IN), written as comparisons joined by OR:
   DuckDB turns an IN list (or list_contains) of five values or more into a join that carries the
   whole row, one per list (34 of them cost 10 s of 25 in staging 10 M rows) #}
{% macro one_of(x, values) %}({% for v in values %}{{ x }} = {{ v | literal }}{{ ' OR ' if not loop.last }}{% endfor %}){% endmacro %}
{# trimmed, blank as null #}
{% macro text(x) %}nullif(trim({{ x }}), ''){% endmacro %}
{# '4,0' / '4.0' / ' 4 ' → '4'; other text unchanged (then refused by its check); the regular
   expression runs only on a cell holding a point or a comma #}
{% macro number(x) %}CASE WHEN contains({{ text(x) }}, '.') OR contains({{ text(x) }}, ',') THEN regexp_replace(replace({{ text(x) }}, ',', '.'), '^([0-9]+)\.0*$', '\1') ELSE {{ text(x) }} END{% endmacro %}
{# codes compare in lower case with å/ä → a, ö → o (`Pågår` → `pagar`) #}
{% macro code(x, codes) %}CASE WHEN {{ one_of(text(x), codes) }} THEN {{ text(x) }} ELSE translate(lower({{ text(x) }}), 'åäö', 'aao') END{% endmacro %}
{# the date forms, tried in order; first the first form on the cell as it is (a date parsed from
   the untrimmed cell is the date of the trimmed one) #}
{% macro date(x) %}CAST(coalesce(try_strptime({{ x }}, {{ date_formats[0] | literal }}), {% for f in date_formats %}try_strptime({{ text(x) }}, {{ f | literal }}){{ ', ' if not loop.last }}{% endfor %}) AS DATE){% endmacro %}
{# a need flag: 1/0, ja/nej in any case #}
{% macro need(x) %}CASE lower({{ text(x) }}) WHEN 'ja' THEN '1' WHEN 'nej' THEN '0' ELSE {{ number(x) }} END{% endmacro %}
{# a municipality code of 1-3 digits left-padded with zeros (`180` → `0180`) #}
{% macro municipality(x) %}CASE WHEN regexp_full_match({{ number(x) }}, '[0-9]{1,3}') THEN lpad({{ number(x) }}, 4, '0') ELSE {{ number(x) }} END{% endmacro %}
{% macro as_is(x, canonical, normalised) %}CASE WHEN {{ one_of(x, canonical) }} THEN {{ x }} ELSE {{ normalised }} END{% endmacro %}
SELECT
    line_number,
    {{ text(cell('record_id')) }} AS record_id,
    {{ municipality(cell('municipality_code')) }} AS municipality_code,
    {{ text(cell('followup_date')) }} AS followup_date_text,
    {{ text(cell('start_date')) }} AS start_date_text,
{% for column in ('followup_date', 'start_date') %}
    {{ date(cell(column)) }} AS {{ column }},
{% endfor %}
    {{ as_is(cell('sex'), code_lists['sex'], 'upper(' ~ text(cell('sex')) ~ ')') }} AS sex,
    {{ as_is(cell('age_group'), code_lists['age_group'], 'replace(' ~ code(cell('age_group'), code_lists['age_group']) ~ ", '–', '-')") }} AS age_group,
{% for column in ('target_group', 'main_substance', 'intervention', 'completed') %}
    {{ as_is(cell(column), code_lists[column], code(cell(column), code_lists[column])) }} AS {{ column }},
{% endfor %}
{% for column in needs %}
    {{ as_is(cell(column), need_values, need(cell(column))) }} AS {{ column }},
{% endfor %}
{% for column in ratings %}
    {{ as_is(cell(column), rating_values, number(cell(column))) }} AS {{ column }},
{% endfor %}
    {{ as_is(cell('satisfaction'), satisfaction_values, number(cell('satisfaction'))) }} AS satisfaction,
{% if extra %}
    {{ m.json_object(extra) }} AS extra_columns
{% else %}
    CAST(NULL AS JSON) AS extra_columns
{% endif %}
FROM {{ raw | ident }}
