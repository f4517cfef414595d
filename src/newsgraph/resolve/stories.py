"""Stories: documents clustered by shared entities, content and time (issue 4 fills this in)."""

from __future__ import annotations


def resolve_stories(con, ctx=None) -> None:
    return None
