"""Comparing claim values across sources: pure logic, no store.

``assess`` turns one group of values (one subject, one attribute) into a group status with a
one-line explanation naming the sources, plus a status per value. Modules: ``records`` (the rules
in kb/claim_compare.yaml and the ``StatedValue`` read from the store), ``intervals`` (how two values
relate), ``independence`` (which sources are independent), ``assess`` (statuses), ``explain`` and
``display`` (the one-line reasons). The rules and their precedence are documented in
docs/resolution.md ("Claims across documents").
"""

from newsgraph.resolve.claim_values.assess import assess, set_aside, superseded_by
from newsgraph.resolve.claim_values.display import display, source_label
from newsgraph.resolve.claim_values.independence import independent_groups, outlet_key, outlet_name, shingles
from newsgraph.resolve.claim_values.intervals import (
    date_interval,
    numeric_interval,
    relation,
    stated_relation,
)
from newsgraph.resolve.claim_values.records import (
    COMPATIBLE,
    CONFLICT,
    EQUAL,
    INCOMPARABLE,
    SET_ASIDE,
    Assessment,
    StatedValue,
    rules,
)

__all__ = [
    "COMPATIBLE", "CONFLICT", "EQUAL", "INCOMPARABLE", "SET_ASIDE", "Assessment", "StatedValue", "assess",
    "date_interval", "display", "independent_groups", "numeric_interval", "outlet_key", "outlet_name",
    "relation", "rules", "set_aside", "shingles", "source_label", "stated_relation", "superseded_by",
]
