-- The audit's keys in id order: period column, latent quarter or window, offset in the column.
SELECT key_id, column_id, latent, "offset", period FROM disclosure_keys ORDER BY key_id
