-- newsgraph store, schema 2: blocking indexes for corpus-level resolution.
-- Each table is looked up by key through its index, so resolving new documents never
-- compares all pairs: cost grows with the new records, not with the corpus.

-- Blocking keys of canonical entities (kb id, full name, sorted tokens, acronym, surname).
CREATE TABLE entity_keys (key VARCHAR NOT NULL, entity VARCHAR NOT NULL);
CREATE INDEX entity_keys_key ON entity_keys(key);
CREATE INDEX entity_keys_entity ON entity_keys(entity);

-- How often each surface name was used for an entity: the canonical name is the most frequent full form.
CREATE TABLE entity_names (entity VARCHAR NOT NULL, name VARCHAR NOT NULL, n INTEGER NOT NULL);
CREATE INDEX entity_names_entity ON entity_names(entity);

-- Stories: inverted index of a story's salient features (entity ids, top terms) → story.
CREATE TABLE story_keys (key VARCHAR NOT NULL, story VARCHAR NOT NULL);
CREATE INDEX story_keys_key ON story_keys(key);
CREATE INDEX story_keys_story ON story_keys(story);

-- Document frequency of story features (for TF-IDF weights) and each document's weighted features.
CREATE TABLE feature_df (feature VARCHAR PRIMARY KEY, df INTEGER NOT NULL);
CREATE TABLE doc_features (doc VARCHAR PRIMARY KEY, features JSON, published DATE);
