"""Entities stage: typed mentions (model + KB ruler + rules), document-local entities and affiliations.

Three views of the names in a document are merged: the statistical NER (``doc.ents``), the KB
span ruler (``doc.spans["kb"]``) and the rules in ``candidates`` (ship prefixes and class words,
military designations). KB and rule spans win where they agree with or contain the model's span;
the model wins where its name is longer and carries more capitalised words ("Washington Post" over
the KB's "Washington"). ``labels`` types what the model found, ``aliases`` adds acronyms defined in
the text and repeats known names, ``cluster`` groups mentions into document-local entities, and
``affiliation`` gives every person, organisation, unit and ship the country the text states.

Modules, in the order the stage runs them: candidates → labels → aliases → cluster → affiliation →
places (the guarded country of each named place) → groups (a group's state from its sentence).
"""

from __future__ import annotations

from newsgraph.extract.entities.affiliation import assign_affiliations
from newsgraph.extract.entities.aliases import add_acronyms, propagate_names
from newsgraph.extract.entities.candidates import (
    designation_cands,
    kb_cands,
    longest,
    model_cands,
    vessel_cands,
)
from newsgraph.extract.entities.cluster import cluster
from newsgraph.extract.entities.groups import assign_group_countries
from newsgraph.extract.entities.labels import (
    apply_metonymy,
    drop_non_names,
    fix_persons,
    merge,
    type_model_cands,
)
from newsgraph.extract.entities.places import assign_place_countries
from newsgraph.model import Analysis
from newsgraph.nlp.kb import KnowledgeBase
from newsgraph.stages import Context, stage

__all__ = ["designation_cands", "run", "vessel_cands"]


@stage("entities", 10)
def run(analysis: Analysis, ctx: Context) -> None:
    doc = analysis.nlp if analysis.nlp is not None else ctx.nlp(analysis.document.text)
    analysis.nlp = doc
    kb: KnowledgeBase = ctx.kb
    text = analysis.document.text
    strong = longest([*kb_cands(doc), *vessel_cands(doc, kb), *designation_cands(doc, kb)])
    cands = merge(model_cands(doc, text), strong, text)
    cands = type_model_cands(cands, kb, text)
    cands = apply_metonymy(cands, doc, kb)
    cands = drop_non_names(cands, kb, text)
    cands = fix_persons(cands, text, kb)
    cands = add_acronyms(cands, text, kb)
    cands = propagate_names(cands, text)
    analysis.mentions, analysis.entities = cluster(cands, analysis.document.id, text, kb)
    assign_affiliations(analysis, kb)
    assign_place_countries(analysis, kb)
    assign_group_countries(analysis, kb)
