-- The staged rows in line order, dates as timestamps (for the pandera batches).
SELECT * EXCLUDE (suspect) REPLACE (CAST(followup_date AS TIMESTAMP) AS followup_date,
                                    CAST(start_date AS TIMESTAMP) AS start_date,
                                    CAST(load_date AS TIMESTAMP) AS load_date)
FROM {{ table | ident }}
ORDER BY line_number
