-- newsgraph store, schema 1. Per-document tables hold what the per-document
-- stages found (document-local ids); corpus tables hold what resolution made of them.

CREATE TABLE documents (
    id              VARCHAR PRIMARY KEY,
    source          VARCHAR NOT NULL,
    url             VARCHAR,
    title           VARCHAR,
    outlet          VARCHAR,
    author          VARCHAR,
    published       DATE,
    published_basis VARCHAR,
    language        VARCHAR,
    text            VARCHAR NOT NULL,
    removed         JSON,
    duplicate_of    VARCHAR,
    content_hash    VARCHAR NOT NULL,
    format          VARCHAR,
    story           VARCHAR,
    words           INTEGER,
    ingested_at     TIMESTAMP DEFAULT current_timestamp
);
CREATE INDEX documents_hash ON documents(content_hash);

-- MinHash signatures and LSH band keys: near-duplicate lookup by index, never all pairs.
CREATE TABLE doc_minhash (doc VARCHAR PRIMARY KEY, signature BLOB NOT NULL);
CREATE TABLE lsh_bands (band SMALLINT NOT NULL, key BIGINT NOT NULL, doc VARCHAR NOT NULL);
CREATE INDEX lsh_bands_key ON lsh_bands(band, key);

CREATE TABLE local_entities (
    id         VARCHAR PRIMARY KEY,
    doc        VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    type       VARCHAR NOT NULL,
    aliases    JSON,
    kb_ids     JSON,
    attributes JSON
);
CREATE INDEX local_entities_doc ON local_entities(doc);

CREATE TABLE mentions (
    doc          VARCHAR NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    local_entity VARCHAR,
    kb_id        VARCHAR,
    source       VARCHAR
);
CREATE INDEX mentions_doc ON mentions(doc);

CREATE TABLE times (
    doc         VARCHAR NOT NULL,
    start       INTEGER,
    "end"       INTEGER,
    text        VARCHAR,
    value       VARCHAR,
    kind        VARCHAR,
    iv_start    VARCHAR,
    iv_end      VARCHAR,
    granularity VARCHAR,
    basis       VARCHAR,
    modifier    VARCHAR,
    duration    JSON
);
CREATE INDEX times_doc ON times(doc);

CREATE TABLE quantities (
    doc       VARCHAR NOT NULL,
    start     INTEGER,
    "end"     INTEGER,
    text      VARCHAR,
    value     DOUBLE,
    high      DOUBLE,
    unit      VARCHAR,
    bound     VARCHAR,
    kind      VARCHAR,
    attribute VARCHAR
);
CREATE INDEX quantities_doc ON quantities(doc);

CREATE TABLE quotes (
    id            VARCHAR PRIMARY KEY,
    doc           VARCHAR NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    text          VARCHAR NOT NULL,
    speaker_local VARCHAR,
    speaker_name  VARCHAR,
    cue           VARCHAR,
    method        VARCHAR,
    speaker_start INTEGER,
    speaker_end   INTEGER
);
CREATE INDEX quotes_doc ON quotes(doc);

-- One row per event as one document reports it.
CREATE TABLE event_mentions (
    id            VARCHAR PRIMARY KEY,
    doc           VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,
    plover        VARCHAR,
    modality      VARCHAR,
    summary       VARCHAR,
    participants  JSON,
    location      VARCHAR,
    date          JSON,
    quantities    JSON,
    trigger       VARCHAR,
    trigger_start INTEGER,
    trigger_end   INTEGER,
    trigger_text  VARCHAR,
    sent_start    INTEGER,
    sent_end      INTEGER,
    sentence      VARCHAR
);
CREATE INDEX event_mentions_doc ON event_mentions(doc);

-- One row per claim value as one document states it.
CREATE TABLE claim_values (
    id           VARCHAR PRIMARY KEY,
    doc          VARCHAR NOT NULL,
    subject      VARCHAR,
    subject_name VARCHAR,
    attribute    VARCHAR NOT NULL,
    value        VARCHAR,
    normalized   JSON,
    modality     VARCHAR,
    published    VARCHAR,
    start        INTEGER,
    "end"        INTEGER,
    text         VARCHAR
);
CREATE INDEX claim_values_doc ON claim_values(doc);

-- Corpus level: written by resolution, rebuilt or extended after each ingest.
CREATE TABLE entities (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    type       VARCHAR NOT NULL,
    aliases    JSON,
    kb_ids     JSON,
    attributes JSON,
    block_key  VARCHAR
);
CREATE INDEX entities_block ON entities(block_key);
CREATE TABLE entity_map (local_entity VARCHAR PRIMARY KEY, entity VARCHAR NOT NULL);
CREATE INDEX entity_map_entity ON entity_map(entity);

CREATE TABLE events (
    id           VARCHAR PRIMARY KEY,
    type         VARCHAR,
    plover       VARCHAR,
    modality     VARCHAR,
    summary      VARCHAR,
    participants JSON,
    location     VARCHAR,
    date         JSON,
    quantities   JSON,
    history      JSON,
    story        VARCHAR
);
CREATE TABLE event_map (event_mention VARCHAR PRIMARY KEY, event VARCHAR NOT NULL);

CREATE TABLE claims (
    id           VARCHAR PRIMARY KEY,
    subject      VARCHAR,
    subject_name VARCHAR,
    attribute    VARCHAR,
    status       VARCHAR,
    explanation  VARCHAR
);
CREATE TABLE claim_map (claim_value VARCHAR PRIMARY KEY, claim VARCHAR NOT NULL);

CREATE TABLE stories (id VARCHAR PRIMARY KEY, title VARCHAR, centroid JSON, first_date DATE, last_date DATE);

-- What happened to every input, for the summary and for "why was this skipped?".
CREATE TABLE ingest_log (
    source VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    reason VARCHAR,
    detail VARCHAR,
    doc    VARCHAR,
    logged_at TIMESTAMP DEFAULT current_timestamp
);
