{# The rows of one exported file, as an SQL condition on published_indicators p. `part`:
   'latest' indicatorer.xlsx: the latest rolling four quarters, breakdown 'alla';
   'breakdowns' indicatorer_uppdelningar.xlsx: the latest rolling four quarters, by sex, age, ...;
   'years' indicatorer_kalenderar.xlsx: every published (complete) calendar year, breakdown 'alla';
   'all' indicatorer.csv: the three workbooks together. The parquet file holds every published period.
   `latest_parameter`: the latest rolling window is the value $latest (a constant lets DuckDB push
   the condition into the comparisons' view: the export rows took 0.5 s instead of 2 s at 2 M
   follow-ups), else it is looked up. #}
{% set latest_period = '$latest' if (latest_parameter is defined and latest_parameter)
   else "(SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')" %}
{% set latest %}(p.period_type = 'rolling4q' AND p.period = {{ latest_period }}){% endset %}
{% if part == 'latest' %}({{ latest }} AND p.breakdown = 'alla')
{% elif part == 'breakdowns' %}({{ latest }} AND p.breakdown <> 'alla')
{% elif part == 'years' %}(p.period_type = 'year' AND p.breakdown = 'alla')
{% else %}({{ latest }} OR (p.period_type = 'year' AND p.breakdown = 'alla'))
{% endif %}
