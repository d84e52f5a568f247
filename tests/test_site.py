"""The analyst's site over HTTP (issue 12): search, parameters picked by name, language that sticks, exports.
Each test talks to the real server process; the browser side is in test_site_browser.py."""
from __future__ import annotations

import csv
import io

import pytest
import requests

EU_AI_ACT = "https://w3id.org/aigov/id/instrument/eu-ai-act"


def search(server, q: str, **params) -> list[dict]:
    response = requests.get(server("/search.json"), params={"q": q, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


# --- search -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["欧盟人工智能法", "AI Act", "Artificial Intelligence Act", "2024/1689", "人工智能法"])
def test_search_puts_the_eu_ai_act_first(server, q):
    hits = search(server, q)
    assert hits and hits[0]["iri"] == EU_AI_ACT, [h["label"] for h in hits[:5]]


@pytest.mark.parametrize("q, iri", [
    ("14110", "instrument/us-eo-14110"),
    ("SB 1047", "instrument/us-ca-sb-1047"),
    ("sb1047", "instrument/us-ca-sb-1047"),
    ("GDPR", "instrument/eu-gdpr"),
    ("2338/2023", "instrument/br-ai-bill"),
    ("NIST", "body/us-nist"),
    ("韩国", "jurisdiction/kr"),
])
def test_search_finds_numbers_acronyms_and_chinese_names_first(server, q, iri):
    hits = search(server, q)
    assert hits and hits[0]["iri"].endswith(iri), [h["iri"] for h in hits[:5]]


def test_search_results_have_the_documented_fields_best_first(server):
    hits = search(server, "Korea")
    assert all(set(h) == {"iri", "label", "kind", "jurisdiction", "score"} for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_deepfake_finds_the_deepfake_bills_and_chinas_deep_synthesis_rules(server):
    iris = {h["iri"].rpartition("/id/")[2] for h in search(server, "deepfake", limit=50)}
    assert {"instrument/us-hi-election-deepfake-bill", "instrument/us-defiance-act",
            "instrument/cn-deep-synthesis-provisions", "topic/deepfakes"} <= iris


def test_a_latin_search_matches_whole_words_only(server):
    # "NIST" appears inside "Ministry": the ministries must not be found
    assert not any("Ministry" in h["label"] for h in search(server, "NIST", limit=50))


def test_search_labels_follow_the_page_language(server):
    assert search(server, "GDPR", lang="zh")[0]["label"] == "通用数据保护条例"
    assert search(server, "GDPR", lang="en")[0]["label"] == "General Data Protection Regulation"


def test_search_page_lists_links_and_every_page_has_a_search_box(server):
    html = requests.get(server("/search"), params={"q": "欧盟人工智能法"}, timeout=30).text
    assert 'href="/id/instrument/eu-ai-act"' in html
    for path in ("/", "/queries", "/page/ontology", "/page/id/instrument/eu-ai-act", "/ui"):
        assert 'action="/search"' in requests.get(server(path), timeout=30).text, path


def test_an_overlong_search_is_a_400(server):
    assert requests.get(server("/search.json"), params={"q": "x" * 500}, timeout=30).status_code == 400


def test_the_build_writes_the_search_index_into_the_artefact(built):
    import hashlib
    import json

    path = built.artefact.directory / "search.json"
    assert built.artefact.manifest["files"]["search.json"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    docs = json.loads(path.read_text(encoding="utf-8"))["documents"]
    ai_act = next(d for d in docs if d["iri"] == EU_AI_ACT)
    assert {"Regulation (EU) 2024/1689", "AI Act", "欧盟《人工智能法》"} <= {f["text"] for f in ai_act["fields"]}
