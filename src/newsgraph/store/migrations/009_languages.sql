-- newsgraph store, schema 9: each document's language (with confidence and basis) and how its bytes
-- were decoded. documents.language keeps the language code (filled for every document from now on);
-- this side table holds the rest (a side table: DuckDB cannot ALTER a table that has indexes).

CREATE TABLE document_text (
    doc                 VARCHAR PRIMARY KEY,
    language_confidence DOUBLE,   -- 0..1; 1.0 when metadata named the language
    language_basis      VARCHAR,  -- metadata / detected / script / none
    charset             VARCHAR,  -- the charset the bytes were decoded with (utf-8, cp1252, utf-8+gb18030 ...)
    encoding_issue      VARCHAR   -- why the bytes did not decode cleanly under that charset; NULL when they did
);

-- The API and the web UI filter documents by language.
CREATE INDEX documents_language ON documents(language);
