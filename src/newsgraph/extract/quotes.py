"""The stage list's name for the attribution stage (``extract/attribution/``, registered as ``quotes``).

Importing this module registers the stage; it re-exports what callers of the former ``quotes`` module
used. The code lives in the ``attribution`` package (docs/attributions.md).
"""

from newsgraph.extract.attribution import (
    Lexicon,
    Marked,
    attribute,
    find_quote_marks,
    load_lexicon,
    paragraphs,
    run,
)

__all__ = ["Lexicon", "Marked", "attribute", "find_quote_marks", "load_lexicon", "paragraphs", "run"]
