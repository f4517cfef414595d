"""Events across documents (first cut: every reported event stands alone until issue 4's coreference)."""

from __future__ import annotations


def resolve_events(con, ctx=None) -> None:
    con.execute(
        "INSERT INTO events (id, type, plover, modality, summary, participants, location, date, quantities, history) "
        "SELECT m.id, m.type, m.plover, m.modality, m.summary, m.participants, m.location, m.date, m.quantities, "
        "'[]' FROM event_mentions m JOIN documents d ON d.id = m.doc "
        "WHERE m.id NOT IN (SELECT event_mention FROM event_map)"
    )
    con.execute(
        "INSERT INTO event_map SELECT id, id FROM event_mentions WHERE id NOT IN (SELECT event_mention FROM event_map)"
    )
