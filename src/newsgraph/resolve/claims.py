"""Claims across documents (first cut: grouped by subject and attribute; statuses come with issue 4)."""

from __future__ import annotations

from newsgraph.model import stable_id


def resolve_claims(con, ctx=None) -> None:
    rows = con.execute(
        "SELECT v.id, coalesce(m.entity, v.subject), v.subject_name, v.attribute FROM claim_values v "
        "LEFT JOIN entity_map m ON m.local_entity = v.subject "
        "WHERE v.id NOT IN (SELECT claim_value FROM claim_map)"
    ).fetchall()
    for value_id, subject, subject_name, attribute in rows:
        claim_id = stable_id("claim", subject, attribute)
        exists = con.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone()
        if not exists:
            con.execute(
                "INSERT INTO claims VALUES (?, ?, ?, ?, 'single_source', '')",
                [claim_id, subject, subject_name, attribute],
            )
        con.execute("INSERT INTO claim_map VALUES (?, ?)", [value_id, claim_id])
