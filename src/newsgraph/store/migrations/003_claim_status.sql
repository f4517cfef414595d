-- newsgraph store, schema 3: cross-source claim status per value.
-- claim_values keeps what each document said; this table holds what resolution made of it.
-- (A side table, not new claim_values columns: DuckDB cannot ALTER a table that has indexes.)

CREATE TABLE claim_value_status (
    claim_value    VARCHAR PRIMARY KEY,
    claim          VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,  -- corroborated / compatible / conflict / superseded / single_source
    independent_of VARCHAR,           -- the claim value whose source this one repeats (same outlet, copy), else NULL
    source_date    VARCHAR,           -- the date the comparison used: published, else inferred, else NULL
    superseded_by  JSON               -- claim value ids of the later reports that replaced this plan
);
CREATE INDEX claim_value_status_claim ON claim_value_status(claim);

-- Incremental resolution recomputes only touched claims: their values are looked up by claim.
CREATE INDEX claim_map_claim ON claim_map(claim);
CREATE INDEX claims_subject_attribute ON claims(subject, attribute);
