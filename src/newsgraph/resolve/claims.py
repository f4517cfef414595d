"""Claims across documents: one claim per (global subject entity, attribute), with a status.

The store step is incremental: only claim values not yet mapped (or whose subject entity was
re-resolved) are placed; only the claims they touch are recomputed, each from all its values,
found through the ``claim_map(claim)`` index. The comparison itself is pure
(``newsgraph.resolve.claim_values``). Running the step twice changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.model import stable_id
from newsgraph.resolve.claim_values import Assessment, StatedValue, assess, rules
from newsgraph.resolve.scope import in_scope
from newsgraph.store.write import insert_rows


def claim_id(subject: str | None, attribute: str) -> str:
    return stable_id("claim", subject, attribute)


def resolve_claims(con, ctx=None) -> list[str]:
    """Place new claim values in their claims and recompute the touched claims; returns their ids."""
    touched: set[str] = set()
    for value_id, subject, attribute, old_claim in _unplaced(con):
        new_claim = claim_id(subject, attribute)
        if old_claim is None:
            con.execute("INSERT INTO claim_map VALUES (?, ?)", [value_id, new_claim])
        else:
            con.execute("UPDATE claim_map SET claim = ? WHERE claim_value = ?", [new_claim, value_id])
            touched.add(old_claim)
        touched.add(new_claim)
    touched |= _never_assessed(con)
    for cid in sorted(touched):
        recompute_claim(con, cid)
    return sorted(touched)


def _unplaced(con) -> list[tuple[str, str, str, str | None]]:
    """Values with no claim yet, or whose claim's subject is no longer their subject's global entity."""
    return con.execute(
        "SELECT v.id, coalesce(m.entity, v.subject), v.attribute, cm.claim FROM claim_values v "
        "LEFT JOIN entity_map m ON m.local_entity = v.subject "
        "LEFT JOIN claim_map cm ON cm.claim_value = v.id "
        "LEFT JOIN claims c ON c.id = cm.claim "
        f"WHERE (cm.claim IS NULL AND {in_scope(con, 'v.doc')}) OR (cm.claim IS NOT NULL AND (c.id IS NULL "
        "OR c.subject IS DISTINCT FROM coalesce(m.entity, v.subject) "
        "OR c.attribute IS DISTINCT FROM v.attribute)) ORDER BY v.id"
    ).fetchall()


def _never_assessed(con) -> set[str]:
    """Claims with values but no status rows (written before schema 3, or by an older resolver)."""
    return {row[0] for row in con.execute(
        "SELECT DISTINCT cm.claim FROM claim_map cm "
        "LEFT JOIN claim_value_status s ON s.claim_value = cm.claim_value WHERE s.claim_value IS NULL"
    ).fetchall()}


_WINDOW = 1500
_VALUE_COLUMNS = (
    'v.id, v.doc, v.subject, v.subject_name, v.attribute, v.value, v.normalized, v.modality, v.start, v."end", '
    "coalesce(CAST(d.published AS VARCHAR), v.published), d.published_basis, d.outlet, d.duplicate_of, "
    # only the text around the evidence: enough to find its paragraph for the syndication check
    f"substr(d.text, greatest(1, v.start - {_WINDOW}), coalesce(v.\"end\" - v.start, 0) + 2 * {_WINDOW}), "
    f"greatest(0, v.start - {_WINDOW}), x.basis, x.speaker_local, x.speaker_name"
)


def claim_values_of(con, cid: str) -> list[tuple]:
    return con.execute(
        f"SELECT {_VALUE_COLUMNS} FROM claim_map cm JOIN claim_values v ON v.id = cm.claim_value "
        "JOIN documents d ON d.id = v.doc LEFT JOIN claim_value_context x ON x.claim_value = v.id "
        "WHERE cm.claim = ? ORDER BY v.id",
        [cid],
    ).fetchall()


def recompute_claim(con, cid: str) -> Assessment | None:
    """Rebuild one claim's row and its values' statuses from all its values."""
    rows = claim_values_of(con, cid)
    con.execute("DELETE FROM claim_value_status WHERE claim = ?", [cid])
    if not rows:
        con.execute("DELETE FROM claims WHERE id = ?", [cid])
        return None
    global_ids = _global_ids(con, rows)
    values = [_stated(row, global_ids) for row in rows]
    attribute = rows[0][4]
    result = assess(values, exclusive=attribute.split(":")[0] in rules()["exclusive_sets"])
    subject = global_ids.get(rows[0][2], rows[0][2])
    _write_claim(con, cid, subject, _subject_name(con, subject, rows), attribute, result)
    _write_value_status(con, cid, values, result)
    return result


def _global_ids(con, rows: list[tuple]) -> dict[str, str]:
    """Local entity id -> global entity id for the subjects and set members of these values."""
    local = {row[2] for row in rows if row[2]} | {row[17] for row in rows if row[17]}
    for row in rows:
        local |= set(json.loads(row[6] or "{}").get("items") or [])
    if not local:
        return {}
    marks = ", ".join("?" for _ in local)
    return dict(con.execute(
        f"SELECT local_entity, entity FROM entity_map WHERE local_entity IN ({marks})", sorted(local)
    ).fetchall())


def _stated(row: tuple, global_ids: dict[str, str]) -> StatedValue:
    (vid, doc, _subj, _name, _attr, value, norm, modality, start, end, published, basis, outlet, dup, text, off,
     claim_basis, speaker, speaker_name) = row
    normalized: dict[str, Any] = json.loads(norm or "{}")
    if normalized.get("kind") == "set":  # compare members as global entities, never local ids or names
        normalized["members"] = sorted({global_ids.get(i, i) for i in normalized.get("items") or []})
    return StatedValue(
        id=vid, doc=doc, normalized=normalized, value=value or "", modality=modality or "happened",
        outlet=outlet, date=published, date_basis=basis if published else None,
        context=_paragraph(text or "", start - off if start is not None else None,
                           end - off if end is not None else None), duplicate_of=dup,
        basis=claim_basis or "stated", speaker=global_ids.get(speaker, speaker_name) if speaker else speaker_name,
        speaker_name=speaker_name,
    )


def _paragraph(text: str, start: int | None, end: int | None) -> str:
    """The line (paragraph) of the cleaned text that holds the evidence span."""
    if start is None:
        return ""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end if end is not None else start)
    return text[lo : hi if hi != -1 else len(text)]


def _subject_name(con, subject: str | None, rows: list[tuple]) -> str:
    found = con.execute("SELECT name FROM entities WHERE id = ?", [subject]).fetchone() if subject else None
    if found:
        return found[0]
    names = [row[3] for row in rows if row[3]]
    return max(sorted(set(names)), key=names.count) if names else ""


def _write_claim(con, cid: str, subject: str | None, name: str, attribute: str, result: Assessment) -> None:
    if con.execute("SELECT 1 FROM claims WHERE id = ?", [cid]).fetchone():
        con.execute(
            "UPDATE claims SET subject = ?, subject_name = ?, attribute = ?, status = ?, explanation = ? "
            "WHERE id = ?",
            [subject, name, attribute, result.status, result.explanation, cid],
        )
    else:
        con.execute("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?)",
                    [cid, subject, name, attribute, result.status, result.explanation])


def _write_value_status(con, cid: str, values: list[StatedValue], result: Assessment) -> None:
    rows = []
    for v in values:
        rep = result.independent_of.get(v.id)
        later = result.superseded_by.get(v.id)
        rows.append([v.id, cid, result.value_status[v.id], rep if rep != v.id else None, v.date,
                     json.dumps(later) if later else None])
    insert_rows(con, "claim_value_status", "claim_value, claim, status, independent_of, source_date, superseded_by",
                rows)
