"""The index tables (entities, events, claims, quotes): the spec-driven query, its API and its pages.

The library and API tests read the sample store; the page tests drive real Chromium (tests/webtools.py).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from newsgraph.store import db
from newsgraph.store.table_specs import SPECS
from newsgraph.store.tables import TableError, table_page, table_rows
from webtools import needs_chromium


@pytest.fixture(scope="module")
def con(sample_db, tmp_path_factory):
    import shutil

    copy = tmp_path_factory.mktemp("tables") / "sample.duckdb"
    shutil.copyfile(sample_db, copy)
    connection = db.connect(copy, read_only=True)
    yield connection
    connection.close()


# --------------------------------------------------------------------------- the library


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_sortable_column_sorts_in_both_directions(con, kind):
    spec = SPECS[kind]
    for key in spec.sort_keys():
        page = table_page(con, spec, {}, sort=key, limit=200, facets=False)
        values = [r[key.lstrip("-")] for r in page["items"] if r[key.lstrip("-")] is not None]
        expected = sorted(values, reverse=key.startswith("-"))
        assert values == expected, (kind, key)
        nulls = [r[key.lstrip("-")] is None for r in page["items"]]
        assert nulls == sorted(nulls), f"{kind} {key}: empty values come last"


def test_filters_and_facets_agree(con):
    spec = SPECS["entities"]
    everything = table_page(con, spec, {}, limit=1)
    types = {f["value"]: f["count"] for f in everything["facets"]["type"]}
    assert sum(types.values()) == everything["total"] > 50
    assert {"PERSON", "ORG", "COUNTRY"} <= set(types)
    people = table_page(con, spec, {"type": "person"}, limit=200)  # any case
    assert people["total"] == types["PERSON"] and {r["type"] for r in people["items"]} == {"PERSON"}
    # A facet lists the alternatives to its own choice; the other facets count within the filter.
    assert {f["value"] for f in people["facets"]["type"]} == set(types)
    assert sum(f["count"] for f in people["facets"]["country"]) <= people["total"]


def test_entity_found_by_alias_and_kb_id(con):
    spec = SPECS["entities"]
    by_alias = table_page(con, spec, {"alias": "gcap"}, limit=10)["items"]
    programme = next(r for r in by_alias if r["type"] == "PROGRAM")
    assert "GCAP" in programme["aliases"] and programme["kb_id"]
    by_kb = table_page(con, spec, {"kb": programme["kb_id"]}, limit=10)["items"]
    assert [r["id"] for r in by_kb] == [programme["id"]]


def test_date_range_keeps_events_that_overlap_it(con):
    spec = SPECS["events"]
    page = table_page(con, spec, {"from": "2024-08-01", "to": "2024-08-31"}, limit=200)
    assert page["total"] > 5
    for row in page["items"]:
        assert row["date"] <= "2024-08-31" and row["date_end"] >= "2024-08-01", row
    everything = table_page(con, spec, {}, limit=1, facets=False)["total"]
    assert page["total"] < everything


def test_events_filtered_by_a_participants_country(con):
    spec = SPECS["events"]
    both = table_page(con, spec, {"country": "phl"}, limit=200, facets=False)["items"]  # any case
    assert both and all("PHL" in e["countries"].split() for e in both)
    everything = table_page(con, spec, {}, limit=200, facets=False)["items"]
    assert len(both) < len(everything)
    assert {e["id"] for e in everything if e["countries"] and "PHL" in e["countries"].split()} == {e["id"] for e in both}


def test_values_are_bound_never_spliced(con):
    spec = SPECS["quotes"]
    for hostile in ("x' OR '1'='1", "%", "_", "\\", '"); DROP TABLE quotes; --'):
        assert table_page(con, spec, {"text": hostile, "speaker": hostile}, limit=5)["total"] == 0, hostile
    with pytest.raises(TableError):
        table_page(con, spec, {}, sort="published; DROP TABLE quotes")
    with pytest.raises(TableError):
        table_page(con, spec, {"nonsense": 1})


def test_rows_of_a_page_link_to_their_evidence(con):
    events = table_page(con, SPECS["events"], {}, limit=50)["items"]
    assert all(r["doc"] and r["end"] > r["start"] for r in events)
    claims = table_page(con, SPECS["claims"], {"status": "conflict"}, limit=50)["items"]
    assert claims and all(" · " in r["stated"] for r in claims), "a conflict states more than one value"
    text = con.execute("SELECT text FROM documents WHERE id = ?", [claims[0]["doc"]]).fetchone()[0]
    assert text[claims[0]["start"]:claims[0]["end"]] in claims[0]["stated"]


def test_download_rows_equal_the_pages(con):
    spec = SPECS["quotes"]
    rows = list(table_rows(con, spec, {"kind": "indirect"}, sort="-published"))
    page = table_page(con, spec, {"kind": "indirect"}, sort="-published", limit=200, facets=False)
    assert len(rows) == page["total"] > 50
    assert [r["id"] for r in rows[:len(page["items"])]] == [r["id"] for r in page["items"]]


# --------------------------------------------------------------------------- the API


def test_api_table_pages_filters_and_rejects_unknown_names(live):
    first = live.api("/api/tables/quotes", kind="DIRECT", limit=5)
    assert first["total"] > 5 and {r["kind"] for r in first["items"]} == {"direct"}
    assert first["filters"] == {"kind": "DIRECT"} and first["sort"] == "-published"
    second = httpx.get(first["next"], timeout=30).json()
    both = live.api("/api/tables/quotes", kind="direct", limit=10)["items"]
    assert [r["id"] for r in first["items"] + second["items"]] == [r["id"] for r in both]
    wrong = httpx.get(live.url + "/api/tables/claims", params={"stauts": "conflict"}, timeout=30)
    assert wrong.status_code == 422 and "did you mean 'status'" in wrong.text
    assert httpx.get(live.url + "/api/tables/claims", params={"sort": "secret"}, timeout=30).status_code == 422
    assert httpx.get(live.url + "/api/tables/events", params={"from": "2024-13-01"}, timeout=30).status_code == 422


def test_csv_download_holds_the_filtered_view(live):
    response = httpx.get(live.url + "/claims.csv", params={"status": "conflict", "sort": "-sources"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    api = live.api("/api/tables/claims", status="conflict", sort="-sources", limit=200)
    assert [r["id"] for r in rows] == [r["id"] for r in api["items"]] and rows
    assert {r["status"] for r in rows} == {"conflict"}


# --------------------------------------------------------------------------- the pages


def _open(page, live, path: str) -> None:
    page.goto(live.url + path)
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@needs_chromium
def test_events_page_sorts_filters_pages_and_links(live, page):
    _open(page, live, "/events")
    total = live.api("/api/tables/events", limit=1)["total"]
    assert f"{total} events" in page.locator("#table-summary").inner_text()
    assert page.locator("#index-table tbody tr").count() == min(total, 50)
    # Sort by sources, largest first, by clicking the header.
    page.locator("#index-table th a", has_text="Sources").click()
    page.wait_for_load_state("networkidle")
    sources = [int(t) for t in page.locator("td[data-col=sources]").all_inner_texts()]
    assert sources == sorted(sources, reverse=True) and sources[0] > 1
    assert page.locator("th[aria-sort=descending]").text_content().startswith("Sources")
    # A facet value filters, and the API link carries the same filters.
    facet = page.locator("[data-facet=plover] a").first
    chosen = facet.inner_text()
    count = int(facet.locator("xpath=..").locator(".count").inner_text())
    facet.click()
    page.wait_for_load_state("networkidle")
    assert set(page.locator("td[data-col=plover]").all_inner_texts()) == {chosen}
    assert page.locator("#index-table tbody tr").count() == min(count, 50)
    api = parse_qs(urlsplit(page.locator("#api-link").get_attribute("href")).query)
    assert api["plover"] == [chosen] and api["sort"] == ["-sources"]
    # Each row opens its evidence with the span highlighted.
    page.locator("td[data-col=summary] a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/documents/" in page.url and page.locator("#reader .cited").count() >= 1
    assert page.errors == []


@pytest.mark.browser
@needs_chromium
def test_index_pages_page_and_explain_empty_results(live, page):
    total = live.api("/api/tables/quotes", limit=1)["total"]
    assert total > 100
    _open(page, live, "/quotes?offset=50")
    assert page.locator(".pager a[rel=prev]").get_attribute("href") == "/quotes"
    assert page.locator("td[data-col=content] a").count() == 50
    _open(page, live, "/events?summary=zzqx&to=soon")
    assert "No events match" in page.locator("#no-rows").inner_text()
    assert "not a date" in page.locator(".note").inner_text()
    _open(page, live, "/entities?alias=gcap")
    names = page.locator("td[data-col=name] a").all_inner_texts()
    assert "Global Combat Air Programme" in names


@pytest.mark.browser
@needs_chromium
def test_entity_page_links_its_events_and_claims_to_their_evidence(live, page):
    claims = live.api("/api/tables/claims", status="conflict", limit=1)["items"]
    _open(page, live, f"/entities/{claims[0]['subject']}")
    link = page.locator("#claims a.claim-link").first
    assert "fact=claim" in link.get_attribute("href")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#reader .cited").first.inner_text() in claims[0]["stated"]
    busiest = live.api("/api/tables/entities", type="country", limit=1)["items"][0]
    _open(page, live, f"/entities/{busiest['id']}")
    events = page.locator("#events a.event-link")
    assert events.count() == page.locator("#events tbody tr").count() > 0
    assert "fact=event" in events.first.get_attribute("href")


def test_documents_page_leaves_duplicates_out_until_asked(live):
    everything = live.api("/api/tables/documents", limit=200)
    originals = live.api("/api/tables/documents", original="true", limit=200)
    copies = [r for r in everything["items"] if r["duplicate_of"]]
    assert copies and originals["total"] == everything["total"] - len(copies)
    page = httpx.get(live.url + "/documents", timeout=30).text
    assert f"{originals['total']} documents match" in page and copies[0]["id"] not in page
    shown = httpx.get(live.url + "/documents", params={"original": "any"}, timeout=30).text
    assert f"{everything['total']} documents ·" in shown and copies[0]["id"] in shown
    # The default stays off on the next link (here: a sort header).
    assert "original=any" in shown.split('id="index-table"')[1].split("</thead>")[0]
