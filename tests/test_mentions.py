"""The mention index (graph/mentions/*.csv) ties every 《...》 title the report prints, per section, to the
resource it names: mentions, not strings (《个人信息保护法》 is China's, Korea's or Japan's law by paragraph)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import RDFS, SKOS, Graph, URIRef

from server.build.load import parse_turtle

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "report" / "ai-law-policy-landscape-2025.zh.txt"

# The report's headings, in order, as (pattern at the start of a heading line, section slug).
HEADINGS = [
    (r"#+\s*一、", "1"), (r"#+\s*\(一\)\s*欧盟", "1-1"), (r"#+\s*1\.出台全球首部", "1-1-1"), (r"#+\s*2\.促进", "1-1-2"),
    (r"#+\s*3\.构建统一", "1-1-3"), (r"#+\s*\(二\)美国", "1-2"), (r"#+\s*1\.积极探索", "1-2-1"),
    (r"#+\s*2\.稳步构建", "1-2-2"), (r"#+\s*3\.轻监管", "1-2-3"), (r"#+\s*\(三\)中国", "1-3"),
    (r"#+\s*1\.持续推动", "1-3-1"), (r"#+\s*2\.初步构建", "1-3-2"), (r"#+\s*3\.推动形成", "1-3-3"),
    (r"#+\s*\(四\)其他国家", "1-4"), (r"1\.韩国", "1-4-1"), (r"#+\s*2\.日本", "1-4-2"), (r"#+\s*3\.\s*巴西", "1-4-3"),
    (r"#+\s*\(五\)\s*国际组织", "1-5"), (r"1\.联合国", "1-5-1"), (r"2\.更多国际组织", "1-5-2"),
    (r"#+\s*3\.其他平台", "1-5-3"), (r"#+\s*二、", "2"), (r"#+\s*\(一\)人工智能治理总格局", "2-1"),
    (r"#+\s*\(二\)促创新", "2-2"), (r"\(三\)从软法规制", "2-3"), (r"#+\s*\(四\)综合立法", "2-4"),
    (r"#+\s*\(五\)风险分级", "2-5"), (r"#+\s*三、", "3"), (r"#+\s*\(一\)人工智能立法更趋理性", "3-1"),
    (r"#+\s*\(二\)人工智能风险治理", "3-2"), (r"#+\s*\(三\)人工智能创新", "3-3"), (r"#+\s*\(四\)全球人工智能治理合作", "3-4"),
]
TITLE = re.compile(r"《([^》]*)》")


def normalise(title: str) -> str:
    """PDF line breaks leave stray spaces inside titles; the index records titles without them."""
    return re.sub(r"\s+", "", title)


def report_mentions(text: str) -> set[tuple[str, str]]:
    """(section, title) for every 《...》 in the report body, the section being the most specific heading."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if re.match(r"#+\s*前言", l))
    toc = next(i for i, l in enumerate(lines) if l.startswith("# 目 录"))
    section, found, pending = "preface", set(), list(HEADINGS)
    for i, line in enumerate(lines[start:], start):
        if toc <= i < toc + 20:
            continue  # the table of contents repeats headings, not mentions
        if pending and re.match(pending[0][0], line.strip()):
            section = pending.pop(0)[1]
            continue
        for title in TITLE.findall(line):
            found.add((section, normalise(title)))
    assert not pending, f"headings not found in the report: {pending}"
    return found


def index_rows() -> list[dict]:
    rows = []
    for f in sorted((ROOT / "graph" / "mentions").glob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                rows.append({**row, "where": f"{f.name}:{n}"})
    return rows


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for f in sorted((ROOT / "graph").glob("*.ttl")):
        parse_turtle(f, into=g)
    return g


def test_every_index_row_names_a_resource_carrying_that_title(data):
    rows = index_rows()
    assert len(rows) > 100
    problems = []
    for row in rows:
        iri = URIRef(row["iri"])
        titles = {normalise(str(l)) for p in (RDFS.label, SKOS.altLabel) for l in data.objects(iri, p)
                  if getattr(l, "language", None) == "zh"}
        if not titles:
            problems.append(f"{row['where']}: <{iri}> has no zh label (not in the graph?)")
        elif normalise(row["title"]) not in titles:
            problems.append(f"{row['where']}: <{iri}> has no zh label or altLabel {row['title']!r}")
    assert not problems, "\n".join(problems)


def test_index_sections_exist(data):
    sections = {str(s).rsplit("/", 1)[1] for s in data.subjects(
        URIRef("https://w3id.org/aigov/ontology#sectionNumber"), None)}
    bad = [f"{r['where']}: section {r['section']!r}" for r in index_rows() if r["section"] not in sections]
    assert not bad, "\n".join(bad)


@pytest.mark.skipif(not REPORT.exists(), reason="the source report (../shared/report/) is not beside the project")
def test_every_title_the_report_prints_is_in_the_index():
    indexed = {(r["section"], normalise(r["title"])) for r in index_rows()}
    mentions = report_mentions(REPORT.read_text(encoding="utf-8"))
    assert len({t for _, t in mentions}) >= 125
    missing = sorted(mentions - indexed)
    assert not missing, "report mentions missing from graph/mentions/*.csv:\n" + "\n".join(
        f"  {s}: 《{t}》" for s, t in missing)
