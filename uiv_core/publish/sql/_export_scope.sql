{# The rows of one exported file, as an SQL condition on published_indicators p. `part`:
   'latest' indicatorer.xlsx: the latest rolling four quarters, breakdown 'alla';
   'breakdowns' indicatorer_uppdelningar.xlsx: the latest rolling four quarters, by sex, age, ...;
   'years' indicatorer_kalenderar.xlsx: every published (complete) calendar year, breakdown 'alla';
   'all' indicatorer.csv: the three workbooks together. The parquet file holds every published period. #}
{% set latest %}(p.period_type = 'rolling4q' AND p.period = (SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q')){% endset %}
{% if part == 'latest' %}({{ latest }} AND p.breakdown = 'alla')
{% elif part == 'breakdowns' %}({{ latest }} AND p.breakdown <> 'alla')
{% elif part == 'years' %}(p.period_type = 'year' AND p.breakdown = 'alla')
{% else %}({{ latest }} OR (p.period_type = 'year' AND p.breakdown = 'alla'))
{% endif %}
