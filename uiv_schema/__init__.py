"""The UIV data contract as code: code lists, columns and headers, reason codes, municipalities,
and the pandera model of a follow-up row. No I/O beyond the packaged reference CSV, no Dagster."""
