-- newsgraph store, schema 10: `newsgraph watch` state (docs/watch.md).
-- What was seen, fetched and alerted lives here, beside the records, so a watch killed at any
-- moment restarts where it stopped: nothing lost, nothing stored fetched again, no alert sent twice.
-- Rows are changed with INSERT ... ON CONFLICT DO UPDATE (DuckDB cannot ALTER indexed tables;
-- new columns go in a later migration's side table).

-- Conditional-GET state of every polled resource (feeds, sitemaps, child sitemaps).
CREATE TABLE watch_resources (
    url           VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,      -- the config source's name
    etag          VARCHAR,
    last_modified VARCHAR,
    last_status   INTEGER,
    last_error    VARCHAR,
    polled_at     TIMESTAMP
);

-- Scheduling of each config source: when it is next due, and its run of failures (for backoff).
CREATE TABLE watch_sources (
    name       VARCHAR PRIMARY KEY,
    kind       VARCHAR NOT NULL,         -- feed / sitemap / folder
    target     VARCHAR NOT NULL,         -- URL or folder
    next_due   TIMESTAMP,
    polled_at  TIMESTAMP,
    failures   INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR
);

-- Every article link (or link-less feed item) ever seen, keyed by its canonical URL (or item key).
-- state: new (to fetch) / stored (doc holds it) / rejected (fetched, not an article) / failed (gave up)
CREATE TABLE watch_items (
    key        VARCHAR PRIMARY KEY,
    url        VARCHAR,
    source     VARCHAR NOT NULL,
    state      VARCHAR NOT NULL,
    doc        VARCHAR,
    attempts   INTEGER NOT NULL DEFAULT 0,
    reason     VARCHAR,
    detail     VARCHAR,
    feed       JSON,                      -- what the feed or sitemap said: title, published, outlet, content
    first_seen TIMESTAMP DEFAULT current_timestamp,
    updated_at TIMESTAMP DEFAULT current_timestamp
);

-- Files seen in watched folders (a file is read again when its size or modification time changes).
CREATE TABLE watch_files (
    path     VARCHAR PRIMARY KEY,
    source   VARCHAR NOT NULL,
    size     BIGINT,
    mtime_ns BIGINT,
    seen_at  TIMESTAMP DEFAULT current_timestamp
);

-- Every HTTP response kept, and where its bytes are in the day's WARC file.
CREATE TABLE watch_fetches (
    url          VARCHAR NOT NULL,
    final_url    VARCHAR,
    source       VARCHAR,
    status       INTEGER,
    bytes        BIGINT,
    warc_file    VARCHAR,
    warc_offset  BIGINT,
    warc_record  VARCHAR,
    outcome      VARCHAR NOT NULL,      -- ok / not_modified / error
    reason       VARCHAR,
    fetched_at   TIMESTAMP DEFAULT current_timestamp
);

-- Documents whose alert conditions have been evaluated (the baseline of a first watch included).
CREATE TABLE watch_checked (doc VARCHAR PRIMARY KEY, round INTEGER NOT NULL);

-- Key-value state: the round counter, a pending corpus-level finish, the baseline mark.
CREATE TABLE watch_state (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Story sizes (independent sources) at the last story_growth alert of each rule.
CREATE TABLE watch_story_levels (rule VARCHAR NOT NULL, story VARCHAR NOT NULL, sources INTEGER NOT NULL,
                                 PRIMARY KEY (rule, story));

-- Alerts: one row per rule and fired subject; the id is derived from both, so it is written once.
CREATE TABLE alerts (
    id         VARCHAR PRIMARY KEY,
    rule       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,          -- document / event / claim / quote / story
    subject    VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    payload    JSON NOT NULL,
    round      INTEGER,
    created_at TIMESTAMP DEFAULT current_timestamp
);
CREATE INDEX alerts_created ON alerts(created_at);

-- Each alert's deliveries: pending until delivered, or failed after the last retry.
CREATE TABLE alert_deliveries (
    alert        VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,         -- log / atom / webhook:<url>
    status       VARCHAR NOT NULL,         -- pending / delivered / failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   VARCHAR,
    delivered_at TIMESTAMP,
    PRIMARY KEY (alert, target)
);
