"""Counts the report states, checked against the items the graph lists, through SPARQL on the built graph.

The report often says how many things there are ("七项关键要求", "四个级别", "三届") and the graph often lists the
things too (a principle set's principles, a risk scheme's tiers, a summit series' editions, a declaration's
signatories, an instrument's joint issuers or revisions). Where both exist they should agree. Where they do not,
the graph keeps the report's number and the report's list as they are (a mismatch is a fact about the report, or
a list the report leaves open with 等) and the mismatch is recorded in KNOWN_MISMATCHES with the report's words.
A new mismatch, or a recorded one that no longer holds, fails the test.
"""
from __future__ import annotations

import pytest

P = """PREFIX aigov: <https://w3id.org/aigov/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX measure: <https://w3id.org/aigov/id/measure/>
"""
QUANTITY = "https://w3id.org/aigov/id/quantity/"

# How the graph lists what a kind of quantity counts: (name, SPARQL pattern that binds ?quantity to each ?item).
# ?counted is what the quantity is aigov:quantityOf.
LISTINGS = {
    "principles of a principle set":
        "?quantity aigov:quantityOf ?counted . ?counted a aigov:PrincipleSet . ?item skos:inScheme ?counted",
    "tiers of a risk scheme":
        "?quantity aigov:quantityOf ?counted . ?counted a aigov:RiskClassificationScheme . "
        "?item skos:inScheme ?counted",
    "editions of a recurring meeting":
        "?quantity aigov:quantityOf ?counted ; aigov:measure measure:edition-count . ?item dcterms:isPartOf ?counted",
    "signatories of an instrument":
        "?quantity aigov:quantityOf ?counted ; aigov:measure measure:signatory-count . ?item aigov:signatoryOf ?counted",
    "joint issuers of an instrument":
        "?quantity aigov:quantityOf ?counted ; aigov:measure measure:participant-count ; schema:unitText ?unit "
        "FILTER(?unit = \"departments\") ?counted aigov:issuedBy ?item",
    "contributing countries of an instrument":
        "?quantity aigov:quantityOf ?counted ; aigov:measure measure:participant-count ; schema:unitText ?unit "
        "FILTER(?unit = \"countries\") ?counted a aigov:Instrument ; dcterms:contributor ?item",
    "revisions of an instrument":
        "?quantity aigov:quantityOf ?counted ; aigov:measure measure:revision-count . "
        "?item aigov:concerns ?counted ; a aigov:Revision",
}

# Quantity -> (stated, listed, the report's words, why they differ). Not fixed in the data: recorded.
KNOWN_MISMATCHES = {
    "br-ebia-strategic-actions": (74, 1, "《战略》还提出了未来开展的74项战略行动,其中将人工智能的立法、监管和道德使用作为首项行动",
                                  "the report names only the first of the 74 actions"),
    "br-ai-bill-principles": (17, 10, "明确人工智能开发和使用的 17 项基本原则,包括包容性增长、自决权、人类监督、……、未成年人保护等",
                              "the report lists ten of the seventeen, followed by 等"),
    "waic-editions": (6, 1, "WAIC自2018年创办以来,已连续举办六届",
                      "the report describes only the 2024 edition"),
    "ai-for-good-editions": (8, 1, "峰会自 2017 以来已连续举办八届",
                             "the report describes only the 2024 edition"),
    "sa-global-ai-summit-editions": (3, 1, "沙特在 2024 年 9 月第三届全球人工智能峰会发起开创性倡议",
                                     "the report describes only the third summit"),
    "bletchley-declaration-signatories": (28, 3, "中美欧等28个国家达成了全球首份针对人工智能的国际性声明",
                                          "the report names China, the US and the EU, followed by 等"),
    "un-governing-ai-for-humanity-recommendations": (
        7, 3, "报告提出成立国际人工智能科学小组、启动人工智能治理政策对话、创建人工智能标准交流中心等七项人工智能治理战略建议",
        "the report names three of the seven, followed by 等"),
    "us-ai-voluntary-commitments-2023-signatories": (
        15, 5, "微软、OpenAI、英伟达等 15 家科技公司已签署自愿承诺……OpenAI、谷歌、Anthropic 等正在通过",
        "the report names three signatories, and Google and Anthropic as companies carrying the commitments out"),
    "cn-ai-scenario-innovation-opinions-issuing-departments": (6, 1, "科技部等六部门出台",
                                                               "the report names only the first issuer"),
    "cn-future-industries-opinions-issuing-departments": (7, 1, "工业和信息化部等七部门联合印发",
                                                          "the report names only the first issuer"),
    "cn-ai-industry-standardization-guide-2024-issuing-departments": (4, 1, "工业和信息化部等四部门印发",
                                                                      "the report names only the first issuer"),
    "cn-st-ethics-review-measures-issuing-departments": (10, 1, "科技部等十部门发布",
                                                         "the report names only the first issuer"),
}


def comparisons(store) -> dict[str, tuple[int, int, str]]:
    """Every quantity whose counted items the graph lists: slug -> (stated value, listed items, listing)."""
    found: dict[str, tuple[int, int, str]] = {}
    for listing, pattern in LISTINGS.items():
        q = P + f"""SELECT ?quantity ?value (COUNT(DISTINCT ?item) AS ?listed) WHERE {{
                 {pattern} . ?quantity a aigov:Quantity ; schema:value ?value }} GROUP BY ?quantity ?value"""
        for quantity, value, listed in store.query(q).rows:
            slug = quantity.value.removeprefix(QUANTITY)
            assert slug not in found, f"{slug} matches two listings: {found[slug][2]} and {listing}"
            found[slug] = (int(float(value.value)), int(listed.value), listing)
    return found


@pytest.fixture(scope="module")
def compared(store):
    return comparisons(store)


def test_every_kind_of_listing_is_compared_somewhere(compared):
    """A listing rule that matches nothing is a rule whose pattern has rotted (a renamed measure or unit)."""
    used = {listing for _, _, listing in compared.values()}
    assert used == set(LISTINGS), sorted(set(LISTINGS) - used)


def test_stated_counts_agree_with_listed_items_except_the_recorded_mismatches(compared):
    mismatches = {slug: (stated, listed) for slug, (stated, listed, _) in compared.items() if stated != listed}
    recorded = {slug: (stated, listed) for slug, (stated, listed, _, _) in KNOWN_MISMATCHES.items()}
    new = {slug: v for slug, v in mismatches.items() if slug not in recorded}
    assert not new, f"stated count differs from the listed items (stated, listed): {new}"
    changed = {slug: (recorded[slug], mismatches.get(slug)) for slug in recorded if mismatches.get(slug) != recorded[slug]}
    assert not changed, f"recorded mismatches that no longer hold as recorded (recorded, now): {changed}"


def test_counts_the_report_states_for_listed_sets_agree(compared):
    """Spot checks read from the report: where it states a number and names every item, the graph has both."""
    expected = {
        "eu-ai-act-risk-levels": 4,  # 一(一)1 四个级别
        "eu-hleg-key-requirements-count": 7,  # 一(一)3 七项关键要求
        "kr-ai-basic-act-focus-area-count": 3,  # 一(四)1 三方面内容
        "br-ai-bill-risk-categories": 3,  # 一(四)3 三类
        "ae-international-ai-policy-stance-core-principles": 6,  # 二(一) 六项核心原则
        "gb-national-ai-strategy-pillar-count": 3,  # 二(二) 三大支柱
        "oecd-ai-recommendation-revisions": 2,  # 一(五)2 两次修订
        "ai-safety-summit-editions": 3,  # 一(五)3 三届
    }
    assert {slug: compared.get(slug, (None, None))[:2] for slug in expected} == \
        {slug: (n, n) for slug, n in expected.items()}


def test_recorded_mismatches_quote_the_report():
    """The words kept with each mismatch are the report's (line breaks and spaces aside; …… marks a cut)."""
    from .report import report_text, squash

    text = squash(report_text())
    for slug, (_, _, words, _) in KNOWN_MISMATCHES.items():
        for part in squash(words).split("……"):
            assert part.strip("、,") in text, f"{slug}: not in the report: {part}"
