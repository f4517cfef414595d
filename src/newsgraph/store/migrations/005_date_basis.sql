-- newsgraph store, schema 5: event dates carry a basis from one vocabulary, and every event has a date.
--
-- The time normaliser's bases are renamed: "absolute" (the text gives the whole date) is now
-- "stated", "publication" (resolved against the document's date) is now "relative"; "inferred",
-- "duration" and "unanchored" stay. An event the text does not date now carries its report's date
-- with basis "reported" (extract/time/anchor.py); this migration gives the stored undated event
-- mentions and events that date too, so an old store reads like a new one. Only column values
-- change (no ALTER: the tables have indexes).

UPDATE times SET basis = CASE basis WHEN 'absolute' THEN 'stated' ELSE 'relative' END
WHERE basis IN ('absolute', 'publication');

UPDATE event_mentions
SET date = CAST(regexp_replace(regexp_replace(CAST(date AS VARCHAR),
        '"basis":\s*"absolute"', '"basis": "stated"', 'g'),
        '"basis":\s*"publication"', '"basis": "relative"', 'g') AS JSON)
WHERE date IS NOT NULL;

UPDATE events
SET date = CAST(regexp_replace(regexp_replace(CAST(date AS VARCHAR),
        '"basis":\s*"absolute"', '"basis": "stated"', 'g'),
        '"basis":\s*"publication"', '"basis": "relative"', 'g') AS JSON)
WHERE date IS NOT NULL;

UPDATE events
SET history = CAST(regexp_replace(regexp_replace(CAST(history AS VARCHAR),
        '"basis":\s*"absolute"', '"basis": "stated"', 'g'),
        '"basis":\s*"publication"', '"basis": "relative"', 'g') AS JSON)
WHERE history IS NOT NULL;

-- An undated mention: the date its document was published, as a reported date (no text, no span).
UPDATE event_mentions
SET date = json_object('start', CAST(d.published AS VARCHAR), 'end', CAST(d.published AS VARCHAR),
                       'granularity', 'day', 'text', '', 'basis', 'reported', 'span', NULL,
                       'value', CAST(d.published AS VARCHAR))
FROM documents d
WHERE event_mentions.doc = d.id AND event_mentions.date IS NULL AND d.published IS NOT NULL;

-- An event no source dates: its first report's date (resolve/events.py best_date does the same).
UPDATE events
SET date = json_object('start', first.day, 'end', first.day, 'granularity', 'day', 'text', '',
                       'basis', 'reported', 'span', NULL, 'value', first.day)
FROM (SELECT em.event, CAST(min(d.published) AS VARCHAR) AS day
      FROM event_map em JOIN event_mentions m ON m.id = em.event_mention JOIN documents d ON d.id = m.doc
      WHERE d.published IS NOT NULL GROUP BY em.event) AS first
WHERE events.id = first.event AND events.date IS NULL;
