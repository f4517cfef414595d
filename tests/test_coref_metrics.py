"""Coreference metrics against examples worked out by hand."""

from __future__ import annotations

import pytest

from newsgraph.eval.coref_metrics import b_cubed, ceaf_e, conll, muc

# Pradhan et al. (2014), figure 1: key {a,b,c},{d,e,f,g}; response {a,b},{c,d},{f,g,h,i}
# ("e" is missing from the response, "h" and "i" are invented by it).
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def approx(values, expected):
    assert values == pytest.approx(expected, abs=1e-9)


def test_muc_on_pradhan_example():
    # recall: (3-2)+(4-3) over 2+3 links; precision: (2-1)+(2-2)+(4-3) over 1+1+3
    approx(muc(KEY, RESPONSE), (2 / 5, 2 / 5, 2 / 5))


def test_b_cubed_on_pradhan_example():
    recall = (5 / 3 + 5 / 4) / 7  # cluster sums of |K∩R|²/|K| over 7 key mentions
    precision = (4 / 2 + 2 / 2 + 4 / 4) / 8
    f1 = 2 * precision * recall / (precision + recall)
    approx(b_cubed(KEY, RESPONSE), (precision, recall, f1))


def test_ceaf_e_takes_the_optimal_alignment():
    # phi4: K1-R1 0.8, K1-R2 0.4, K2-R2 1/3, K2-R3 0.5 -> best one-to-one sum 1.3
    precision, recall = 1.3 / 3, 1.3 / 2
    f1 = 2 * precision * recall / (precision + recall)
    approx(ceaf_e(KEY, RESPONSE), (precision, recall, f1))


def test_merging_everything_is_punished_by_b_cubed_not_muc():
    # Bagga & Baldwin (1998): three gold chains of 5, 2 and 5 mentions, response merges all.
    key = [set(range(5)), {5, 6}, set(range(7, 12))]
    response = [set(range(12))]
    approx(muc(key, response), (9 / 11, 1.0, 2 * (9 / 11) / (1 + 9 / 11)))
    p, r, _ = b_cubed(key, response)
    assert (p, r) == pytest.approx((54 / 144, 1.0))
    p, r, _ = ceaf_e(key, response)
    assert (p, r) == pytest.approx((10 / 17, 10 / 51))


def test_singletons_count_in_b_cubed_and_ceaf_but_not_muc():
    key = [{1}, {2}, {3}]
    response = [{1}, {2}, {3}]
    assert muc(key, response) == (0.0, 0.0, 0.0)
    approx(b_cubed(key, response), (1.0, 1.0, 1.0))
    approx(ceaf_e(key, response), (1.0, 1.0, 1.0))


def test_conll_is_the_mean_of_the_three_f1():
    scores = conll(KEY, RESPONSE)
    mean = (scores["muc_f1"] + scores["b3_f1"] + scores["ceaf_e_f1"]) / 3
    assert scores["conll_f1"] == pytest.approx(mean)
    assert scores["ceaf_e_f1"] == pytest.approx(0.52)


def test_perfect_response_scores_one_and_inputs_may_be_lists():
    key = [["x", "y"], ["z"]]
    assert conll(key, [("y", "x"), ("z",)])["conll_f1"] == pytest.approx(1.0)


def test_empty_response_scores_zero():
    assert conll(KEY, [])["conll_f1"] == 0.0
