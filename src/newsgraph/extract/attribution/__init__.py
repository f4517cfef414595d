"""Who said what: direct quotes and every attribution (the stage registered as ``quotes``, order 40).

Modelled on PARC / PolNeAR: each ``model.Attribution`` has a source span and speaker entity, a cue
span, a content that may be discontinuous, a kind (``direct``, ``mixed``, ``indirect``,
``according_to``, ``evidence``) and a statement type (statement, belief, intention). Direct quotes keep
their ``model.Quote`` records. The modules, in data-flow order:

* ``lexicon``: the cue lexicon and word lists (``kb/speech.yaml``);
* ``marks``: pairing quotation marks, scare quotes;
* ``state``: the per-document working state (parse, quotes, mentions);
* ``cues`` / ``speakers``: cue words, their subjects, and who a subject refers to;
* ``direct``: the speaker of each direct quote;
* ``reports``: a reported content and its cue and source; ``spans``: content and source spans;
* ``objects`` / ``clauses`` / ``phrases``: reported content from the parse (objects, clauses,
  "according to", reporting nouns, attitude adjectives, colon lead-ins);
* ``records``: quotes and clauses made into attributions; ``roles``: speaker titles and affiliations;
* ``stage``: the registered stage.
"""

from newsgraph.extract.attribution.lexicon import Lexicon, load_lexicon
from newsgraph.extract.attribution.marks import Marked, find_quote_marks, paragraphs
from newsgraph.extract.attribution.stage import attribute, run

__all__ = ["Lexicon", "Marked", "attribute", "find_quote_marks", "load_lexicon", "paragraphs", "run"]
