-- newsgraph store, schema 6 (issue 10): what each claim value rests on.
-- claim_values' span (start, "end", text) is now the span of the value itself ("$1.8 billion"); rows
-- written before this schema keep the clause they were stored with. This side table adds the sentence
-- the value stands in, whether the text states the value as its attribute (basis), and who said it
-- when it is reported speech. (A side table, not new claim_values columns: DuckDB cannot ALTER a table
-- that has indexes.) A claim value with no row here was written before schema 6: basis unknown,
-- read as "stated", no context, no speaker.

CREATE TABLE claim_value_context (
    claim_value   VARCHAR PRIMARY KEY,
    doc           VARCHAR NOT NULL,
    basis         VARCHAR,   -- stated / inferred (kb/attributes.yaml, docs/claims.md)
    context_start INTEGER,   -- the sentence holding the value, offsets into the cleaned text
    context_end   INTEGER,
    context_text  VARCHAR,
    speaker_local VARCHAR,   -- document-local entity key of the speaker, when the value is reported speech
    speaker_name  VARCHAR,
    attribution   VARCHAR    -- the attribution or quote id the value was said in
);
CREATE INDEX claim_value_context_doc ON claim_value_context(doc);
