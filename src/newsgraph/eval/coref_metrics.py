"""Coreference scores: MUC, B³, CEAF-e and the CoNLL F1 (their mean).

Definitions follow the CoNLL reference scorer (Pradhan et al. 2014, scorer v8):

* a ``key`` (gold) or ``response`` (system) is a list of clusters, each a set of
  hashable mention ids; singleton clusters count in B³ and CEAF-e (they add
  nothing to MUC, whose links need two mentions);
* mentions that appear on only one side ("twinless") are kept, as the reference
  scorer does: for MUC a mention missing from the other side is its own
  partition cell; for B³ it simply overlaps nothing; for CEAF-e it lowers the
  similarity of its cluster.

Each metric returns ``(precision, recall, f1)`` as floats in [0, 1].
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
from scipy.optimize import linear_sum_assignment

Clusters = list[set[Hashable]]
Score = tuple[float, float, float]


def _clean(clusters: Iterable[Iterable[Hashable]]) -> Clusters:
    """Clusters as non-empty sets (inputs may be lists or tuples)."""
    return [set(c) for c in clusters if c]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _cluster_of(clusters: Clusters) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _muc_recall(key: Clusters, response: Clusters) -> float:
    """Vilain et al. 1995: links of ``key`` kept by the partition ``response`` induces."""
    where = _cluster_of(response)
    num = den = 0
    for cluster in key:
        # Mentions the response lacks are each their own partition cell.
        cells = {where.get(m, ("missing", m)) for m in cluster}
        num += len(cluster) - len(cells)
        den += len(cluster) - 1
    return _ratio(num, den)


def muc(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    """Link-based MUC score (singletons contribute nothing)."""
    k, r = _clean(key), _clean(response)
    recall = _muc_recall(k, r)
    precision = _muc_recall(r, k)
    return precision, recall, _f1(precision, recall)


def _b3_recall(key: Clusters, response: Clusters) -> float:
    """Mean over key mentions of |K∩R|/|K| (Bagga & Baldwin 1998), summed cluster-wise."""
    where = _cluster_of(response)
    num = 0.0
    total = 0
    for cluster in key:
        overlaps: dict[int, int] = {}
        for m in cluster:
            if m in where:
                overlaps[where[m]] = overlaps.get(where[m], 0) + 1
        num += sum(n * n for n in overlaps.values()) / len(cluster)
        total += len(cluster)
    return _ratio(num, total)


def b_cubed(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    """Mention-based B³ score."""
    k, r = _clean(key), _clean(response)
    recall = _b3_recall(k, r)
    precision = _b3_recall(r, k)
    return precision, recall, _f1(precision, recall)


def _phi4(a: set[Hashable], b: set[Hashable]) -> float:
    """Entity similarity of CEAF-e (Luo 2005): 2|K∩R| / (|K| + |R|)."""
    return 2 * len(a & b) / (len(a) + len(b))


def _similarity_matrix(key: Clusters, response: Clusters) -> np.ndarray:
    """phi4 for every key/response pair that shares a mention (others stay 0)."""
    sim = np.zeros((len(key), len(response)))
    where = _cluster_of(response)
    for i, cluster in enumerate(key):
        for j in {where[m] for m in cluster if m in where}:
            sim[i, j] = _phi4(cluster, response[j])
    return sim


def ceaf_e(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Score:
    """Entity-based CEAF with the optimal one-to-one cluster alignment."""
    k, r = _clean(key), _clean(response)
    if not k or not r:
        return 0.0, 0.0, 0.0
    sim = _similarity_matrix(k, r)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    recall = total / len(k)
    precision = total / len(r)
    return precision, recall, _f1(precision, recall)


def conll(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> dict[str, float]:
    """All three scores plus the CoNLL F1 (mean of the MUC, B³ and CEAF-e F1)."""
    k, r = _clean(key), _clean(response)
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceaf_e", ceaf_e)):
        p, rec, f = fn(k, r)
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = p, rec, f
    out["conll_f1"] = (out["muc_f1"] + out["b3_f1"] + out["ceaf_e_f1"]) / 3
    return out
