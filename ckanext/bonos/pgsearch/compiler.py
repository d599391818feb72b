"""Compile a parsed query (``lucene`` trees) into a SQL condition on the
``bonos_search_doc`` table (alias ``d``), following CKAN's Solr schema.

Every value reaches SQL as a bound parameter; field names too (as JSON keys).
The SQL text only ever contains fragments written here.

Text analysis (Spanish stemming, accent folding, stop words) happens in
PostgreSQL: the compiler first collects the free-text terms, asks the database
for their ``tsquery`` in one round trip, then builds the condition. A term that
analyses to nothing (a stop word) is dropped, as Solr drops it.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from . import columns, lucene
from .lucene import MUST, MUST_NOT, SHOULD, Bool, MatchAll, Range, Term
from .schema import Field, Schema
from .storage import fold
from .values import InvalidValue, parse_bool, parse_date, parse_number

TS_CONFIG = "spanish"
Frag = tuple  # (sql: str, params: list)
TRUE: Frag = ("TRUE", [])
FALSE: Frag = ("FALSE", [])

Analyzer = Callable[[list], list]   # [(kind, text)] -> [tsquery text or '']


def _like_escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def _wildcard_to_like(text: str) -> str:
    out = []
    for ch in text:
        out.append("%" if ch == "*" else "_" if ch == "?" else _like_escape(ch))
    return "".join(out)


def prefix_tsquery_text(text: str) -> str:
    """``tok & tok:*`` from plain words only, safe to hand to to_tsquery."""
    tokens = re.findall(r"[0-9a-z]+", fold(text))
    if not tokens:
        return ""
    return " & ".join(tokens[:-1] + [tokens[-1] + ":*"])


def parse_qf(qf: str) -> list[str]:
    fields = []
    for part in (qf or "").split():
        name = part.split("^", 1)[0]
        if name:
            fields.append(name)
    return fields


class Compiler:
    def __init__(self, schema: Schema, analyzer: Analyzer,
                 qf: Optional[list[str]] = None, df: str = "text"):
        self.schema = schema
        self.analyzer = analyzer
        self.qf = qf
        self.df = df or "text"
        self._tsq: dict = {}
        self.rank_terms: list[str] = []   # tsquery texts that score 'text'

    # -- public ---------------------------------------------------------
    def compile(self, node) -> Frag:
        requests = []
        self._collect(node, requests)
        if requests:
            unique = list(dict.fromkeys(requests))
            for key, tsq in zip(unique, self.analyzer(unique)):
                self._tsq[key] = tsq
        frag = self._node(node, positive=True)
        return FALSE if frag is None else frag

    # -- field resolution -----------------------------------------------
    def field(self, name: str) -> Field:
        field = self.schema.field(name)
        if field is None:
            raise lucene.QuerySyntaxError("undefined field %s" % name)
        if not field.indexed:
            raise lucene.QuerySyntaxError("field %s is not indexed, so it cannot be searched" % name)
        return field

    def _targets(self, name: Optional[str]) -> list[Field]:
        if name is not None:
            return [self.field(name)]
        if not self.qf:
            return [self.field(self.df)]
        fields = [self.field(n) for n in self.qf]
        if any(f.name == "text" for f in fields):
            # 'text' already holds every field the schema copies into it,
            # analysed the same way: searching those again changes nothing.
            fields = [f for f in fields
                      if f.name == "text" or not self.schema.copied_to_text(f.name)]
        return fields

    # -- analysis ---------------------------------------------------------
    @staticmethod
    def _analysis_key(term: Term):
        if term.kind in ("prefix", "wildcard"):
            head = re.split(r"[*?]", term.text, 1)[0] if term.kind == "wildcard" else term.text
            return ("prefix", prefix_tsquery_text(head))
        return (term.kind if term.kind == "phrase" else "term", term.text)

    def _collect(self, node, out: list) -> None:
        if isinstance(node, Bool):
            for _, child in node.clauses:
                self._collect(child, out)
        elif isinstance(node, Term) and node.kind != "exists":
            if any(f.kind == "text" for f in self._targets(node.field)):
                out.append(self._analysis_key(node))

    # -- nodes ------------------------------------------------------------
    def _node(self, node, positive: bool) -> Optional[Frag]:
        if isinstance(node, MatchAll):
            return TRUE
        if isinstance(node, Bool):
            return self._bool(node, positive)
        targets = self._targets(node.field)
        frags = []
        for field in targets:
            frag = (self._range(field, node) if isinstance(node, Range)
                    else self._term(field, node, positive))
            if frag is not None:
                frags.append(frag)
        if not frags:
            return None
        return _join(frags, " OR ")

    def _bool(self, node: Bool, positive: bool) -> Optional[Frag]:
        must, should, must_not = [], [], []
        for occur, child in node.clauses:
            frag = self._node(child, positive and occur != MUST_NOT)
            if frag is None:
                continue   # analysed to nothing: Solr drops the clause
            {MUST: must, SHOULD: should, MUST_NOT: must_not}[occur].append(frag)
        if not (must or should or must_not):
            return None
        parts = list(must)
        # NOT of a NULL (an absent value) would drop the row: absent is no match
        parts += [("NOT COALESCE((%s), FALSE)" % sql, params) for sql, params in must_not]
        if should:
            # Lucene: with no required clause, at least one optional must match
            wanted = (min(node.min_should, len(should)) if node.min_should
                      else 0 if must else 1)
            if wanted == 1:
                parts.append(_join(should, " OR "))
            elif wanted == len(should):
                parts.extend(should)
            elif wanted > 1:
                # "any of them" first: an index can answer it (BitmapOr),
                # so the count below runs on candidates only
                parts.append(_join(should, " OR "))
                sql = " + ".join("(%s)::int" % s for s, _ in should)
                params = [p for _, ps in should for p in ps]
                parts.append(("(%s) >= %d" % (sql, wanted), params))
        if not parts:
            return TRUE
        return _join(parts, " AND ")

    def _term(self, field: Field, term: Term, positive: bool) -> Optional[Frag]:
        name = field.name
        if term.kind == "exists":
            return columns.exists(field)
        if field.kind == "ngram":
            return self._ngram(field, term)
        if field.kind == "text":
            tsq = self._tsq.get(self._analysis_key(term), "")
            if not tsq:
                return None
            if name == "text":
                if positive:
                    self.rank_terms.append(tsq)
                return ("(d.tsv @@ %s::tsquery)", [tsq])
            return ("(d.ftsv @@ %s::tsquery)", [field_tsquery(name, tsq)])
        if term.kind in ("prefix", "wildcard"):
            if field.kind not in ("string", "binary"):
                raise lucene.QuerySyntaxError(
                    "wildcards work on text and string fields, not on %s" % name)
            pattern = (_like_escape(term.text) + "%" if term.kind == "prefix"
                       else _wildcard_to_like(term.text))
            return self._each_value(field, [("v LIKE %s", pattern)])
        value = self._value(field, term.text)
        if field.numeric:
            return self._each_value(field, [("v::numeric = %s", value)])
        return columns.equals(field, value)

    @staticmethod
    def _ngram(field: Field, term: Term) -> Frag:
        """An n-gram field: the query analyser splits on white space and lower-
        cases, and each word must be one of the value's grams: a substring (a
        word's start, for edge grams) of a length the schema makes."""
        low, high = field.grams
        words = fold(term.text).split()
        if not words:
            return FALSE
        if term.kind == "wildcard":
            likes = [_wildcard_to_like(w) for w in words]
        else:
            if term.kind != "prefix" and not all(low <= len(w) <= high for w in words):
                return FALSE   # no gram of that length exists
            likes = [_like_escape(w) for w in words]
        # values are one a line (documents.to_row)
        starts = ["", "\n", " "] if field.edge else None
        expr, expr_params = columns.single(field)
        sql, params = [], []
        for like in likes:
            if starts is None:
                sql.append("%s LIKE %%s" % expr)
                params += expr_params + ["%" + like + "%"]
            else:
                sql.append("(%s)" % " OR ".join(["%s LIKE %%s" % expr] * 3))
                for start in starts:
                    params += expr_params + [("%" + start if start else "") + like + "%"]
        return ("COALESCE(%s, FALSE)" % " AND ".join(sql), params)

    def _range(self, field: Field, rng: Range) -> Frag:
        conds = []
        cast = "v::numeric" if field.numeric else 'v COLLATE "C"'
        for bound, incl, op in ((rng.low, rng.include_low, ">"),
                                (rng.high, rng.include_high, "<")):
            if bound is not None:
                conds.append(("%s %s%s %%s" % (cast, op, "=" if incl else ""),
                              self._value(field, bound)))
        if not conds:
            return columns.exists(field)
        return self._each_value(field, conds)

    def _value(self, field: Field, text: str):
        try:
            if field.kind == "date":
                return parse_date(text)
            if field.kind == "int":
                return parse_number(text, integer=True)
            if field.kind == "float":
                return parse_number(text, integer=False)
            if field.kind == "bool":
                return parse_bool(text)
        except InvalidValue as e:
            raise lucene.QuerySyntaxError("%s (field %s)" % (e, field.name))
        return text

    @staticmethod
    def _each_value(field: Field, conds: list) -> Frag:
        """All ``conds`` (template on ``v``, value) hold for the field's value,
        or for one of its values when it is multi-valued."""
        if field.multi:
            source, params = columns.elements(field)
            where = " AND ".join(c for c, _ in conds)
            return ("EXISTS (SELECT 1 FROM %s v WHERE %s)" % (source, where),
                    params + [p for _, p in conds])
        expr, expr_params = columns.single(field)
        sql, params = [], []
        for cond, value in conds:
            sql.append(cond.replace("v", expr, 1))
            params += expr_params + [value]
        return ("COALESCE(%s, FALSE)" % " AND ".join(sql), params)


_FIELD_NAME_RE = re.compile(r"[A-Za-z0-9_\-]+")
_LEXEME_RE = re.compile(r"'((?:[^']|'')*)'")


def field_tsquery(field: str, tsquery: str) -> str:
    """Rewrite a tsquery on plain lexemes to one on ``field.lexeme`` (ftsv)."""
    if not _FIELD_NAME_RE.fullmatch(field):
        raise lucene.QuerySyntaxError("cannot search the text of field %r" % field)
    return _LEXEME_RE.sub(lambda m: "'%s.%s'" % (field, m.group(1)), tsquery)


def _join(frags: list, sep: str) -> Frag:
    if len(frags) == 1:
        return frags[0]
    sql = sep.join("(%s)" % s for s, _ in frags)
    return (sql, [p for _, ps in frags for p in ps])
