-- newsgraph store, schema 8: attributions (who said, believes or intends what), one row per record of
-- the attribution stage (extract/attribution/). Offsets are into documents.text.
-- content holds the (possibly discontinuous) content spans as a JSON list of {start, end, text}.
-- speaker_local is the document-local entity key (mapped to a corpus entity through entity_map).

CREATE TABLE attributions (
    id             VARCHAR PRIMARY KEY,
    doc            VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,   -- direct / mixed / indirect / according_to / evidence
    statement_type VARCHAR NOT NULL,   -- statement / belief / intention
    cue_start      INTEGER,
    cue_end        INTEGER,
    cue_text       VARCHAR,
    content        JSON NOT NULL,
    content_start  INTEGER NOT NULL,   -- first content offset, for ordering and range lookups
    source_start   INTEGER,
    source_end     INTEGER,
    source_text    VARCHAR,
    speaker_local  VARCHAR,
    speaker_name   VARCHAR,
    quote          VARCHAR             -- the quotes row of a direct or mixed attribution
);
CREATE INDEX attributions_doc ON attributions(doc);
CREATE INDEX attributions_speaker ON attributions(speaker_local);
