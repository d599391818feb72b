"""The audit's model of large linked tables, built with numpy from ``columns``.

The same model as ``links.build`` (the same rows, links, rates; tests/disclosure
compare the two), reduced to what the solver needs. Most suppressed rows of a
large table are small places hidden whole: their block holds no published
figure, so every count in it is unbounded above and needs no solver
(``audit._free_blocks`` explains why). They are found here, with the links, as
connected components of a sparse graph, and only counted; the other suppressed
rows become ``links.Row`` objects, and every equation keeps its hidden terms and
the sum of its published ones (``Equation.known``).
"""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from .audit import CENTAVO
from .columns import Codes, Columns
from .links import (_BREAKDOWN, _KEY, AMOUNTS, COUNTS, HISTORIAL, RESUMEN, SUPPRESSIBLE,
                    Equation, Model, Occurrence, Row)

_INT64_ROOM = 2 ** 62


def _group(keys: Sequence[np.ndarray], sizes: Sequence[int]) -> Tuple[np.ndarray, int]:
    """A group number per row, equal for rows whose ``keys`` (one array per field,
    codes below ``sizes``) are all equal; and how many groups there are."""
    n = len(keys[0]) if keys else 0
    if not n:
        return np.zeros(0, dtype=np.int64), 0
    room = 1
    for size in sizes:
        room *= max(size, 1)
    if room < _INT64_ROOM:
        composite = np.zeros(n, dtype=np.int64)
        for key, size in zip(keys, sizes):
            composite *= max(size, 1)
            composite += key
        _unique, inverse = np.unique(composite, return_inverse=True)
    else:
        _unique, inverse = np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    return inverse, int(inverse.max()) + 1


def _joined(arrays: List[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


class _Table:
    """One table's distinct rows (the same row from two sources is one row), a
    column per key field and per figure."""

    def __init__(self, tabla: str, parts: List[Columns], codes: Codes, offset: int):
        self.tabla = tabla
        self.fields = _KEY[tabla]
        self.names = SUPPRESSIBLE[tabla]
        self.codes = codes
        self.offset = offset
        keys = [_joined([p.key(j) for p in parts]) for j in range(len(self.fields))]
        values = [_joined([p.value(j) for p in parts]) for j in range(len(self.names))]
        self.filas = _joined([p.fila_array() for p in parts])
        self.fuentes = [p.fuente for p in parts]
        self.fuente_of = _joined([np.full(len(p), i, dtype=np.int16)
                                  for i, p in enumerate(parts)])
        umbral = _joined([np.full(len(p), p.umbral, dtype=np.int32) for p in parts])
        inverse, n = _group(keys, [codes.size(f) for f in self.fields])
        self.n = n
        if n == len(inverse):
            # No row twice: rows stay in their order, each its own occurrence.
            self.order = self.starts = None
            self.keys, self.values, self.umbral = keys, values, umbral
        else:
            # Sorted by row: the occurrences of row i are order[starts[i]:starts[i + 1]].
            self.order = np.argsort(inverse, kind="stable")
            sorted_inverse = inverse[self.order]
            self.starts = np.flatnonzero(np.r_[True, sorted_inverse[1:] != sorted_inverse[:-1]])
            first = self.order[self.starts]
            self.keys = [k[first] for k in keys]
            # What either source publishes is known.
            self.values = [np.fmax.reduceat(v[self.order], self.starts) for v in values]
            self.umbral = np.maximum.reduceat(umbral[self.order], self.starts)
        del inverse
        self.hidden_cells = np.stack([np.isnan(v) for v in self.values], axis=1)

    def field(self, name: str) -> np.ndarray:
        return self.keys[self.fields.index(name)]

    def code(self, field: str, text: str) -> int:
        code = self.codes.code(field, text)
        return -1 if code is None else code

    def group(self, names: Sequence[str]) -> Tuple[np.ndarray, int]:
        return _group([self.field(n) for n in names], [self.codes.size(n) for n in names])

    def occurrences(self, i: int) -> List[Occurrence]:
        if self.order is None:
            return [Occurrence(self.fuentes[int(self.fuente_of[i])], int(self.filas[i]))]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.order)
        return [Occurrence(self.fuentes[int(self.fuente_of[k])], int(self.filas[k]))
                for k in self.order[self.starts[i]:end].tolist()]


class _Terms:
    """The equations that hold a suppressed cell, as arrays: their hidden terms
    (equation, global row, column, coefficient), and per equation the sum of its
    published terms and how many they are. Equations of published cells only
    say nothing about a hidden one and are dropped as they come."""

    def __init__(self, tables: Dict[str, "_Table"]):
        self.tables = tables
        self.parts: List[Tuple[np.ndarray, ...]] = []
        self.links: List[str] = []
        self.known: List[np.ndarray] = []
        self.known_terms: List[np.ndarray] = []
        self.next_eq = 0

    def add(self, link: str, n_eq: int, eq, table_rows, cols, coefs) -> None:
        """Terms of ``n_eq`` equations numbered 0.., ``table_rows``: (table, local rows)
        pairs, one per run of terms, in the order of ``eq``, ``cols`` and ``coefs``."""
        if not n_eq or not len(eq):
            return
        rows = np.concatenate([r + t.offset for t, r in table_rows])
        value = np.concatenate([
            _cell_values(t, r, cs) for (t, r), cs in zip(table_rows, _split(cols, table_rows))])
        hidden = np.isnan(value)
        has_hidden = np.bincount(eq[hidden], minlength=n_eq) > 0
        if not has_hidden.any():
            return
        published = ~hidden & has_hidden[eq]
        kept, k = _dense(np.arange(n_eq), has_hidden)
        known = np.bincount(kept[eq[published]], weights=coefs[published] * value[published],
                            minlength=k)
        known_terms = np.bincount(kept[eq[published]], minlength=k)
        self.parts.append((kept[eq[hidden]] + self.next_eq, rows[hidden],
                           np.asarray(cols)[hidden].astype(np.int8),
                           np.asarray(coefs)[hidden].astype(np.float64)))
        self.known.append(known)
        self.known_terms.append(known_terms)
        self.links += [link] * k
        self.next_eq += k

    def arrays(self):
        if not self.parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, np.zeros(0), np.zeros(0), empty
        return tuple(np.concatenate([p[j] for p in self.parts]) for j in range(4)) + (
            np.concatenate(self.known), np.concatenate(self.known_terms))


def _split(cols, table_rows):
    out, at = [], 0
    for _t, r in table_rows:
        out.append(cols[at:at + len(r)])
        at += len(r)
    return out


def _cell_values(t: "_Table", rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    value = np.empty(len(rows))
    for j, column in enumerate(t.values):
        here = cols == j
        value[here] = column[rows[here]]
    return value


def _dense(ids: np.ndarray, keep: np.ndarray) -> Tuple[np.ndarray, int]:
    """Renumber the kept group ids 0..k-1 (-1 elsewhere)."""
    mapping = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    kept = np.unique(ids[keep])
    mapping[kept] = np.arange(len(kept))
    return mapping[ids], len(kept)


def _whole_and_parts(t: _Table, terms: _Terms, link: str, fields: Sequence[str],
                     whole: np.ndarray, columns: Sequence[int]) -> None:
    """In each group of rows equal on ``fields``, the one ``whole`` row is the sum
    of the others, in each of ``columns``."""
    group, n = t.group(fields)
    wholes = np.bincount(group, weights=whole, minlength=n)
    parts = np.bincount(group, weights=~whole, minlength=n)
    eq, k = _dense(group, ((wholes == 1) & (parts >= 1))[group])
    rows = np.flatnonzero(eq >= 0)
    coefs = np.where(whole[rows], -1.0, 1.0)
    for col in columns:
        terms.add(link, k, eq[rows], [(t, rows)], np.full(len(rows), col), coefs)


def _components(t: _Table, terms: _Terms) -> None:
    """A total row's amounts are the sums of its components'."""
    _whole_and_parts(t, terms, "componentes",
                     ("periodo", "departamento_codigo", "municipio_codigo", "programa"),
                     t.field("componente") == t.code("componente", "total"),
                     [t.names.index(a) for a in AMOUNTS[RESUMEN]])


def _departments(t: _Table, terms: _Terms) -> None:
    """A department's row is the sum of its municipalities', in every figure."""
    _whole_and_parts(t, terms, "departamento",
                     [f for f in t.fields if f != "municipio_codigo"],
                     t.field("municipio_codigo") == t.code("municipio_codigo", ""),
                     range(len(t.names)))


def _payments(resumen: _Table, historial: _Table, codes: Codes, terms: _Terms) -> None:
    """A total's amount transferred is the sum of the place's paid history rows (a
    department total: the department's own rows, else its municipalities')."""
    fields = ("periodo", "departamento_codigo", "municipio_codigo", "programa")
    radix = [codes.size(f) + 2 for f in fields]   # room for the code "every municipality"
    star = codes.size("municipio_codigo")
    empty = resumen.code("municipio_codigo", "")

    def composite(p, d, m, g):
        return ((p.astype(np.int64) * radix[1] + d) * radix[2] + m) * radix[3] + g

    hp, hd, hm, hg = (historial.field(f) for f in fields)
    municipal = hm != empty
    own = composite(hp, hd, hm, hg)
    whole = composite(hp, hd, np.full_like(hm, star), hg)
    history = np.unique(np.concatenate([own, whole[municipal]]))
    department_level = np.unique(composite(hp, hd, np.zeros_like(hm), hg)[~municipal])

    total_rows = np.flatnonzero(resumen.field("componente")
                                == resumen.code("componente", "total"))
    rp, rd, rm, rg = (resumen.field(f)[total_rows] for f in fields)
    department = rm == empty
    own_level = np.isin(composite(rp, rd, np.zeros_like(rm), rg), department_level)
    target = np.where(department & ~own_level,
                      composite(rp, rd, np.full_like(rm, star), rg),
                      composite(rp, rd, rm, rg))
    has = np.isin(target, history)
    total_rows, target = total_rows[has], target[has]
    if not len(total_rows):
        return
    order = np.argsort(target)
    sorted_targets = target[order]

    paid = historial.field("estado") == historial.code("estado", "pagado")
    history_rows, history_eq = [], []
    for rows, keys in ((np.flatnonzero(paid), own[paid]),
                       (np.flatnonzero(paid & municipal), whole[paid & municipal])):
        at = np.minimum(np.searchsorted(sorted_targets, keys), len(sorted_targets) - 1)
        hit = sorted_targets[at] == keys
        history_rows.append(rows[hit])
        history_eq.append(order[at[hit]])
    history_rows = np.concatenate(history_rows)
    n_eq = len(total_rows)
    col_t = resumen.names.index("monto_transferido_hnl")
    col_m = historial.names.index("monto_hnl")
    terms.add("pagos", n_eq,
              np.concatenate([np.arange(n_eq)] + history_eq),
              [(resumen, total_rows), (historial, history_rows)],
              np.concatenate([np.full(n_eq, col_t), np.full(len(history_rows), col_m)]),
              np.concatenate([np.full(n_eq, -1.0), np.full(len(history_rows), 1.0)]))


def _rates(t: _Table) -> Dict[tuple, Tuple[float, float]]:
    """The model's rates; and, on the table, each row's bounds per (amount, count)
    (``t.row_rates``: low 0 and high inf where no published row sets them)."""
    t.row_rates = {}
    names = ("programa", "periodo") + _BREAKDOWN[t.tabla]
    group, n = t.group(names)
    texts = [t.codes.texts(f) for f in names]
    key_of = [t.field(f) for f in names]
    rates = {}
    for a_name in AMOUNTS[t.tabla]:
        amount = t.values[t.names.index(a_name)]
        for c_name in COUNTS[t.tabla]:
            count = t.values[t.names.index(c_name)]
            published = ~np.isnan(amount) & ~np.isnan(count) & (count != 0)
            if not published.any():
                continue
            g = group[published]
            rate = amount[published] / count[published]
            low = np.full(n, np.inf)
            high = np.full(n, -np.inf)
            np.minimum.at(low, g, rate)
            np.maximum.at(high, g, rate)
            t.row_rates[(a_name, c_name)] = (np.where(np.isfinite(low), low, 0.0)[group],
                                             np.where(np.isfinite(high), high, np.inf)[group])
            first = np.zeros(n, dtype=np.int64)
            first[g] = np.flatnonzero(published)     # any row of the group names it
            for i in np.unique(g):
                key = tuple(texts[j][key_of[j][first[i]]] for j in range(len(names)))
                rates[(t.tabla,) + key + (a_name, c_name)] = (float(low[i]), float(high[i]))
    return rates


def build(tables: Sequence[Columns], keep_decided: bool = False) -> Model:
    """The reduced model of linked tables given as columns (see the module's text).

    ``keep_decided``: keep every count decided in closed form in the model (with
    its interval in ``Model.decided``), not only the unsafe ones (for tests)."""
    codes = tables[0].codes if tables else Codes()
    if any(t.codes is not codes for t in tables):
        raise ValueError("the tables of one audit share one Codes")
    linked: Dict[str, _Table] = {}
    offset = 0
    for tabla in (RESUMEN, HISTORIAL):
        parts = [t for t in tables if t.tabla == tabla and len(t)]
        if parts:
            linked[tabla] = _Table(tabla, parts, codes, offset)
            offset += linked[tabla].n
    terms = _Terms(linked)
    if RESUMEN in linked:
        _components(linked[RESUMEN], terms)
        _departments(linked[RESUMEN], terms)
    if HISTORIAL in linked:
        _departments(linked[HISTORIAL], terms)
    if RESUMEN in linked and HISTORIAL in linked:
        _payments(linked[RESUMEN], linked[HISTORIAL], codes, terms)
    model = Model()
    for t in linked.values():
        model.rates.update(_rates(t))
    _reduce(model, list(linked.values()), offset, terms, keep_decided)
    return model


def _reduce(model: Model, tables: List[_Table], n_rows: int, terms: _Terms,
            keep_decided: bool) -> None:
    eq, rows, cols, coefs, known, known_terms = terms.arrays()
    n_eq = terms.next_eq
    hidden_row = np.zeros(n_rows, dtype=bool)
    mixed_row = np.zeros(n_rows, dtype=bool)
    hidden_counts = np.zeros(n_rows, dtype=np.int64)
    for t in tables:
        span = slice(t.offset, t.offset + t.n)
        hidden_row[span] = t.hidden_cells.any(axis=1)
        mixed_row[span] = hidden_row[span] & ~t.hidden_cells.all(axis=1)
        count_cols = [t.names.index(c) for c in COUNTS[t.tabla]]
        hidden_counts[span] = t.hidden_cells[:, count_cols].sum(axis=1)
    hidden_rows = np.flatnonzero(hidden_row)
    if not len(hidden_rows):
        return
    constant = np.abs(known) > CENTAVO * (known_terms + 1)

    # Blocks: hidden rows joined by the equations that hold their cells; bounded
    # when one of its equations holds a published figure or a row mixes both.
    node = np.full(n_rows, -1, dtype=np.int64)
    node[hidden_rows] = np.arange(len(hidden_rows))
    n_nodes = len(hidden_rows) + n_eq
    graph = sparse.coo_matrix((np.ones(len(rows), dtype=np.int8),
                               (node[rows], len(hidden_rows) + eq)), shape=(n_nodes, n_nodes))
    n_blocks, label = csgraph.connected_components(graph, directed=False)
    bounded_block = np.zeros(n_blocks, dtype=bool)
    bounded_block[label[len(hidden_rows) + np.flatnonzero(constant)]] = True
    bounded_block[label[node[np.flatnonzero(mixed_row)]]] = True
    bounded = hidden_rows[bounded_block[label[:len(hidden_rows)]]]
    decided_eq = np.zeros(n_eq, dtype=bool)
    decided = []
    history = next((t for t in tables if t.tabla == HISTORIAL), None)
    if history is not None:
        decided_eq, decided = _closed_form(
            history, eq, rows, cols, coefs, known, known_terms, n_eq, mixed_row,
            constant & (np.bincount(label[len(hidden_rows):], minlength=n_blocks)[
                label[len(hidden_rows):]] == 1), keep_decided)
    decided_rows = np.zeros(n_rows, dtype=bool)
    decided_rows[rows[decided_eq[eq]]] = True
    solver_rows = bounded[~decided_rows[bounded]]
    kept_rows = np.array(sorted(set(solver_rows.tolist()) | {d[0] for d in decided}),
                         dtype=np.int64)
    model.free_counts = int(hidden_counts[hidden_rows].sum() - hidden_counts[kept_rows].sum())

    # The rows the solver needs, and those of unsafe decided counts, as links.Row.
    bounded = kept_rows
    index = np.full(n_rows, -1, dtype=np.int64)
    index[bounded] = np.arange(len(bounded))
    model.decided = [(int(index[r]), column, lower, upper)
                     for r, column, lower, upper, _safe in decided]
    for t in tables:
        mine = bounded[(bounded >= t.offset) & (bounded < t.offset + t.n)] - t.offset
        texts = [t.codes.texts(f) for f in t.fields]
        keys = [k[mine].tolist() for k in t.keys]
        values = [v[mine].tolist() for v in t.values]
        for n, (i, umbral) in enumerate(zip(mine.tolist(), t.umbral[mine].tolist())):
            key = tuple(texts[j][k[n]] for j, k in enumerate(keys))
            cells = [None if v[n] != v[n] else v[n] for v in values]
            model.rows.append(Row(t.tabla, key, cells, umbral, t.occurrences(i)))

    # Equations over bounded rows: their hidden terms and the sum of the others.
    keep = (index[rows] >= 0) & ~decided_eq[eq]
    order = np.argsort(eq[keep], kind="stable")
    k_eq, k_row, k_col, k_coef = (a[keep][order] for a in (eq, rows, cols, coefs))
    if not len(k_eq):
        return
    starts = np.flatnonzero(np.r_[True, k_eq[1:] != k_eq[:-1]]).tolist()
    ends = starts[1:] + [len(k_eq)]
    triples = list(zip(index[k_row].tolist(), k_col.tolist(), k_coef.tolist()))
    ids = k_eq.tolist()
    for s, e in zip(starts, ends):
        e_id = ids[s]
        model.equations.append(Equation(terms.links[e_id], triples[s:e],
                                        float(known[e_id]), int(known_terms[e_id])))


def _closed_form(t: _Table, eq, rows, cols, coefs, known, known_terms, n_eq: int,
                 mixed_row, alone: np.ndarray, keep_all: bool):
    """Decide, without the solver, the blocks of the commonest shape.

    The shape: hidden history rows whose amounts m_i add up to a published
    figure (their place's total: S_lo <= sum m_i <= S_hi, the block's only
    equation) and whose counts t_i appear only in their own row's rates
    (low_i t_i <= m_i <= high_i t_i, t_i from 1, m_i from 0). A large history is
    almost all such blocks, and HiGHS would spend two solves per count on them.
    Each m_i ranges over [low_i, high_i * cap]; with the others at their
    extremes, m_j's largest value is min(its top, S_hi - the others' least) and
    its least max(low_j, S_lo - the others' tops); then U_j = max m_j / low_j and
    L_j = max(1, min m_j / high_j): the linear programme's optimum itself
    (tests/disclosure compare the two). Infeasible blocks are left to the solver,
    which knows what to do with them.

    ``alone``: per equation, whether it holds a published figure and is the only
    one of its block. Returns the decided equations (a mask) and (row, column, L,
    U, safe) per decided count that is unsafe (every one with ``keep_all``).
    """
    from .audit import AMOUNT_CAP, COUNT_CAP, EPS, UNBOUNDED

    none = np.zeros(n_eq, dtype=bool), []
    if not len(eq):
        return none
    amount_col = t.names.index("monto_hnl")
    count_name = "transferencias"
    low_of, high_of = t.row_rates.get(("monto_hnl", count_name),
                                      (np.zeros(t.n), np.full(t.n, np.inf)))
    # Terms that fit: a history row's amount, the row's only term, the row hidden whole.
    once = np.bincount(rows, minlength=len(mixed_row))[rows] == 1
    fits = ((rows >= t.offset) & (rows < t.offset + t.n) & (cols == amount_col) & once
            & ~mixed_row[rows])
    # ... and equations all of whose terms fit, with one sign, alone in their block.
    n_terms = np.bincount(eq, minlength=n_eq)
    plus = np.bincount(eq[fits & (coefs > 0)], minlength=n_eq)
    minus = np.bincount(eq[fits & (coefs < 0)], minlength=n_eq)
    candidate = alone & ((plus == n_terms) | (minus == n_terms)) & (n_terms > 0)
    take = candidate[eq]
    e, r = eq[take], rows[take] - t.offset
    sign = np.where(plus > 0, 1.0, -1.0)
    target = -known * sign
    tol = CENTAVO * (known_terms + n_terms)
    s_lo, s_hi = target - tol, target + tol
    low, high = low_of[r], high_of[r]
    m_least = low
    m_most = np.minimum(AMOUNT_CAP, high * COUNT_CAP)
    least = np.bincount(e, weights=m_least, minlength=n_eq)
    most = np.bincount(e, weights=m_most, minlength=n_eq)
    feasible = (least <= s_hi) & (most >= s_lo)
    decided_eq = candidate & feasible
    keep = decided_eq[e]
    e, r, low, high, m_least, m_most = (a[keep] for a in (e, r, low, high, m_least, m_most))
    top = np.minimum(m_most, s_hi[e] - (least[e] - m_least))
    bottom = np.maximum(m_least, s_lo[e] - (most[e] - m_most))
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.where(low > 0, np.minimum(COUNT_CAP, top / low), COUNT_CAP)
        lower = np.where(high > 0, np.maximum(1.0, bottom / high), 1.0)
    upper = np.where(upper >= UNBOUNDED, np.inf, upper)
    # Cell.interval and Cell.safe, on arrays.
    low_int = np.ceil(lower - EPS)
    high_int = np.where(np.isfinite(upper), np.floor(upper + EPS), np.inf)
    umbral = t.umbral[r]
    safe = (high_int >= umbral) & (high_int - low_int >= umbral)
    report = np.ones(len(r), dtype=bool) if keep_all else ~safe
    decided = [(g, count_name, lo, up, ok) for g, lo, up, ok in zip(
        (r[report] + t.offset).tolist(), lower[report].tolist(), upper[report].tolist(),
        safe[report].tolist())]
    return decided_eq, decided
