-- newsgraph store, schema 7: publication dates with evidence, full-text story features with an
-- inverted index, story attributes, and topics above stories (issue 11).
-- Side tables, not new columns: DuckDB cannot ALTER a table that has indexes.

-- How each document's publication date was found (newsgraph.ingest.published).
CREATE TABLE publication_dates (
    doc        VARCHAR PRIMARY KEY,
    source     VARCHAR,  -- metadata / dateline / url / relative / events; NULL: nothing dates it
    confidence DOUBLE,   -- 0..1; the story window uses only dates >= Settings.story_date_confidence
    evidence   JSON,     -- {"text", "start", "end", "granularity"} in the cleaned text, or {"field"|"url", "text"}
    warnings   JSON      -- absurd dates seen and not used
);
-- Stores written before: the date each document has keeps its old basis, with that basis's confidence.
INSERT INTO publication_dates (doc, source, confidence, evidence, warnings)
SELECT id,
       CASE published_basis WHEN 'metadata' THEN 'metadata' WHEN 'text' THEN 'dateline' WHEN 'inferred' THEN 'events' END,
       CASE published_basis WHEN 'metadata' THEN 0.95 WHEN 'text' THEN 0.9 WHEN 'inferred' THEN 0.3 END,
       NULL, '[]'
FROM documents;

-- The inverted index of document features (terms "t:", KB ids "k:", entities "e:") for candidate search.
CREATE TABLE story_postings (feature VARCHAR NOT NULL, doc VARCHAR NOT NULL, weight FLOAT NOT NULL);

-- What resolution knows of a story besides its title: its topic, whether its document could be
-- clustered at all, its size and the range of its confident publication dates (the time window).
CREATE TABLE story_info (
    story         VARCHAR PRIMARY KEY,
    topic         VARCHAR,
    unclusterable VARCHAR,  -- NULL, or why its one document has no usable text (too_short / boilerplate)
    documents     INTEGER,
    title_doc     VARCHAR,  -- the member whose title the story shows (the one closest to its centroid)
    dated_first   DATE,
    dated_last    DATE
);
CREATE INDEX story_info_topic ON story_info(topic);

-- Topics: stories grouped at a looser threshold, with no time window.
CREATE TABLE topics (
    id         VARCHAR PRIMARY KEY,
    title      VARCHAR,
    centroid   JSON,
    first_date DATE,
    last_date  DATE
);
CREATE TABLE topic_keys (key VARCHAR NOT NULL, topic VARCHAR NOT NULL);
CREATE INDEX topic_keys_key ON topic_keys(key);

-- Stories made before this schema used top-40 vectors and a single pass: forget them, so the next
-- resolution (any ingest, or Archive.resolve()) clusters every document again with the new method.
DELETE FROM stories;
DELETE FROM story_keys;
DELETE FROM doc_features;
DELETE FROM feature_df;
UPDATE documents SET story = NULL WHERE story IS NOT NULL;
UPDATE events SET story = NULL WHERE story IS NOT NULL;
