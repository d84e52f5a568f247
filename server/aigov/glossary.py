"""Chinese for the words saved-query column headers are made of (the variable names, in words).

A query file can name a column itself (``#+ columns: {var: {en: ..., zh: ...}}``); these are the defaults, so
every table of every saved query has Chinese headers without repeating them in 26 files.
"""
ZH = {
    "about": "对象", "adopted at": "通过于", "after": "起算事件", "agent": "主体", "agents": "主体", "basis": "依据",
    "bill": "法案", "bills": "法案", "body": "机构", "by": "由", "by date": "日期", "by issued by": "发布机构",
    "by number": "数量", "country": "国家", "date": "日期", "delay": "期限", "departments stated": "所列部门",
    "direction": "方向", "established by": "设立依据", "established by kind": "设立依据类型", "event": "事件",
    "event date": "事件日期", "event type": "事件类型", "evidence": "原文", "executive orders and memoranda": "行政令和备忘录",
    "first date": "最早日期", "force": "效力", "from": "来源", "from page": "起始页", "hard": "硬法", "hard law": "硬法",
    "hard law share percent": "硬法占比(%)", "instrument": "文件", "instruments issued": "发布的文件",
    "is bill": "法案", "is executive": "行政文件", "is law": "法律", "is regulation": "法规", "is soft": "软法",
    "issued": "发布", "issued by": "发布机构", "issued on": "发布日期", "issuer": "发布机构", "issuers": "发布机构",
    "issuers named": "所列发布机构", "jurisdiction": "法域", "kind": "类型", "label": "名称", "latest date": "最近日期",
    "latest step": "最近步骤", "laws": "法律", "level": "层级", "matched": "匹配", "matches": "匹配",
    "measure": "措施", "meeting": "会议", "neither": "其他", "number": "数量", "other": "另一文件",
    "other first date": "另一文件最早日期", "other jurisdiction": "另一法域", "other status": "另一文件状态",
    "part of": "所属", "party": "参与方", "place key": "地点", "principle": "原则", "principle label zh": "原则(中文)",
    "quantity": "数量", "quote": "引文", "rank": "排序", "reference date": "参考日期", "regulations": "法规",
    "relation": "关系", "resource": "资源", "revocation date": "撤销日期", "role": "角色", "roles": "角色",
    "scheme": "方案", "scope": "范围", "section": "章节", "section number": "章节编号", "section title": "章节标题",
    "sections": "章节", "set": "集合", "signatories stated": "所列签署方", "signatory count": "签署方数量",
    "since": "起始", "since note": "起始说明", "soft": "软法", "soft law": "软法", "source": "来源",
    "source jurisdiction": "来源法域", "source jurisdiction iri": "来源法域 IRI", "stage": "阶段",
    "stage rank": "阶段排序", "stated": "所述", "status": "状态", "status at cut off": "截止日状态", "step": "步骤",
    "step date": "步骤日期", "subject": "主语", "target": "目标", "target jurisdiction": "目标法域",
    "target jurisdiction iri": "目标法域 IRI", "text": "文本", "tier": "等级", "tier label zh": "等级(中文)",
    "to": "至", "topic": "主题", "topics": "主题", "total": "合计", "type": "类型", "unit": "单位", "value": "数值",
    "version": "版本", "year": "年份", "predicate": "谓语", "object": "宾语",
}

# Predicates from other vocabularies, which the ontology does not label: their names on resource pages.
PREDICATES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("type", "类型"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("name", "名称"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("comment", "说明"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("see also", "另见"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("defined by", "定义于"),
    "http://www.w3.org/2002/07/owl#sameAs": ("same as", "等同于"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("preferred name", "首选名称"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("also known as", "别名"),
    "http://www.w3.org/2004/02/skos/core#notation": ("code", "编码"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definition", "定义"),
    "http://www.w3.org/2004/02/skos/core#editorialNote": ("editorial note", "编辑说明"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("in scheme", "所属体系"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("top concept of", "顶层概念于"),
    "http://www.w3.org/2004/02/skos/core#broader": ("broader", "上位概念"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("narrower", "下位概念"),
    "http://purl.org/dc/terms/title": ("title", "标题"),
    "http://purl.org/dc/terms/isPartOf": ("part of", "所属"),
    "http://purl.org/dc/terms/hasPart": ("has part", "包含"),
    "http://purl.org/dc/terms/isReferencedBy": ("referenced by", "被引用于"),
    "http://purl.org/dc/terms/references": ("references", "引用"),
    "http://purl.org/dc/terms/source": ("source", "来源"),
    "http://purl.org/dc/terms/publisher": ("publisher", "出版者"),
    "http://purl.org/dc/terms/creator": ("creator", "作者"),
    "http://purl.org/dc/terms/license": ("licence", "许可"),
    "http://purl.org/dc/terms/issued": ("issued", "发布日期"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("derived from", "来源于"),
    "http://www.w3.org/ns/prov#wasAssociatedWith": ("associated with", "关联主体"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("part of organisation", "上级组织"),
    "http://www.w3.org/ns/org#hasSubOrganization": ("has sub-organisation", "下级组织"),
}


def predicate_label(iri: str, lang: str) -> str | None:
    names = PREDICATES.get(iri)
    return None if names is None else names[1] if lang == "zh" else names[0]
