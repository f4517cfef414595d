"""Matching (possibly discontinuous) character spans: overlap and exact, one-to-one, and P/R/F1.

A span set is a tuple of ``(start, end)`` pairs; it counts as the set of characters it covers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Spans = tuple[tuple[int, int], ...]
Pair = tuple[int, int]  # (gold index, predicted index)
EDGE_PUNCT = " \t\n\r,;:."


def shared(a: Spans, b: Spans) -> int:
    """Characters the two span sets share."""
    return sum(max(0, min(y1, y2) - max(x1, x2)) for x1, y1 in a for x2, y2 in b)


def _length(spans: Spans) -> int:
    return sum(max(0, b - a) for a, b in spans)


def overlap_ok(a: Spans, b: Spans, ratio: float = 0.5) -> bool:
    """They share at least ``ratio`` of the shorter one (spans within one set do not overlap)."""
    shorter = min(_length(a), _length(b))
    return shorter > 0 and shared(a, b) >= ratio * shorter


def normalised(text: str, spans: Spans) -> tuple[tuple[int, int], ...]:
    """Each part trimmed of whitespace and ``, ; : .`` at its ends; empty parts dropped; sorted."""
    out = []
    for a, b in spans:
        while a < b and (text[a] in EDGE_PUNCT or text[a].isspace()):
            a += 1
        while b > a and (text[b - 1] in EDGE_PUNCT or text[b - 1].isspace()):
            b -= 1
        if b > a:
            out.append((a, b))
    return tuple(sorted(out))


def same_spans(text: str, a: Spans, b: Spans) -> bool:
    """The same characters once each part is trimmed (a part split in two still counts as the same)."""
    na, nb = normalised(text, a), normalised(text, b)
    return bool(na) and _merged(text, na) == _merged(text, nb)


def _merged(text: str, spans: Spans) -> tuple[tuple[int, int], ...]:
    """Join parts separated only by whitespace or edge punctuation."""
    out: list[list[int]] = []
    for a, b in spans:
        if out and all(ch in EDGE_PUNCT or ch.isspace() for ch in text[out[-1][1]:a]):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def match_one_to_one(gold: Sequence[Spans], pred: Sequence[Spans],
                     ok: Callable[[Spans, Spans], bool]) -> list[Pair]:
    """Pairs accepted by ``ok``, one-to-one: as many pairs as possible, then as many shared characters
    as possible (an optimal assignment, so one wide prediction cannot take two golds' place)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not gold or not pred:
        return []
    weights = np.zeros((len(gold), len(pred)))
    bonus = 1 + sum(_length(g) for g in gold)  # one more pair always outweighs any amount of overlap
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            common = shared(g, p)
            if common and ok(g, p):
                weights[gi, pi] = bonus + common
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return sorted((int(g), int(p)) for g, p in zip(rows, cols, strict=True) if weights[g, p] > 0)


def prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float]:
    """Precision ``tp_p / n_pred``, recall ``tp_r / n_gold`` and their F1, rounded to 3 places."""
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}
