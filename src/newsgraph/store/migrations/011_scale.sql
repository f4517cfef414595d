-- newsgraph store, schema 11: scale (issue 14).
-- The FTS index of schemas 1-10 (a static snapshot) is replaced by newsgraph's own.
DROP SCHEMA IF EXISTS fts_main_documents CASCADE;

-- 1. An incremental full-text index (newsgraph.store.search, docs/search.md): DuckDB's FTS index is a
--    static snapshot rebuilt over the whole corpus, this one grows by segments.
CREATE TABLE search_docs (
    docno   INTEGER PRIMARY KEY,   -- dense number, what posting lists hold
    doc     VARCHAR NOT NULL,
    length  INTEGER NOT NULL,      -- terms indexed
    segment INTEGER NOT NULL
);
CREATE TABLE search_postings (
    term    VARCHAR NOT NULL,      -- a stemmed word or a CJK character bigram
    segment INTEGER NOT NULL,
    docnos  INTEGER[] NOT NULL,    -- ascending
    weights FLOAT[] NOT NULL       -- BM25 term weight per document (tf and length part; idf at query time)
);
CREATE INDEX search_postings_term ON search_postings(term);
CREATE TABLE search_segments (segment INTEGER PRIMARY KEY, docs INTEGER NOT NULL);

-- 2. Precomputed read views (newsgraph.views): what a story, entity or relations page shows, built at
--    resolve time for what an ingest touched. ``kind`` names the view in the registry, ``key`` the record.
CREATE TABLE views (
    kind     VARCHAR NOT NULL,
    key      VARCHAR NOT NULL,
    data     JSON NOT NULL,
    built_at TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (kind, key)
);
-- Documents whose views are up to date (the next refresh looks at the others only).
CREATE TABLE view_docs (doc VARCHAR PRIMARY KEY);
-- Views known to be out of date and waiting for a later refresh (a bounded number is rebuilt per refresh).
CREATE TABLE view_stale (kind VARCHAR NOT NULL, key VARCHAR NOT NULL, since TIMESTAMP DEFAULT current_timestamp,
                         PRIMARY KEY (kind, key));
-- The claim statuses the views were built with: a change of status invalidates the stories citing the claim.
CREATE TABLE view_claims (claim VARCHAR PRIMARY KEY, status VARCHAR);

-- What the views are built from, kept for the events an ingest touched: an event's entities (participants
-- and place, as corpus ids) and its country-pair records (newsgraph.outputs.relations.related_events).
CREATE TABLE event_entities (event VARCHAR NOT NULL, entity VARCHAR NOT NULL);
CREATE INDEX event_entities_event ON event_entities(event);
CREATE INDEX event_entities_entity ON event_entities(entity);
CREATE TABLE event_pairs (event VARCHAR NOT NULL, pair VARCHAR NOT NULL, record JSON NOT NULL);
CREATE INDEX event_pairs_event ON event_pairs(event);
CREATE INDEX event_pairs_pair ON event_pairs(pair);

-- Corpus-wide mention and document counts per entity, added to by each refresh (the pages sort by them).
CREATE TABLE entity_stats (entity VARCHAR PRIMARY KEY, mentions INTEGER NOT NULL, documents INTEGER NOT NULL);

-- 3. Indexes for the API's lookups by story, entity, speaker and event.
CREATE INDEX documents_story ON documents(story);
CREATE INDEX documents_duplicate ON documents(duplicate_of);
CREATE INDEX mentions_local_entity ON mentions(local_entity);
CREATE INDEX quotes_speaker ON quotes(speaker_local);
CREATE INDEX events_story ON events(story);
CREATE INDEX event_map_event ON event_map(event);
CREATE INDEX claims_subject ON claims(subject);
