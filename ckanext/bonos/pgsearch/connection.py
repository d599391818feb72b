"""A pysolr-compatible connection that keeps CKAN's search documents in PostgreSQL.

CKAN builds every index document and every query itself (ckan/lib/search) and
hands them to ``make_connection()``. This object answers the calls CKAN makes on
that connection (``add``, ``delete``, ``commit``, ``search``) so that all of
CKAN's search code, and every plugin hook around it, keeps working unchanged.

Errors are reported as Solr reports them: ``pysolr.SolrError`` with a message
about the query, never a database error text.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Any, Iterable

import pysolr
import sqlalchemy as sa
from psycopg2 import errors as pg_errors
from psycopg2.extras import Json, execute_batch

from . import columns, compiler, localparams, lucene, storage
from .documents import DocumentError, to_row
from .schema import Schema, ckan_schema

log = logging.getLogger(__name__)

T = storage.TABLE
MAX_ROWS = 100_000
BATCH_ROWS = 200   # documents buffered by add(commit=False) before a write
# ts_rank weights for D, C, B, A: text, -, tags/groups, title/name (CKAN's qf)
RANK = "ts_rank('{0.1, 0.2, 0.5, 1.0}', d.tsv, %s::tsquery)"

_PROMOTED = list(storage.PROMOTED.values())
_PROMOTED_COLUMNS = [column for column, _ in _PROMOTED]
_TS = compiler.TS_CONFIG
# Each text field also goes into ftsv on its own, its lexemes renamed
# 'field.lexeme' (positions kept, so phrases work within a field). A lexeme
# has no space in it, so " '" starts one: a plain replace() renames them, four
# times faster than the regular expression it replaced (bench/search).
_FIELD_TSV = (
    "COALESCE((SELECT string_agg(substr(replace("
    f"' ' || to_tsvector('{_TS}', t.v)::text, "
    "' ''', ' ''' || t.f || '.'), 2), ' ') "
    "FROM jsonb_each_text(%s) AS t(f, v)), '')::tsvector")
_UPSERT = f"""
INSERT INTO {T} AS d (index_id, {", ".join(_PROMOTED_COLUMNS)},
                      fields, texts, stored, tsv, ftsv, indexed_at)
VALUES (%s, {", ".join("%s" for _ in _PROMOTED_COLUMNS)}, %s, %s, %s,
        setweight(to_tsvector('{_TS}', %s), 'A') ||
        setweight(to_tsvector('{_TS}', %s), 'B') ||
        to_tsvector('{_TS}', %s),
        {_FIELD_TSV},
        clock_timestamp())
ON CONFLICT (index_id) DO UPDATE SET
    {", ".join("%s = EXCLUDED.%s" % (c, c) for c in _PROMOTED_COLUMNS)},
    fields = EXCLUDED.fields, texts = EXCLUDED.texts, stored = EXCLUDED.stored,
    tsv = EXCLUDED.tsv, ftsv = EXCLUDED.ftsv, indexed_at = EXCLUDED.indexed_at
"""

_ANALYZE = f"""
SELECT CASE k WHEN 'phrase' THEN phraseto_tsquery('{compiler.TS_CONFIG}', t)
              WHEN 'prefix' THEN to_tsquery('{compiler.TS_CONFIG}', t)
              ELSE plainto_tsquery('{compiler.TS_CONFIG}', t) END::text
FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS x(k, t, i) ORDER BY i
"""


_UNSEARCHABLE = re.compile("[\x00\ud800-\udfff]")


def _check_text(params: dict) -> None:
    """NUL and unpaired surrogates cannot reach PostgreSQL (or Solr's XML):
    refuse them with a clear search error instead of failing inside the driver."""
    for name, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, str) and _UNSEARCHABLE.search(item):
                raise pysolr.SolrError(
                    "parameter '%s' contains a character that cannot be searched "
                    "(NUL or an unpaired surrogate)" % name)


class PostgresSolr:
    """Stands in for ``pysolr.Solr`` (the subset CKAN uses)."""

    def __init__(self, engine: sa.engine.Engine, schema: Schema | None = None,
                 timeout_ms: int = 10_000):
        self.engine = engine
        self.timeout_ms = timeout_ms   # a search that takes longer is cancelled
        self._pending: list = []
        self._lock = threading.RLock()
        self.schema = schema or ckan_schema()
        self.url = "postgresql search backend (bonos_pgsearch)"

    # -- plumbing -----------------------------------------------------------
    def _run(self, work, timeout_ms: int | None = None):
        """Run ``work(cursor)`` in its own transaction; create the table if a
        test fixture (or an admin) dropped it, and report failures like Solr."""
        for attempt in (1, 2):
            raw = self.engine.raw_connection()
            try:
                cur = raw.cursor()
                try:
                    if timeout_ms:
                        cur.execute("SET LOCAL statement_timeout = %s", (timeout_ms,))
                    result = work(cur)
                    raw.commit()
                    return result
                finally:
                    cur.close()
            except (pg_errors.UndefinedTable, pg_errors.UndefinedFunction) as e:
                raw.rollback()
                if "bonos_" not in str(e):
                    raise
                if attempt == 2:
                    raise pysolr.SolrError("search index storage is missing") from e
                with self.engine.begin() as conn:
                    storage.create(conn)
            except pg_errors.QueryCanceled as e:
                raw.rollback()
                raise pysolr.SolrError("the search took too long and was cancelled") from e
            except (pg_errors.DataError, pg_errors.SyntaxError) as e:
                raw.rollback()
                log.warning("search backend rejected a query: %s", e)
                raise pysolr.SolrError("the search index could not handle this query") from e
            except Exception:
                raw.rollback()
                raise
            finally:
                raw.close()

    def _analyze(self, cur):
        def analyze(requests: list) -> list:
            # folded like the documents are (prefix terms come folded)
            cur.execute(_ANALYZE, ([k for k, _ in requests],
                                   [t if k == "prefix" else storage.fold(t)
                                    for k, t in requests]))
            return [row[0] for row in cur.fetchall()]
        return analyze

    # -- writes -------------------------------------------------------------
    def add(self, docs: Iterable[dict], commit: bool = True, **kwargs: Any) -> str:
        """Index documents. With ``commit=False`` (CKAN's rebuild) they wait in
        a buffer and are written in batches; any search, delete or commit
        writes them first, so a process always reads its own writes."""
        try:
            rows = [to_row(self.schema, doc) for doc in docs]
            for r in rows:
                for part in (r.stored, r.fields, r.texts):
                    _check_text({"field " + k: v for k, v in part.items()})
        except DocumentError as e:
            raise pysolr.SolrError(str(e))
        with self._lock:
            self._pending.extend(rows)
            if commit or len(self._pending) >= BATCH_ROWS:
                self._flush_locked()
        return ""

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._pending:
            return
        rows, self._pending = self._pending, []

        def params(r):
            # multi-valued columns are NOT NULL: an absent field is {}
            promoted = [r.promoted.get(c) or ([] if multi else None)
                        for c, multi in _PROMOTED]
            return [r.index_id] + promoted + [
                Json(r.fields), Json(r.texts), Json(r.stored),
                r.text_a, r.text_b, r.text_d, Json(r.by_field)]

        self._run(lambda cur: execute_batch(cur, _UPSERT, [params(r) for r in rows],
                                            page_size=50))

    def delete(self, id=None, q=None, commit: bool = True, **kwargs: Any) -> str:
        if id is None and q is None:
            raise ValueError('You must specify "id" or "q".')
        _check_text({"id": id, "q": q})
        self.flush()

        def work(cur):
            if id is not None:
                ids = id if isinstance(id, (list, tuple)) else [id]
                cur.execute(f"DELETE FROM {T} WHERE index_id = ANY(%s)", (list(ids),))
            if q is not None:
                where, params, _ = self._where(cur, q, None, [])
                cur.execute(f"DELETE FROM {T} AS d WHERE {where}", params)
        self._run(work)
        return ""

    def commit(self, *args: Any, **kwargs: Any) -> str:
        self.flush()
        return ""

    def optimize(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def ping(self, **kwargs: Any) -> str:
        self._run(lambda cur: cur.execute("SELECT 1"))
        return "OK"

    # -- queries ------------------------------------------------------------
    def _where(self, cur, q, params: dict | None, fq: list) -> tuple[str, list, list]:
        """SQL condition for q and every fq, its parameters, and the text
        queries that score the results."""
        params = params or {}
        q = (q or "").strip() or "*:*"
        rank_terms: list = []
        try:
            frags = [self._query(cur, q, params, params.get("defType", "lucene"),
                                 rank_terms)]
            for item in fq:
                if isinstance(item, str) and item.strip():
                    frags.append(self._query(cur, item, params, "lucene", None))
        except lucene.QuerySyntaxError as e:
            raise pysolr.SolrError("org.apache.solr.search.SyntaxError: %s" % e)
        sql = " AND ".join("(%s)" % s for s, _ in frags)
        return sql, [p for _, ps in frags for p in ps], rank_terms

    def _query(self, cur, text: str, params: dict, def_type: str,
               rank_terms: list | None, depth: int = 0) -> tuple:
        """One query string (q, an fq, or a clause of {!bool}) as SQL."""
        if depth > 10:   # {!bool must=$q} in q would never end
            raise lucene.QuerySyntaxError("local parameters nested too deeply")
        local = localparams.split(text, params)
        if local is not None:
            def_type, text = local.parser, local.get("v", local.body)
            params = dict(params, **{k: local.get(k) for k in ("df", "qf", "mm", "q.op")
                                     if local.get(k) is not None})
        df = params.get("df") or "text"
        default_and = str(params.get("q.op", "OR")).upper() == "AND"
        comp = compiler.Compiler(self.schema, self._analyze(cur), df=df)
        if local is not None and def_type in ("field", "term", "terms", "prefix"):
            name = local.get("f")
            if not name:
                raise lucene.QuerySyntaxError("{!%s} needs f=<field>" % def_type)
            if def_type == "terms":
                sep = local.get("separator", ",")
                node = lucene.Bool(tuple((lucene.SHOULD, lucene.Term(name, v))
                                         for v in text.split(sep) if v))
            else:
                kind = {"field": "phrase", "term": "term", "prefix": "prefix"}[def_type]
                node = lucene.Term(name, text, kind)
        elif local is not None and def_type == "bool":
            return self._bool_query(cur, local, params, rank_terms, depth)
        elif def_type in ("dismax", "edismax") and (text or "").strip() not in ("", "*:*"):
            comp = compiler.Compiler(self.schema, self._analyze(cur), df=df,
                                     qf=compiler.parse_qf(params.get("qf", "")) or None)
            if def_type == "dismax":
                node = lucene.parse_dismax(text, params.get("mm", ""))
            else:
                try:
                    node = lucene.parse_lucene(text, default_and)
                except lucene.QuerySyntaxError:
                    # edismax retries a broken query as plain words
                    node = lucene.parse_dismax(text, params.get("mm", ""))
        elif def_type in ("lucene", "standard", "dismax", "edismax"):
            node = lucene.parse_lucene(text or "", default_and)
        else:
            raise lucene.QuerySyntaxError("unknown query parser %r" % def_type)
        frag = comp.compile(node)
        if rank_terms is not None:
            rank_terms += comp.rank_terms
        return frag

    def _bool_query(self, cur, local, params: dict, rank_terms, depth: int) -> tuple:
        """{!bool must=... should=... must_not=... filter=...}: Solr's BoolQParser."""
        parts = {k: [self._query(cur, v, params, "lucene",
                                 rank_terms if k in ("must", "should") else None, depth + 1)
                     for v in local.params.get(k, [])]
                 for k in ("must", "filter", "should", "must_not")}
        sql, args = [], []
        for s_, p_ in parts["must"] + parts["filter"]:
            sql.append("(%s)" % s_)
            args += p_
        if parts["should"] and not (parts["must"] or parts["filter"]):
            sql.append("(%s)" % " OR ".join("(%s)" % s_ for s_, _ in parts["should"]))
            args += [p for _, ps in parts["should"] for p in ps]
        for s_, p_ in parts["must_not"]:
            sql.append("NOT COALESCE((%s), FALSE)" % s_)
            args += p_
        if not sql:
            return compiler.FALSE   # Solr's empty BooleanQuery matches nothing
        return (" AND ".join(sql), args)

    def search(self, q: str | None = None, **params: Any) -> pysolr.Results:
        _check_text(dict(params, q=q))
        self.flush()
        fq = params.get("fq") or []
        fq = [fq] if isinstance(fq, str) else list(fq)
        try:
            rows = int(params.get("rows", 10))
            start = int(params.get("start", 0))
            facet_limit = int(params.get("facet.limit", 100))
            facet_mincount = int(params.get("facet.mincount", 0))
        except (TypeError, ValueError) as e:
            raise pysolr.SolrError("invalid number in a search parameter: %s" % e)
        if rows < 0 or start < 0:
            raise pysolr.SolrError("'rows' and 'start' cannot be negative")
        rows = min(rows, MAX_ROWS)
        fl = _parse_fl(params.get("fl", "*"))
        facet_fields = params.get("facet.field") or []
        if isinstance(facet_fields, str):
            facet_fields = [facet_fields]
        if str(params.get("facet", "false")).lower() not in ("true", "on", "1"):
            facet_fields = []
        facet_defs = [self._facet_field(name) for name in facet_fields]

        def work(cur):
            where, wparams, rank_terms = self._where(cur, q, params, fq)
            rank = _rank_sql(rank_terms)
            order = self._order_by(params.get("sort"), rank)
            facets, hits, page = {}, None, []
            if facet_defs:   # one pass over the matches: facets and the count
                hits, facets = self._facets(cur, where, wparams, facet_defs,
                                            facet_limit, facet_mincount)
            if rows > 0 and (hits is None or start < hits):
                # the page, and the count in the same pass (ids only: small)
                # the score and sort keys are computed in the scan (OFFSET 0
                # keeps the planner from flattening it), so that the count's
                # window holds narrow rows: with the whole row it spilled to
                # disk (bench/search; no gain in time measured under load)
                cur.execute(
                    f"SELECT index_id, score, count(*) OVER () FROM ("
                    f"SELECT d.index_id, {rank[0]} AS score, {order[0]} "
                    f"FROM {T} AS d WHERE {where} OFFSET 0) AS s "
                    f"ORDER BY {order[2]} LIMIT %s OFFSET %s",
                    rank[1] + order[1] + wparams + [rows, start])
                result = cur.fetchall()
                page = [(index_id, score) for index_id, score, _ in result]
                if result and hits is None:
                    hits = result[0][2]
            if hits is None:
                cur.execute(f"SELECT count(*) FROM {T} AS d WHERE {where}", wparams)
                hits = cur.fetchone()[0]
            docs = []
            if page:
                # stored documents (large) are read for the page only
                if fl["fields"] is None:
                    stored_sql, stored_params = "d.stored", []
                else:
                    stored_sql = ("(SELECT jsonb_object_agg(key, value) "
                                  "FROM jsonb_each(d.stored) WHERE key = ANY(%s))")
                    stored_params = [fl["fields"]]
                cur.execute(
                    f"SELECT {stored_sql} FROM unnest(%s::text[]) WITH ORDINALITY "
                    f"AS p(id, n) JOIN {T} AS d ON d.index_id = p.id ORDER BY p.n",
                    stored_params + [[index_id for index_id, _ in page]])
                for (stored,), (_, score) in zip(cur.fetchall(), page):
                    doc = {k: v for k, v in (stored or {}).items() if v is not None}
                    if fl["score"]:
                        doc["score"] = float(score)
                    docs.append(doc)
            return docs, hits, facets

        docs, hits, facets = self._run(work, timeout_ms=self.timeout_ms)
        return pysolr.Results({
            "responseHeader": {"status": 0, "params": {}},
            "response": {"numFound": hits, "start": start, "docs": docs},
            "facet_counts": {"facet_fields": facets} if facet_defs else {},
        })

    # -- pieces of a search ---------------------------------------------------
    def _order_by(self, sort: str | None, rank) -> tuple[str, list, str]:
        """(select list of the sort keys, its parameters, ORDER BY on them)."""
        keys, directions, params = [], [], []
        for spec in (sort or "score desc").split(","):
            spec = spec.strip()
            if not spec:
                continue
            bits = spec.split()
            if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
                raise pysolr.SolrError(
                    "Can't determine a Sort Order (asc or desc) in sort spec '%s'" % spec)
            name, direction = bits[0], bits[1].upper()
            if name == "score":
                keys.append(rank[0])
                directions.append(direction)
                params += rank[1]
                continue
            field = self.schema.field(name)
            if field is None:
                raise pysolr.SolrError("sort param field can't be found: %s" % name)
            if field.multi:
                raise pysolr.SolrError("can not sort on multivalued field: %s" % name)
            if not field.sortable:
                raise pysolr.SolrError(
                    "can not sort on a field that is not indexed or is tokenized: %s"
                    " (for titles, sort on title_string)" % name)
            expr, expr_params = columns.single(field)
            expr = "(%s)::numeric" % expr if field.numeric else '%s COLLATE "C"' % expr
            keys.append(expr)
            directions.append(direction + " NULLS LAST")
            params += expr_params
        # Solr breaks ties by index order
        keys += ["d.indexed_at", "d.index_id AS tie_id"]
        directions += ["", ""]
        select = ", ".join("%s AS k%d" % (k, i) if " AS " not in k else k
                           for i, k in enumerate(keys))
        order = ", ".join(("k%d %s" % (i, d)).strip() if " AS " not in k else "tie_id"
                          for i, (k, d) in enumerate(zip(keys, directions)))
        return select, params, order

    def _facet_field(self, name: str):
        field = self.schema.field(name)
        if field is None:
            raise pysolr.SolrError("undefined field %s" % name)
        if not field.indexed:
            raise pysolr.SolrError("can not facet on a field that is not indexed: %s" % name)
        return field

    def _facets(self, cur, where, wparams, fields, limit, mincount) -> tuple[int, dict]:
        """(number of matches, facet counts) in one pass over the matches."""
        # Materialise only the facet fields of the matching rows, then count.
        sources, source_params, parts, params = [], [], [], []
        for i, field in enumerate(fields):
            expr, expr_params = columns.facet_source(field)
            sources.append("%s AS f%d" % (expr, i))
            source_params += expr_params
            # values in the select list (a ProjectSet): counting them that way
            # took half the time of a lateral join per row (bench/search)
            if field.name in storage.PROMOTED:
                values = "unnest(m.f%d)" % i if field.multi else "m.f%d" % i
            elif field.multi:
                values = ("jsonb_array_elements_text(CASE jsonb_typeof(m.f%d) "
                          "WHEN 'array' THEN m.f%d ELSE '[]'::jsonb END)" % (i, i))
            else:
                values = "m.f%d #>> '{}'" % i
            parts.append(
                f"(SELECT {i} AS i, x.v, count(*) AS c FROM (SELECT {values} AS v FROM m) AS x "
                f"WHERE x.v IS NOT NULL GROUP BY x.v HAVING count(*) >= %s "
                f'ORDER BY c DESC, x.v COLLATE "C" LIMIT %s)')
            params += [max(mincount, 1), None if limit < 0 else limit]
        parts.append("(SELECT -1, NULL, count(*) FROM m)")
        cur.execute(
            f"WITH m AS MATERIALIZED (SELECT {', '.join(sources)} FROM {T} AS d "
            f"WHERE {where}) " + " UNION ALL ".join(parts),
            source_params + wparams + params)
        out: dict = {f.name: [] for f in fields}
        hits = 0
        for i, value, count in cur.fetchall():
            if i < 0:
                hits = count
            else:
                out[fields[i].name] += [value, count]
        return hits, out


def _rank_sql(terms: list) -> tuple[str, list]:
    if not terms:
        return ("1.0::real", [])
    return (RANK, [" | ".join("(%s)" % t for t in terms)])


def _parse_fl(fl) -> dict:
    if isinstance(fl, (list, tuple)):
        names = [str(n) for n in fl]
    else:
        names = str(fl or "*").replace(",", " ").split()
    score = "score" in names
    names = [n for n in names if n != "score"]
    if not names or "*" in names:
        return {"fields": None, "score": score}
    return {"fields": list(dict.fromkeys(names)), "score": score}
