-- One row per file taken in: loaded, unchanged or refused, with counts and message.
CREATE TABLE IF NOT EXISTS load_files (
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('loaded', 'unchanged', 'refused')),
    file_format VARCHAR,
    encoding VARCHAR,
    delimiter VARCHAR,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_replaced BIGINT NOT NULL,
    quarters VARCHAR[],
    extra_columns VARCHAR[],
    message VARCHAR,
    CHECK (rows_read = rows_loaded + rows_quarantined)
)
