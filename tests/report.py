"""Reading the source report (../shared/report) the way the data's provenance does: by section and line.

Shared by the tests that check the graph against the report's own text (the 《》 mention index, the relational
sentence review, verbatim evidence quotes). Line numbers are 1-based lines of the report file; sections are
the slugs of graph/source.ttl (``1-1-2``), ``preface`` before the first numbered heading.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

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

# The report's relational wording (issue 10): a sentence holding one of these is reviewed in
# graph/relations/review.csv. "根据…制定" is a pattern; the rest are plain substrings.
CUES = [
    "落实", "贯彻", "实施", "配套", "细化", "依据", "根据…制定", "修订", "修改", "修正", "更新", "废除", "废止", "撤销",
    "取代", "替代", "接替", "参考", "借鉴", "仿照", "效仿", "沿袭", "类似", "同样采用", "基于", "衔接", "协调",
    "共同构成", "初稿", "第二稿", "第三稿", "草案", "版本", "设立", "成立", "建立", "指定",
    # found by reading the report
    "延续", "在此基础上", "推翻", "继承", "升级", "补充", "框架下", "组成", "纳入", "整合", "下设", "蓝本", "遵循",
    "按照",
]
_CUE_PATTERNS = {c: re.compile(c.replace("…", ".{0,40}?")) for c in CUES}
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def report_text() -> str:
    """The report's text; in CI (``CI`` set) a missing report fails instead of skipping."""
    if not REPORT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the source report is missing at {REPORT}; CI must run the checks against the source")
        pytest.skip("the source report (../shared/report/) is not beside the project")
    return REPORT.read_text(encoding="utf-8")


def body_lines(text: str):
    """(line number, section, line) for each line of the report body; headings and the contents page skipped."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if re.match(r"#+\s*前言", l))
    toc = next(i for i, l in enumerate(lines) if l.startswith("# 目 录"))
    section, pending = "preface", list(HEADINGS)
    for i, line in enumerate(lines[start:], start):
        if toc <= i < toc + 20:
            continue  # the table of contents repeats headings
        if pending and re.match(pending[0][0], line.strip()):
            section = pending.pop(0)[1]
            continue
        yield i + 1, section, line
    assert not pending, f"headings not found in the report: {pending}"


def squash(text: str) -> str:
    """Text without whitespace: PDF line breaks leave stray spaces, so quotes are compared without any."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class CueSentence:
    line: int
    section: str
    sentence: str
    cues: tuple[str, ...]


def cue_sentences(text: str) -> list[CueSentence]:
    """Every sentence of the report body that holds a relational cue, with the cues it holds."""
    found = []
    for number, section, line in body_lines(text):
        for sentence in _SENTENCE_END.split(line):
            cues = tuple(c for c, p in _CUE_PATTERNS.items() if p.search(squash(sentence)))
            if cues:
                found.append(CueSentence(number, section, sentence.strip(), cues))
    return found


def section_text(text: str) -> dict[str, str]:
    """Each section's body text, whitespace squashed, for checking that a quote is stated where it is cited."""
    parts: dict[str, list[str]] = {}
    for _, section, line in body_lines(text):
        parts.setdefault(section, []).append(squash(line))
    return {s: "".join(ls) for s, ls in parts.items()}
