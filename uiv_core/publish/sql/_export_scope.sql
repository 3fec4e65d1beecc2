{# the workbook and the CSV hold the latest rolling four quarters and the latest complete calendar year #}
((p.period_type = 'rolling4q' AND p.period = (SELECT max(period) FROM published_indicators WHERE period_type = 'rolling4q'))
 OR (p.period_type = 'year' AND p.period = (SELECT max(period) FROM published_indicators WHERE period_type = 'year')))
