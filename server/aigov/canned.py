"""Saved ("canned") queries: ``queries/*.rq`` files with grlc-compatible ``#+`` decorator headers.

A file is a YAML header (lines starting ``#+``: summary, description, tags, defaults, enumerate, and our
``chart`` extension) followed by SPARQL. Parameters follow grlc/BASIL naming: ``?_name_type`` is required,
``?__name_type`` optional, with type one of TYPES; the API parameter is ``name``. Every query is parsed when
the registry loads (at build time and at start-up): a syntax error or an untyped parameter names file:line.

Values are bound as typed RDF terms (``store.with_bindings``), never spliced into the text, so a value such as
``x> } ; DROP ALL ; #`` stays one literal (or is refused as an IRI).
"""
from __future__ import annotations

import datetime
import decimal
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from .errors import BadRequest, DataError, NotFound
from .federation import service_targets

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "integer", "decimal", "boolean", "xsd_date", "xsd_gYear", "literal")
PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9_]*)")
TYPED = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_]*?)_(?P<type>" + "|".join(TYPES) + r")$")
RESERVED = {"format"}  # format= picks the result format on every query page
PAGE_OPTIONS = RESERVED | {"lang", "bom", "plain"}  # page language and export options, ignored when not parameters
MAX_LITERAL = 500
CHARTS = ("timeline", "network", "bar", None)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    variable: str  # the SPARQL variable without '?', e.g. _jurisdiction_iri
    required: bool
    default: str | None = None
    enum: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "required": self.required and self.default is None,
                "default": self.default, "enum": list(self.enum) or None}


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    text: str
    parameters: tuple[Parameter, ...]
    chart: str | None
    version: str
    kind: str = "bindings"  # "graph" for CONSTRUCT/DESCRIBE, "boolean" for ASK
    header: dict = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict:
        return {"name": self.name, "summary": self.summary, "description": self.description, "tags": list(self.tags),
                "parameters": [p.as_dict() for p in self.parameters], "chart": self.chart, "version": self.version,
                **{k: self.header[k] for k in ("summary_zh", "description_zh") if self.header.get(k)}}

    def title(self, lang: str) -> str:
        """The summary in the page language: ``#+ summary_zh:`` for Chinese (grlc ignores keys it does not know)."""
        return self.header.get("summary_zh") or self.summary if lang == "zh" else self.summary

    def about(self, lang: str) -> str:
        return self.header.get("description_zh") or self.description if lang == "zh" else self.description

    def column(self, variable: str, lang: str) -> str:
        """A column's header: ``#+ columns: {var: {en: ..., zh: ...}}`` when the file names it, else the variable
        in words ("jurisdictionLabel" -> "jurisdiction")."""
        from .glossary import ZH

        names = (self.header.get("columns") or {}).get(variable) or {}
        if isinstance(names, str):
            names = {"en": names}
        words = variable_words(variable)
        if lang == "zh":
            return names.get("zh") or ZH.get(words) or names.get("en") or words
        return names.get("en") or words

    def bind(self, args: dict[str, str], base_iri: str) -> dict[str, ox.NamedNode | ox.Literal]:
        """Validate request arguments and turn them into RDF terms, keyed by SPARQL variable."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(args) - known - PAGE_OPTIONS)
        if unknown:
            raise BadRequest(f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                             f"it takes: {', '.join(sorted(known)) or 'no parameters'}")
        bindings = {}
        for p in self.parameters:
            raw = args.get(p.name)
            if raw is None or raw == "":
                raw = p.default
            if raw is None:
                if p.required:
                    raise BadRequest(f"parameter {p.name!r} ({p.type}) is required")
                continue
            if p.enum and raw not in p.enum:
                raise BadRequest(f"parameter {p.name!r} must be one of {', '.join(p.enum)}, not {raw!r}")
            bindings[p.variable] = to_term(p, raw, base_iri)
        return bindings


def variable_words(variable: str) -> str:
    """A SPARQL variable as words: camelCase split, a trailing "Label" dropped (the label stands for the thing)."""
    base = re.sub(r"Label$", "", variable) or variable
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("_", " ").lower()


def to_term(p: Parameter, raw: str, base_iri: str) -> ox.NamedNode | ox.Literal:
    def bad(why: str) -> BadRequest:
        return BadRequest(f"parameter {p.name!r} must be {why}, not {raw[:100]!r}")

    if p.type == "iri":
        iri = raw if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) else f"{base_iri}id/{raw.lstrip('/')}"
        if any(c in iri for c in '<>"{}|\\^` \n\t') or len(iri) > 1000:
            raise bad("an IRI (absolute, or a path such as instrument/eu-ai-act)")
        try:
            return ox.NamedNode(iri)
        except ValueError:
            raise bad("an IRI (absolute, or a path such as instrument/eu-ai-act)") from None
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", raw):
            raise bad("an integer")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "decimal":
        try:
            value = decimal.Decimal(raw)
        except decimal.InvalidOperation:
            raise bad("a decimal number") from None
        if not value.is_finite():
            raise bad("a finite decimal number")
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if p.type == "boolean":
        if raw not in ("true", "false"):
            raise bad("true or false")
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "boolean"))
    if p.type == "xsd_date":
        try:
            datetime.date.fromisoformat(raw)
        except ValueError:
            raise bad("a date YYYY-MM-DD") from None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise bad("a date YYYY-MM-DD")
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
    if p.type == "xsd_gYear":
        if not re.fullmatch(r"[0-9]{4}", raw):
            raise bad("a year YYYY")
        return ox.Literal(raw, datatype=ox.NamedNode(XSD + "gYear"))
    if len(raw) > MAX_LITERAL:
        raise bad(f"a text of at most {MAX_LITERAL} characters")
    return ox.Literal(raw)


def _split(path: Path) -> tuple[dict, str, int]:
    """(header as a dict, SPARQL text, number of header lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header_lines = []
    for line in lines:
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip() == "" and not header_lines:
            continue
        else:
            break
    n = len(header_lines)
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DataError(f"{path}:{line}: the #+ header is not valid YAML: {getattr(e, 'problem', e)}") from None
    if not isinstance(header, dict):
        raise DataError(f"{path}:1: the #+ header must be key: value lines")
    return header, "\n".join(lines[n:]), n


def _pairs(value, path: Path, key: str) -> dict:
    """grlc writes defaults/enumerate as a list of one-key maps; accept a plain map too."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return {k: v for d in value for k, v in d.items()}
    raise DataError(f"{path}:1: '{key}' must be a list of 'name: value' entries")


def load_query(path: Path) -> CannedQuery:
    header, text, offset = _split(path)
    for key in ("summary", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise DataError(f"{path}:1: the header needs a '{key}'")
    defaults = _pairs(header.get("defaults"), path, "defaults")
    enumerate_ = _pairs(header.get("enumerate"), path, "enumerate")
    chart = header.get("chart")
    if chart not in CHARTS:
        raise DataError(f"{path}:1: chart must be one of timeline, network, bar")
    if service_targets(text):
        raise DataError(f"{path}:1: saved queries may not use SERVICE")
    params: dict[str, Parameter] = {}
    for lineno, line in enumerate(text.splitlines(), start=offset + 1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        for underscores, body in PARAM.findall(code):
            variable = underscores + body
            match = TYPED.match(body)
            if match is None:
                raise DataError(f"{path}:{lineno}: parameter ?{variable} has no type: name it "
                                f"?{underscores}{body}_TYPE with TYPE one of {', '.join(TYPES)}")
            name, type_ = match["name"], match["type"]
            if name in RESERVED:
                raise DataError(f"{path}:{lineno}: parameter name {name!r} is reserved")
            default = defaults.get(name)
            params.setdefault(name, Parameter(
                name, type_, variable, required=underscores == "_",
                default=None if default is None else str(default).lower() if isinstance(default, bool) else str(default),
                enum=tuple(str(v) for v in enumerate_.get(name, ()))))
    for key in list(defaults) + list(enumerate_):
        if key not in params:
            raise DataError(f"{path}:1: '{key}' in the header is not a parameter of the query")
    try:
        answer = ox.Store().query(text)
    except SyntaxError as e:
        line, col = _position(str(e))
        raise DataError(f"{path}:{offset + line}: SPARQL syntax error: {e}") from None
    kind = ("boolean" if isinstance(answer, ox.QueryBoolean) else
            "bindings" if isinstance(answer, ox.QuerySolutions) else "graph")
    if params and not re.search(r"\bWHERE\s*\{", text, re.IGNORECASE):
        raise DataError(f"{path}:{offset + 1}: a query with parameters needs an explicit WHERE {{ ... }}")
    for p in params.values():
        if p.default is not None:
            try:
                to_term(p, p.default, "https://example.org/")
            except BadRequest as e:
                raise DataError(f"{path}:1: default of {e.message}") from None
    tags = header.get("tags") or []
    return CannedQuery(
        name=path.stem, path=path, summary=header["summary"].strip(), description=header["description"].strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])), text=text,
        parameters=tuple(params.values()), chart=chart,
        version=hashlib.sha256(path.read_bytes()).hexdigest()[:12], kind=kind, header=header)


def _position(message: str) -> tuple[int, int]:
    m = re.search(r"error at (\d+):(\d+)", message)
    return (int(m[1]), int(m[2])) if m else (1, 1)


class Registry:
    """All saved queries of a folder, by name, in a stable order."""

    def __init__(self, queries: list[CannedQuery]):
        self._queries = {q.name: q for q in sorted(queries, key=lambda q: q.name)}

    @classmethod
    def load(cls, folder: Path) -> "Registry":
        return cls([load_query(p) for p in sorted(folder.glob("*.rq")) if not p.name.endswith("-violation.rq")])

    def __iter__(self):
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise NotFound(f"there is no saved query named {name!r}; see /queries") from None


def run(store, query: CannedQuery, args: dict[str, str], base_iri: str, max_rows: int | None = None):
    """Bind and run a saved query: the one function the web API and the CLI share. IRI parameters may be
    given by name, slug or prefixed name (``aigov.resolve``)."""
    return store.query(query.text, bindings=query.bind(resolve_arguments(store, query, args, base_iri), base_iri),
                       max_rows=max_rows)


def resolve_arguments(store, query: CannedQuery, args: dict[str, str], base_iri: str) -> dict[str, str]:
    """The arguments with every IRI parameter turned into the full IRI it names (400 when it names none or
    several)."""
    from .resolve import resolve

    out = dict(args)
    for p in query.parameters:
        if p.type == "iri" and args.get(p.name):
            out[p.name] = resolve(args[p.name], p.name, store, base_iri).value
    return out
