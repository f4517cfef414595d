-- newsgraph store, schema 14: story vectors in two channels (words; names and dates), topic views, and
-- the stories and topics a resolution changed, for the read views (issues 11, 13, 14).

-- Stories and topics the corpus-level steps wrote, merged away or dropped since the last view refresh.
-- The story and topic steps add rows; the refresh rebuilds (or deletes) those views and empties the table
-- in its own transaction, so a refresh killed half-way is redone by the next one.
CREATE TABLE view_pending (kind VARCHAR NOT NULL, key VARCHAR NOT NULL);

-- Document vectors made before this schema were one channel (words and names normalised together), so
-- reports in other languages met their story only through names diluted by their words: forget the
-- stories, topics and vectors, so that the next resolution (any ingest, or Archive.resolve()) clusters
-- every document again with two channels. Their views go with them and are built again after it.
DELETE FROM stories;
DELETE FROM story_keys;
DELETE FROM story_info;
DELETE FROM story_postings;
DELETE FROM doc_features;
DELETE FROM feature_df;
DELETE FROM topics;
DELETE FROM topic_keys;
UPDATE documents SET story = NULL WHERE story IS NOT NULL;
UPDATE events SET story = NULL WHERE story IS NOT NULL;
DELETE FROM views WHERE kind IN ('story', 'topic');
DELETE FROM view_stale WHERE kind IN ('story', 'topic');
