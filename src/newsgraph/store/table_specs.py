"""The index tables' specs, one per record kind: their rows, columns, filters, facets and order.

Each ``source`` is fixed SQL yielding one row per record with plain (string or number) columns;
``newsgraph.store.tables`` filters, sorts, pages and counts it. ``extras`` reads, for one page's
ids only, what a row links to (the evidence span) or shows without sorting on it.
"""

from __future__ import annotations

from newsgraph.store.tables import Column, Filter, TableSpec

_GLOBAL_SPEAKER = "coalesce(em.entity, a.speaker_local)"
# Read by ``extras`` for a page's rows: the first report's span, which the row links to.
_EVIDENCE = (Column("doc", "Document", sortable=False, shown=False),
             Column("start", "Start", sortable=False, numeric=True, shown=False),
             Column("end", "End", sortable=False, numeric=True, shown=False))

ENTITIES = TableSpec(
    kind="entities", title="Entities", noun="entity",
    description="Corpus entities (people, organisations, places, programmes ...) with how often they are mentioned.",
    source="""
        SELECT e.id, e.name, e.type,
               coalesce(json_extract_string(e.attributes, '$.country'),
                        json_extract_string(e.attributes, '$.iso3')) AS country,
               array_to_string(CAST(json_extract_string(e.aliases, '$[*]') AS VARCHAR[]), '; ') AS aliases,
               json_extract_string(e.kb_ids, '$.kb') AS kb_id,
               coalesce(n.mentions, 0) AS mentions, coalesce(n.documents, 0) AS documents
        FROM entities e
        LEFT JOIN (SELECT m.entity, count(*) AS mentions, count(DISTINCT x.doc) AS documents
                   FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity GROUP BY m.entity) n
          ON n.entity = e.id""",
    columns=(Column("name", "Name"), Column("type", "Type"), Column("country", "Country"),
             Column("aliases", "Aliases", sortable=False), Column("kb_id", "KB id"),
             Column("mentions", "Mentions", numeric=True), Column("documents", "Documents", numeric=True),
             Column("id", "Id", sortable=False, shown=False)),
    filters=(Filter("type", "type", "upper", "Type", facet=True, description="PERSON, ORG, COUNTRY ... (any case)."),
             Filter("country", "country", "upper", "Country", facet=True,
                    description="ISO 3166 alpha-3 code of the entity's country (any case)."),
             Filter("name", "name", "contains", "Name contains"),
             Filter("alias", "aliases", "contains", "Alias contains"),
             Filter("kb", "kb_id", "eq", "KB id", description="A knowledge-base id, e.g. Q17 or ng:gcap.")),
    default_sort="-mentions",
)

# The states an event's participants stand for (ISO3, space-separated): a country's own code, the country an
# entity belongs to, or the one the event assigns a participant (``Participant.country``).
_EVENT_COUNTRIES = """
        SELECT string_agg(DISTINCT upper(c), ' ' ORDER BY upper(c)) FROM (
            SELECT coalesce(json_extract_string(en.attributes, '$.iso3'), json_extract_string(en.attributes, '$.country')) AS c
            FROM (SELECT unnest(CAST(json_extract_string(e.participants, '$[*].entity') AS VARCHAR[])) AS ent) p
            JOIN entities en ON en.id = p.ent
            UNION ALL SELECT unnest(CAST(json_extract_string(e.participants, '$[*].country') AS VARCHAR[])))
        WHERE c IS NOT NULL"""

EVENTS = TableSpec(
    kind="events", title="Events", noun="event",
    description="Corpus events: what happened or is planned, by PLOVER category, with the date the text states "
                "(a date known only from the report's publication is left blank).",
    source=f"""
        SELECT e.id, e.summary, e.type, e.plover, e.modality,
               CASE WHEN json_extract_string(e.date, '$.basis') = 'reported' THEN NULL
                    ELSE json_extract_string(e.date, '$.start') END AS date,
               CASE WHEN json_extract_string(e.date, '$.basis') = 'reported' THEN NULL
                    ELSE coalesce(json_extract_string(e.date, '$.end'),
                                  json_extract_string(e.date, '$.start')) END AS date_end,
               e.story, coalesce(s.sources, 0) AS sources, ({_EVENT_COUNTRIES}) AS countries
        FROM events e
        LEFT JOIN (SELECT em.event, count(DISTINCT x.doc) AS sources FROM event_map em
                   JOIN event_mentions x ON x.id = em.event_mention GROUP BY em.event) s ON s.event = e.id""",
    columns=(Column("date", "Date"), Column("summary", "Event"), Column("plover", "PLOVER"),
             Column("type", "Type"), Column("modality", "Modality"), Column("countries", "Countries", sortable=False),
             Column("sources", "Sources", numeric=True), Column("date_end", "Until", shown=False), Column("story", "Story", sortable=False, shown=False),
             Column("id", "Id", sortable=False, shown=False), *_EVIDENCE),
    filters=(Filter("plover", "plover", "upper", "PLOVER", facet=True, description="A PLOVER category (any case)."),
             Filter("type", "type", "upper", "Type", facet=True, description="An event type (any case)."),
             Filter("modality", "modality", "lower", "Modality", facet=True,
                    description="happened, planned, ... (any case)."),
             Filter("country", "countries", "contains", "Country",
                    description="ISO 3166 alpha-3 code of a state a participant stands for (any case)."),
             Filter("from", "date_end", "from", "From", description="Earliest date, YYYY-MM-DD."),
             Filter("to", "date", "to", "To", description="Latest date, YYYY-MM-DD."),
             Filter("summary", "summary", "contains", "Summary contains"),
             Filter("story", "story", "eq", "Story", description="A story id.")),
    default_sort="date",
    extras="""
        SELECT em.event AS id, arg_min(x.doc, x.doc || lpad(CAST(x.trigger_start AS VARCHAR), 9, '0')) AS doc,
               arg_min(x.trigger_start, x.doc || lpad(CAST(x.trigger_start AS VARCHAR), 9, '0')) AS start,
               arg_min(x.trigger_end, x.doc || lpad(CAST(x.trigger_start AS VARCHAR), 9, '0')) AS "end"
        FROM event_map em JOIN event_mentions x ON x.id = em.event_mention
        WHERE list_contains(?, em.event) GROUP BY em.event""",
)

CLAIMS = TableSpec(
    kind="claims", title="Claims", noun="claim",
    description="Facts stated about an entity (a number, a generation, a date ...) and whether sources agree.",
    source="""
        SELECT c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation,
               coalesce(v.n_values, 0) AS "values", coalesce(v.sources, 0) AS sources
        FROM claims c
        LEFT JOIN (SELECT cm.claim, count(*) AS n_values, count(DISTINCT cv.doc) AS sources FROM claim_map cm
                   JOIN claim_values cv ON cv.id = cm.claim_value GROUP BY cm.claim) v ON v.claim = c.id""",
    columns=(Column("subject_name", "Subject"), Column("attribute", "Attribute"),
             Column("stated", "Values stated", sortable=False), Column("status", "Status"),
             Column("values", "Values", numeric=True), Column("sources", "Sources", numeric=True),
             Column("subject", "Subject id", sortable=False, shown=False),
             Column("explanation", "Explanation", sortable=False, shown=False),
             Column("id", "Id", sortable=False, shown=False), *_EVIDENCE),
    filters=(Filter("status", "status", "lower", "Status", facet=True,
                    description="corroborated, single_source, conflict, compatible, superseded (any case)."),
             Filter("attribute", "attribute", "lower", "Attribute", facet=True),
             Filter("subject", "subject_name", "contains", "Subject contains"),
             Filter("entity", "subject", "eq", "Subject id", description="A corpus entity id.")),
    default_sort="subject_name",
    extras="""
        SELECT cm.claim AS id, string_agg(DISTINCT cv.value, ' · ' ORDER BY cv.value) AS stated,
               arg_min(cv.doc, cv.doc || lpad(CAST(cv.start AS VARCHAR), 9, '0')) AS doc,
               arg_min(cv.start, cv.doc || lpad(CAST(cv.start AS VARCHAR), 9, '0')) AS start,
               arg_min(cv."end", cv.doc || lpad(CAST(cv.start AS VARCHAR), 9, '0')) AS "end"
        FROM claim_map cm JOIN claim_values cv ON cv.id = cm.claim_value
        WHERE list_contains(?, cm.claim) GROUP BY cm.claim""",
)

QUOTES = TableSpec(
    kind="quotes", title="Quotes", noun="quote",
    description="Who said, believes or intends what: every attribution (direct and indirect quotes, "
                "'according to', evidence) with its speaker and source document.",
    source=f"""
        SELECT a.id, CAST(d.published AS VARCHAR) AS published, a.speaker_name,
               {_GLOBAL_SPEAKER} AS speaker,
               array_to_string(CAST(json_extract_string(a.content, '$[*].text') AS VARCHAR[]), ' … ') AS content,
               a.kind, a.statement_type, d.outlet, d.language, a.doc, d.title,
               a.content_start AS start,
               CAST(json_extract(a.content, '$[0].end') AS INTEGER) AS "end"
        FROM attributions a JOIN documents d ON d.id = a.doc
        LEFT JOIN entity_map em ON em.local_entity = a.speaker_local""",
    columns=(Column("published", "Published"), Column("speaker_name", "Speaker"),
             Column("content", "What was said", sortable=False), Column("kind", "Kind"),
             Column("statement_type", "Statement"), Column("outlet", "Outlet"), Column("language", "Language"),
             Column("speaker", "Speaker id", sortable=False, shown=False),
             Column("doc", "Document", sortable=False, shown=False), Column("title", "Title", shown=False),
             Column("start", "Start", sortable=False, shown=False, numeric=True),
             Column("end", "End", sortable=False, shown=False, numeric=True),
             Column("id", "Id", sortable=False, shown=False)),
    filters=(Filter("kind", "kind", "lower", "Kind", facet=True,
                    description="direct, mixed, indirect, according_to, evidence (any case)."),
             Filter("statement_type", "statement_type", "lower", "Statement", facet=True,
                    description="statement, belief, intention (any case)."),
             Filter("outlet", "outlet", "eq", "Outlet", facet=True),
             Filter("language", "language", "lower", "Language", facet=True),
             Filter("from", "published", "from", "From", description="Earliest publication date, YYYY-MM-DD."),
             Filter("to", "published", "to", "To", description="Latest publication date, YYYY-MM-DD."),
             Filter("speaker", "speaker_name", "contains", "Speaker contains"),
             Filter("text", "content", "contains", "Words contain"),
             Filter("entity", "speaker", "eq", "Speaker id", description="A corpus entity id.")),
    default_sort="-published",
)

DOCUMENTS = TableSpec(
    kind="documents", title="Documents", noun="document",
    description="Articles in the store, with their outlet, publication date and language; a duplicate "
                "(another copy of an article) is left out unless you ask for it.",
    source="""
        SELECT d.id, CAST(d.published AS VARCHAR) AS published, d.title, d.outlet, d.language, d.words,
               d.story, d.duplicate_of
        FROM documents d""",
    columns=(Column("published", "Published"), Column("title", "Title"), Column("outlet", "Outlet"),
             Column("language", "Language"), Column("words", "Words", numeric=True),
             Column("story", "Story", sortable=False, shown=False),
             Column("duplicate_of", "Duplicate of", sortable=False, shown=False),
             Column("id", "Id", sortable=False, shown=False)),
    filters=(Filter("language", "language", "lower", "Language", facet=True,
                    description="A language code (it, ja; und: undetermined), any case."),
             Filter("outlet", "outlet", "eq", "Outlet", facet=True),
             Filter("from", "published", "from", "From", description="Earliest publication date, YYYY-MM-DD."),
             Filter("to", "published", "to", "To", description="Latest publication date, YYYY-MM-DD."),
             Filter("title", "title", "contains", "Title contains"),
             Filter("story", "story", "eq", "Story", description="A story id."),
             Filter("original", "duplicate_of", "isnull", "Originals only",
                    description="true: leave duplicates out; false: only duplicates.")),
    default_sort="-published",
    page_defaults=(("original", "true"),),
)

STORIES = TableSpec(
    kind="stories", title="Stories", noun="story",
    description="Reports of the same happening grouped into one story, with its sources, events and topic.",
    source="""
        SELECT s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date, CAST(s.last_date AS VARCHAR) AS last_date,
               coalesce(d.n, 0) AS documents, coalesce(e.n, 0) AS events, i.topic, t.title AS topic_title
        FROM stories s
        LEFT JOIN (SELECT story, count(*) AS n FROM documents WHERE story IS NOT NULL GROUP BY story) d
          ON d.story = s.id
        LEFT JOIN (SELECT story, count(*) AS n FROM events WHERE story IS NOT NULL GROUP BY story) e ON e.story = s.id
        LEFT JOIN story_info i ON i.story = s.id LEFT JOIN topics t ON t.id = i.topic""",
    columns=(Column("title", "Story"), Column("first_date", "First report"), Column("last_date", "Last report"),
             Column("documents", "Sources", numeric=True), Column("events", "Events", numeric=True),
             Column("topic_title", "Topic"), Column("topic", "Topic id", sortable=False, shown=False),
             Column("id", "Id", sortable=False, shown=False)),
    filters=(Filter("topic", "topic_title", "eq", "Topic", facet=True),
             Filter("from", "last_date", "from", "From", description="Stories reported on or after, YYYY-MM-DD."),
             Filter("to", "first_date", "to", "To", description="Stories reported on or before, YYYY-MM-DD."),
             Filter("title", "title", "contains", "Title contains")),
    default_sort="-documents",
)

TOPICS = TableSpec(
    kind="topics", title="Topics", noun="topic",
    description="Stories followed together over months or years.",
    source="""
        SELECT t.id, t.title, CAST(t.first_date AS VARCHAR) AS first_date, CAST(t.last_date AS VARCHAR) AS last_date,
               coalesce(n.stories, 0) AS stories, coalesce(n.documents, 0) AS documents
        FROM topics t
        LEFT JOIN (SELECT i.topic, count(DISTINCT i.story) AS stories, count(d.id) AS documents
                   FROM story_info i LEFT JOIN documents d ON d.story = i.story
                   WHERE i.topic IS NOT NULL GROUP BY i.topic) n ON n.topic = t.id""",
    columns=(Column("title", "Topic"), Column("first_date", "First report"), Column("last_date", "Last report"),
             Column("stories", "Stories", numeric=True), Column("documents", "Sources", numeric=True),
             Column("id", "Id", sortable=False, shown=False)),
    filters=(Filter("from", "last_date", "from", "From", description="Topics reported on or after, YYYY-MM-DD."),
             Filter("to", "first_date", "to", "To", description="Topics reported on or before, YYYY-MM-DD."),
             Filter("title", "title", "contains", "Title contains")),
    default_sort="-documents",
)

SPECS: dict[str, TableSpec] = {s.kind: s for s in (STORIES, TOPICS, DOCUMENTS, ENTITIES, EVENTS, CLAIMS, QUOTES)}
