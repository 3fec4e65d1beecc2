-- Every life-area rating of the latest quarter ($latest) where the area was a need, long
-- (area, rating, rating_given: 1–4 or NULL). Generated: the life areas.
WITH latest AS (SELECT * FROM followups WHERE quarter = $latest)
SELECT * FROM (
{% for a in areas %}
    SELECT '{{ a }}' AS area, CAST(rating_{{ a }} AS INTEGER) AS rating,
           CASE WHEN rating_{{ a }} BETWEEN 1 AND 4 THEN CAST(rating_{{ a }} AS INTEGER) END AS rating_given
    FROM latest WHERE need_{{ a }}
{{ 'UNION ALL' if not loop.last }}
{% endfor %}
)
ORDER BY area, rating
