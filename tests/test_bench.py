"""Smoke tests of the bench: the synthetic generator and one measurement on a tiny cloned store."""

from __future__ import annotations

import duckdb
import pytest

from newsgraph.bench import machine, measures, stores, synthetic
from newsgraph.settings import get_settings


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(synthetic.generate(40, seed=5, slots=6))


def test_generator_is_deterministic(corpus):
    assert list(synthetic.generate(40, seed=5, slots=6)) == corpus
    assert list(synthetic.generate(5, seed=6, slots=6)) != corpus[:5]


def test_any_range_regenerates_on_its_own(corpus):
    assert list(synthetic.generate(10, seed=5, start=30, slots=6)) == corpus[30:]


def test_articles_are_ingestible_records(corpus):
    for record in corpus:
        assert set(record) >= {"title", "text", "date", "url", "sitename"}
        assert len(record["text"].split()) >= 40
    assert len({r["url"] for r in corpus}) == len(corpus)


def test_articles_vary_names_and_dates(corpus):
    seeds = synthetic.load_seeds()
    seed_texts = {"\n".join(s.paragraphs) for s in seeds}
    assert not any(r["text"] in seed_texts for r in corpus)  # every article is rewritten
    assert len({r["date"][:4] for r in corpus}) >= 3  # slots shift years
    assert len({r["text"] for r in corpus}) == len(corpus)


def test_slots_repeat_a_story_with_the_same_names():
    one = synthetic.slot(5, 2)
    assert one == synthetic.slot(5, 2)
    assert one.renames and all(old != new for old, new in one.renames)


def test_letters_extend_names_without_spaces():
    assert [stores.letters(n) for n in (0, 1, 26, 27)] == ["", "a", "z", "aa"]


def test_percentiles_pick_order_statistics():
    got = measures.percentiles([0.001 * i for i in range(1, 101)])
    assert got["p50_ms"] == pytest.approx(50.0, abs=1.01) and got["p95_ms"] == pytest.approx(95.0, abs=1.01)


def test_growth_exponent_of_linear_and_quadratic_steps():
    runs = {n: {"docs": n, "timings": {"linear": n / 100, "quadratic": (n / 100) ** 2}, "peak_rss_mb": 1.0,
                "db_mb_per_1k_docs": 1.0} for n in (100, 1000)}
    got = measures._growth_result(runs)
    assert got["exponents"] == {"linear": 1.0, "quadratic": 2.0}
    assert got["worst_exponent"] == 2.0


def test_machine_names_cores_and_python():
    info = machine()
    assert info["cores"] >= 1 and info["python"].startswith("3.")


@pytest.mark.slow
def test_clone_and_resolve_a_small_store(sample_db, tmp_path):
    """The growth measurement on 40 documents cloned from the sample store (ids, dates and names varied)."""
    seed = duckdb.connect(str(sample_db), read_only=True)
    seed_docs, seed_locals, seed_stories = (seed.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                            for t in ("documents", "local_entities", "stories"))
    seed.close()
    result = stores.build_and_resolve(sample_db, tmp_path / "clone.duckdb", 2 * seed_docs)
    assert result["docs"] == 2 * seed_docs
    assert result["counts"]["local_entities"] == 2 * seed_locals
    assert set(result["timings"]) >= {"entities", "stories", "search_index"}
    con = duckdb.connect(str(tmp_path / "clone.duckdb"), read_only=True)
    copies = con.execute("SELECT count(*) FROM documents WHERE id LIKE '%~1'").fetchone()[0]
    shifted = con.execute(
        "SELECT count(*) FROM documents c JOIN documents o ON c.id = o.id || '~1' "
        "WHERE c.published = o.published + ?", [stores.shift_days(get_settings().story_window_days)]).fetchone()[0]
    with_dates = con.execute("SELECT count(*) FROM documents WHERE id NOT LIKE '%~%' AND published IS NOT NULL"
                             ).fetchone()[0]
    renamed = con.execute(
        "SELECT count(*) FROM local_entities c JOIN local_entities o ON c.id = o.id || '~1' "
        "WHERE c.name = o.name || 'a'").fetchone()[0]
    con.close()
    assert copies == seed_docs and shifted == with_dates and renamed > 0
    # dates shifted beyond the story window: a copy never joins its original's stories
    assert result["counts"]["stories"] >= 2 * seed_stories - 2


@pytest.mark.slow
def test_story_growth_and_increment_code_paths_at_a_tiny_size(tmp_path, context):
    """The growth (stories exponent) and incremental (stories step time) measures, at n = 200."""
    bench = measures.Bench.quick_run(tmp_path)
    bench.state["ctx"] = context
    measures.throughput_synthetic(bench)
    grown = measures.growth(bench)
    assert "error" not in grown, grown
    assert grown["stories_exponent_goal"] == 1.1 and "stories" in grown["runs"]["200"]["timings"]
    added = measures.incremental(bench)
    assert added["new_docs"] == 5 and added["stories_s"] is not None and added["stories_s"] >= 0
