"""Parsers for the query syntaxes CKAN sends to Solr.

``parse_lucene`` reads Solr's standard (Lucene) syntax, used for ``fq`` and for a
``q`` that names fields; ``parse_dismax`` reads the forgiving dismax syntax CKAN
uses for free text. Both return a small tree (the dataclasses below) that
``compiler`` turns into SQL. Nothing here touches the database.

Malformed input raises ``QuerySyntaxError``; the connection reports it the way
Solr does (a ``pysolr.SolrError``), which CKAN answers as a search error.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Union

MUST, SHOULD, MUST_NOT = "+", "", "-"


class QuerySyntaxError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class MatchAll:
    pass


@dataclasses.dataclass(frozen=True)
class Term:
    field: str | None      # None: the default field(s)
    text: str
    kind: str = "term"     # term, phrase, prefix, wildcard, exists


@dataclasses.dataclass(frozen=True)
class Range:
    field: str | None
    low: str | None        # None: unbounded ('*')
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclasses.dataclass(frozen=True)
class Bool:
    clauses: tuple        # of (occur, node)
    min_should: int = 0   # 0: Lucene's rule (one SHOULD when no MUST)


Node = Union[MatchAll, Term, Range, Bool]

_SPECIAL = set(' \t\r\n\u3000+-!():^[]"{}~*?\\/')
_TOKEN_RE = re.compile(r"""
    (?P<ws>[\s\u3000]+)
  | (?P<and>&&)
  | (?P<or>\|\|)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<quoted>"(?:[^"\\]|\\.)*")
  | (?P<badquote>")
  | (?P<range>[\[{])
  | (?P<caret>\^[0-9]+(?:\.[0-9]+)?)
  | (?P<tilde>~[0-9.]*)
  | (?P<regex>/)
  | (?P<localparams>\{!)
  | (?P<term>(?:[^\s\u3000()"\[\]{}^~:/\\]|\\.)+)
  | (?P<colon>:)
  | (?P<badescape>\\$)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _has_unescaped(text: str, chars: str) -> bool:
    return bool(re.search(r"(?<!\\)(?:\\\\)*[%s]" % re.escape(chars), text))


class _Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.tokens: list[tuple[str, str]] = []
        self._scan()
        self.i = 0

    def _scan(self) -> None:
        text = self.text
        pos = 0
        while pos < len(text):
            if text.startswith("{!", pos):
                raise QuerySyntaxError("local parameters {!...} are not supported")
            m = _TOKEN_RE.match(text, pos)
            kind = m.lastgroup
            value = m.group()
            pos = m.end()
            if kind == "ws":
                continue
            if kind == "badquote":
                raise QuerySyntaxError("unbalanced quotation mark")
            if kind == "badescape":
                raise QuerySyntaxError("a backslash at the end escapes nothing")
            if kind == "regex":
                raise QuerySyntaxError("regular expressions /.../ are not supported")
            if kind == "other":
                raise QuerySyntaxError("unexpected character %r" % value)
            if kind == "range":
                end = self._range_end(text, pos)
                value = text[pos - 1:end]
                pos = end
            self.tokens.append((kind, value))

    @staticmethod
    def _range_end(text: str, start: int) -> int:
        i = start
        while i < len(text):
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    raise QuerySyntaxError("unbalanced quotation mark in a range")
                i = close + 1
                continue
            if c in "]}":
                return i + 1
            if c in "[{":
                break
            i += 1
        raise QuerySyntaxError("unclosed range: expected ']' or '}'")

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def next(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok


def _parse_range(value: str, field: str | None) -> Range:
    include_low = value[0] == "["
    include_high = value[-1] == "]"
    body = value[1:-1].strip()
    parts = re.findall(r'"(?:[^"\\]|\\.)*"|(?:[^\s"\\]|\\.)+', body)
    if len(parts) != 3 or parts[1] != "TO":
        raise QuerySyntaxError("a range is written [low TO high]: %s" % value)

    def bound(p: str) -> str | None:
        if p == "*":
            return None
        if p.startswith('"'):
            return unescape(p[1:-1])
        return unescape(p)

    return Range(field, bound(parts[0]), bound(parts[2]), include_low, include_high)


def _term_node(field: str | None, raw: str) -> Node:
    if raw == "*":
        return MatchAll() if field in (None, "*") else Term(field, "*", "exists")
    wild = _has_unescaped(raw, "*?")
    text = unescape(raw)
    if wild:
        body = raw[:-1]
        if raw.endswith("*") and not raw.endswith("\\*") and not _has_unescaped(body, "*?"):
            return Term(field, unescape(body), "prefix")
        return Term(field, text, "wildcard")
    return Term(field, text)


class _LuceneParser:
    """Recursive descent over Lucene's grammar, with its clause-combining rules."""

    def __init__(self, text: str, default_and: bool):
        self.lex = _Lexer(text)
        self.default_and = default_and
        self.depth = 0

    def parse(self) -> Node:
        node = self._query(top=True)
        if self.lex.peek() is not None:
            raise QuerySyntaxError("unbalanced parenthesis: unexpected ')'")
        return node

    def _query(self, top: bool = False) -> Node:
        self.depth += 1
        if self.depth > 50:
            raise QuerySyntaxError("query nested too deeply")
        clauses: list[list] = []   # [occur, node]
        conj_pending = None
        while True:
            tok = self.lex.peek()
            if tok is None:
                break
            kind, value = tok
            if kind == "close":
                if top:
                    raise QuerySyntaxError("unbalanced parenthesis: unexpected ')'")
                break
            if kind in ("and", "or") or (kind == "term" and value in ("AND", "OR")):
                self.lex.next()
                if not clauses or conj_pending:
                    raise QuerySyntaxError("'%s' needs a clause on each side" % value)
                conj_pending = "AND" if kind == "and" or value == "AND" else "OR"
                continue
            mods = self._modifier()
            node = self._clause()
            self._add_clause(clauses, conj_pending, mods, node)
            conj_pending = None
        if conj_pending:
            raise QuerySyntaxError("'%s' needs a clause on each side" % conj_pending)
        self.depth -= 1
        if len(clauses) == 1 and clauses[0][0] != MUST_NOT:
            return clauses[0][1]
        return Bool(tuple((o, n) for o, n in clauses))

    def _modifier(self) -> str | None:
        tok = self.lex.peek()
        if tok is None:
            return None
        kind, value = tok
        if kind == "term" and value == "NOT":
            self.lex.next()
            return MUST_NOT
        if kind == "term" and value[0] in "+-!" and value not in ("+", "-", "!"):
            # modifier glued to its clause: split it off
            self.lex.tokens[self.lex.i] = ("term", value[1:])
            return MUST if value[0] == "+" else MUST_NOT
        if kind == "term" and value in ("+", "-", "!"):
            self.lex.next()
            nxt = self.lex.peek()
            if nxt is None or nxt[0] in ("close", "and", "or"):
                raise QuerySyntaxError("'%s' must be followed by a clause" % value)
            return MUST if value == "+" else MUST_NOT
        return None

    def _add_clause(self, clauses, conj, mods, node) -> None:
        # Lucene's QueryParserBase.addClause: a conjunction changes the
        # previous clause; the default operator decides the new one.
        if clauses and conj == "AND" and clauses[-1][0] != MUST_NOT:
            clauses[-1][0] = MUST
        if clauses and self.default_and and conj == "OR" and clauses[-1][0] != MUST_NOT:
            clauses[-1][0] = SHOULD
        prohibited = mods == MUST_NOT
        if self.default_and:
            required = not prohibited and conj != "OR"
        else:
            required = mods == MUST or (conj == "AND" and not prohibited)
        occur = MUST_NOT if prohibited else (MUST if required else SHOULD)
        clauses.append([occur, node])

    def _clause(self, field: str | None = None) -> Node:
        tok = self.lex.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends where a term was expected")
        kind, value = self.lex.next()
        if kind == "term" and field is None and self.lex.peek() and self.lex.peek()[0] == "colon":
            self.lex.next()
            name = unescape(value)
            if not re.fullmatch(r"[A-Za-z0-9_.\-*]+", name):
                raise QuerySyntaxError("not a field name: %r" % name)
            return self._clause(field=name)
        if kind == "colon":
            raise QuerySyntaxError("':' must follow a field name")
        if kind == "open":
            node = self._query()
            closing = self.lex.peek()
            if closing is None:
                raise QuerySyntaxError("unbalanced parenthesis: missing ')'")
            self.lex.next()
            self._suffixes()
            return _with_field(node, field)
        if kind == "quoted":
            self._suffixes()
            return Term(field, unescape(value[1:-1]), "phrase")
        if kind == "range":
            self._suffixes()
            return _parse_range(value, field)
        if kind == "term":
            if value in ("+", "-", "!") or value[0] in "+-!":
                raise QuerySyntaxError("misplaced operator %r" % value)
            self._suffixes()
            return _term_node(field, value)
        raise QuerySyntaxError("unexpected %r" % value)

    def _suffixes(self) -> None:
        # boosts (^2) and fuzziness/slop (~1) change scores, not matches
        while self.lex.peek() and self.lex.peek()[0] in ("caret", "tilde"):
            self.lex.next()


def _with_field(node: Node, field: str | None) -> Node:
    """Apply ``field:(...)`` to every unfielded term inside the group."""
    if field is None:
        return node
    if isinstance(node, Bool):
        return Bool(tuple((o, _with_field(n, field)) for o, n in node.clauses),
                    node.min_should)
    if isinstance(node, (Term, Range)) and node.field is None:
        return dataclasses.replace(node, field=field)
    return node


def parse_lucene(text: str, default_and: bool = True) -> Node:
    text = text.strip()
    if not text:
        return MatchAll()
    if text == "*:*":
        return MatchAll()
    return _LuceneParser(text, default_and).parse()


def min_should_match(spec: str, optional: int) -> int:
    """Solr's ``mm`` spec (e.g. ``2<-1 5<80%``) applied to ``optional`` clauses."""
    spec = (spec or "").strip()
    if not spec:
        return optional

    def one(s: str) -> int:
        s = s.strip()
        try:
            if s.endswith("%"):
                pct = int(s[:-1])
                n = optional * abs(pct) // 100
                return n if pct >= 0 else optional - n
            n = int(s)
        except ValueError:
            raise QuerySyntaxError("invalid mm (minimum should match): %r" % spec)
        return n if n >= 0 else optional + n

    if "<" not in spec:
        result = one(spec)
    else:
        result = optional
        for cond in spec.split():
            if "<" not in cond:
                raise QuerySyntaxError("invalid mm (minimum should match): %r" % spec)
            upto, value = cond.split("<", 1)
            try:
                threshold = int(upto)
            except ValueError:
                raise QuerySyntaxError("invalid mm (minimum should match): %r" % spec)
            if optional > threshold:
                result = one(value)
    return max(0, min(optional, result))


# Solr's DisMaxQParser cleans the user's query before Lucene's parser reads it
# (SolrPluginUtils.stripIllegalOperators): runs of +/- after white space, and
# operators dangling at the end, are dropped. What is left over (a query that
# starts with "--", "+-", or is only an operator) is a syntax error on Solr.
_CONSECUTIVE_OPS = re.compile(r"\s+[+-](?:\s*[+-]+)+")
_DANGLING_OPS = re.compile(r"\s+[-+\s]+$")
_LONE_OPERATOR = re.compile(r"(^|[\s\u3000])([+-])[\s\u3000]+(?=\S)")
_BAD_OPERATORS = re.compile(r"(?:^|[\s\u3000])[+-][\s\u3000]*[+-]|^[\s\u3000]*[+-][\s\u3000]*$")


def parse_dismax(text: str, mm: str) -> Node:
    """Dismax: quoted phrases, +/- and plain words.

    Like Solr's dismax, unbalanced quotes are dropped and the other Lucene
    operators are taken as plain words; only misplaced +/- are an error.
    Unfielded terms are later matched against ``qf``.
    """
    if text.count('"') % 2:
        idx = text.rfind('"')
        text = text[:idx] + text[idx + 1:]
    text = _DANGLING_OPS.sub("", _CONSECUTIVE_OPS.sub(" ", text))
    if _BAD_OPERATORS.search(text):
        raise QuerySyntaxError(
            "Cannot parse '%s': an operator (+ or -) must be followed by a term" % text)
    # Lucene skips white space between an operator and its term ("a - b" is "a -b")
    text = _LONE_OPERATOR.sub(r"\1\2", text)
    clauses = []
    for m in re.finditer(r'([+\-]?)("([^"]*)"|[^\s\u3000"]+)', text):
        sign, whole, phrase = m.group(1), m.group(2), m.group(3)
        occur = {"+": MUST, "-": MUST_NOT}.get(sign, SHOULD)
        if phrase is not None:
            if not phrase.strip():
                continue
            node = Term(None, phrase, "phrase")
        else:
            word = unescape(whole)
            if word in ("AND", "OR", "NOT", "&&", "||", "+", "-", "!"):
                continue
            word = word.strip("()[]{}^~:!")
            bare = word.replace("*", "").replace("?", "")
            if not bare:
                continue
            # Kinder than Solr's dismax: a trailing * is a prefix search.
            kind = "prefix" if word.endswith("*") and len(bare) > 1 else "term"
            node = Term(None, bare, kind)
        clauses.append((occur, node))
    if not clauses:
        return Bool(())
    optional = sum(1 for o, _ in clauses if o == SHOULD)
    return Bool(tuple(clauses), min_should_match(mm, optional) if optional else 0)
