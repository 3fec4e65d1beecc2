-- Rows that broke the contract, with reasons, messages and the raw row as JSON.
CREATE TABLE IF NOT EXISTS quarantine (
    source_file VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    municipality_code VARCHAR,
    quarter VARCHAR,
    reason_codes VARCHAR[] NOT NULL,
    columns VARCHAR[] NOT NULL,
    messages VARCHAR[] NOT NULL,
    raw_row JSON NOT NULL,
    quarantined_at TIMESTAMP NOT NULL
)
