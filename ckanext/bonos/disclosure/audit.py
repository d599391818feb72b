"""The interval audit: how closely can an outsider pin down each suppressed count?

For every suppressed count, the smallest (L) and largest (U) value consistent with
everything published: the links of ``links`` as equations, suppressed counts from
1 up, suppressed amounts from 0 up, and each row's amounts between the smallest
and largest amount per unit of its published neighbours. A count is safe when
U >= umbral and U - L >= umbral, L and U computed on the continuous relaxation
(as tau-ARGUS and sdcTable audit) and then rounded inwards to whole numbers, as an
outsider who knows that counts are integers would.

Speed comes from structure. Cells that share no relation never meet, so the
suppressed cells split into independent blocks. A block without equations, or
whose equations hold no published figure (everything in them hidden), can grow
without limit: every count in it is unbounded above, decided without a solver.
The other blocks go to HiGHS (highspy) together: because blocks
are independent, maximising the sum of one count from each block maximises each
of them, so a round of two solves decides one count of every block.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import highspy
import numpy as np
from scipy import sparse

from .links import AMOUNTS, COUNTS, SUPPRESSIBLE, Model, rate_group

#: Bounds that stand for "no limit" (HiGHS needs finite boxes to stay bounded).
#: No municipality has 10 million households; no table 10^12 lempiras in a row.
COUNT_CAP = 1e7
AMOUNT_CAP = 1e12
UNBOUNDED = COUNT_CAP * 0.999
#: Published amounts have two decimals: a sum may be off by half a centavo a term.
CENTAVO = 0.005
EPS = 1e-6


class AuditUnavailable(Exception):
    """The solver failed or ran out of time: no verdict, never a pass."""


@dataclass
class Cell:
    row: int
    column: str
    lower: float
    upper: float          # math.inf when unbounded
    umbral: int

    @property
    def interval(self) -> Tuple[int, float]:
        """What an outsider concludes, knowing counts are whole numbers."""
        low = math.ceil(self.lower - EPS)
        high = math.floor(self.upper + EPS) if math.isfinite(self.upper) else math.inf
        return low, high

    @property
    def safe(self) -> bool:
        low, high = self.interval
        return high >= self.umbral and high - low >= self.umbral


@dataclass
class Result:
    model: Model
    cells: List[Cell] = field(default_factory=list)
    #: Suppressed counts found safe before the model was built (``compact``);
    #: not in ``cells``.
    free_counts: int = 0
    blocks: int = 0
    solved_blocks: int = 0
    solves: int = 0
    seconds: float = 0.0

    @property
    def suppressed(self) -> int:
        """Every suppressed count audited."""
        return len(self.cells) + self.free_counts

    @property
    def unsafe(self) -> List[Cell]:
        return [c for c in self.cells if not c.safe]

    @property
    def safe(self) -> bool:
        return all(c.safe for c in self.cells)


# -- the linear system of the hidden cells ---------------------------------------------

class _System:
    """Hidden cells as variables; constraints as sparse rows ``lo <= a.x <= hi``."""

    def __init__(self, model: Model, rows: Optional[set] = None):
        """``rows``: only these rows' cells (whole blocks), or every row."""
        self.model = model
        self.subset = rows
        self.var: Dict[Tuple[int, int], int] = {}
        self.is_count: List[bool] = []
        self.lo: List[float] = []
        self.hi: List[float] = []
        self.rows: List[Tuple[List[int], List[float], float, float]] = []
        self.constant: List[bool] = []      # whether a constraint holds a published figure
        self.is_rate: List[bool] = []
        for r, row in enumerate(model.rows):
            if rows is not None and r not in rows:
                continue
            names = SUPPRESSIBLE[row.tabla]
            for c, v in enumerate(row.values):
                if v is None:
                    self.var[(r, c)] = len(self.lo)
                    count = names[c] in COUNTS[row.tabla]
                    self.is_count.append(count)
                    self.lo.append(1.0 if count else 0.0)
                    self.hi.append(COUNT_CAP if count else AMOUNT_CAP)
        self.tightened = [False] * len(self.lo)
        self._equations()
        self._rates()

    def _equations(self) -> None:
        subset = self.subset
        for eq in self.model.equations:
            if subset is not None and not any(r in subset for r, _c, _k in eq.terms):
                continue
            cols, coefs, known, terms = [], [], eq.known, eq.known_terms
            for r, c, coef in eq.terms:
                v = self.model.rows[r].values[c]
                if v is None:
                    cols.append(self.var[(r, c)])
                    coefs.append(coef)
                else:
                    known += coef * v
                    terms += 1
            if not cols:
                continue
            r0, c0, _coef = eq.terms[0]
            row0 = self.model.rows[r0]
            # Counts add up exactly; amounts to the centavo of each term.
            is_count = SUPPRESSIBLE[row0.tabla][c0] in COUNTS[row0.tabla]
            tol = 0.0 if is_count else CENTAVO * (terms + len(cols))
            self.rows.append((cols, coefs, -known - tol, -known + tol))
            self.constant.append(abs(known) > max(tol, EPS))
            self.is_rate.append(False)

    def _rates(self) -> None:
        rates = self.model.rates
        for r, row in enumerate(self.model.rows):
            if not row.hidden or (self.subset is not None and r not in self.subset):
                continue
            names = SUPPRESSIBLE[row.tabla]
            group = rate_group(row)
            for a_name in AMOUNTS[row.tabla]:
                a = names.index(a_name)
                for c_name in COUNTS[row.tabla]:
                    c = names.index(c_name)
                    bounds = rates.get(group + (a_name, c_name))
                    if bounds is None:
                        continue
                    low, high = bounds
                    va, vc = self.var.get((r, a)), self.var.get((r, c))
                    amount, count = row.values[a], row.values[c]
                    if va is not None and vc is not None:
                        # low*c <= a <= high*c
                        self.rows.append(([va, vc], [1.0, -high], -math.inf, 0.0))
                        self.constant.append(False)
                        self.is_rate.append(True)
                        if low > 0:
                            self.rows.append(([va, vc], [1.0, -low], 0.0, math.inf))
                            self.constant.append(False)
                            self.is_rate.append(True)
                    elif vc is not None:      # a published amount beside a hidden count
                        if high > 0:
                            self._raise_lo(vc, amount / high)
                        if low > 0:
                            self._lower_hi(vc, amount / low)
                    elif va is not None:      # a hidden amount beside a published count
                        self._raise_lo(va, low * count)
                        self._lower_hi(va, high * count)

    def _raise_lo(self, v: int, value: float) -> None:
        if value > self.lo[v]:
            self.lo[v] = value
            self.tightened[v] = True

    def _lower_hi(self, v: int, value: float) -> None:
        if value < self.hi[v]:
            self.hi[v] = value
            self.tightened[v] = True

    def blocks(self) -> List[Tuple[List[int], List[int]]]:
        """Connected groups of variables: (variables, constraint indexes)."""
        n = len(self.lo)
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for cols, _coefs, _lo, _hi in self.rows:
            root = find(cols[0])
            for v in cols[1:]:
                other = find(v)
                if other != root:
                    parent[other] = root
        members: Dict[int, List[int]] = {}
        for v in range(n):
            members.setdefault(find(v), []).append(v)
        constraints: Dict[int, List[int]] = {}
        for k, (cols, *_rest) in enumerate(self.rows):
            constraints.setdefault(find(cols[0]), []).append(k)
        return [(vs, constraints.get(root, [])) for root, vs in members.items()]


# -- the audit --------------------------------------------------------------------------

def audit(model: Model, time_limit: float = 60.0) -> Result:
    """L and U of every suppressed count of ``model``.

    Raises AuditUnavailable when the solver fails or runs out of ``time_limit``
    seconds: a file is then held, never passed.
    """
    started = time.perf_counter()
    result = Result(model, free_counts=model.free_counts)
    # Cells that compact decided in closed form and kept (the unsafe ones).
    result.cells += [Cell(r, column, lower, upper, model.rows[r].umbral)
                     for r, column, lower, upper in model.decided]
    free, bounded_rows = _free_blocks(model)
    if model.decided:          # decided by compact: neither free nor to be solved
        done = {r for r, *_rest in model.decided}
        free = [r for r in free if r not in done]
        bounded_rows -= done
    for r in free:     # unbounded above: decided without building their system
        row = model.rows[r]
        names = SUPPRESSIBLE[row.tabla]
        for c, v in enumerate(row.values):
            if v is None and names[c] in COUNTS[row.tabla]:
                result.cells.append(Cell(r, names[c], 1.0, math.inf, row.umbral))
    system = _System(model, bounded_rows)
    lower = list(system.lo)
    upper = [math.inf] * len(system.lo)
    to_solve: List[Tuple[List[int], List[int]]] = []
    blocks = system.blocks()
    result.blocks = len(blocks)
    for variables, constraints in blocks:
        counts = [v for v in variables if system.is_count[v]]
        if not counts:
            continue
        bounded = any(system.constant[k] for k in constraints) or \
            any(system.tightened[v] for v in variables)
        if not bounded:
            continue   # everything in it can grow together: unbounded, L = lower bound
        to_solve.append((variables, constraints))
    if to_solve:
        result.solved_blocks = len(to_solve)
        deadline = started + time_limit
        result.solves = _solve(system, to_solve, lower, upper, deadline)
    for (r, c), v in system.var.items():
        if not system.is_count[v]:
            continue
        row = model.rows[r]
        result.cells.append(Cell(r, SUPPRESSIBLE[row.tabla][c], lower[v], upper[v], row.umbral))
    result.cells.sort(key=lambda cell: (cell.row, cell.column))
    result.seconds = time.perf_counter() - started
    return result


def _free_blocks(model: Model) -> Tuple[List[int], set]:
    """Hidden rows whose block can grow without limit, and the other hidden rows.

    Rows are joined when an equation holds hidden cells of both. A block is free
    when none of its equations holds a published figure and none of its rows mixes
    hidden and published cells (then every constraint is homogeneous and satisfied
    by the true figures scaled up: no count has an upper bound). Cheap, row-level:
    on a large file most hidden rows are small places hidden whole, and are never
    handed to the solver.
    """
    rows = model.rows
    parent: Dict[int, int] = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    hidden = [r for r, row in enumerate(rows) if None in row.values]
    known_in: List[Tuple[int, bool]] = []
    for eq in model.equations:
        first, known, tol_terms = None, eq.known, eq.known_terms
        for r, c, coef in eq.terms:
            v = rows[r].values[c]
            if v is None:
                if first is None:
                    first = r
                else:
                    a, b = find(first), find(r)
                    if a != b:
                        parent[b] = a
            else:
                known += coef * v
                tol_terms += 1
        if first is not None:
            known_in.append((first, abs(known) > CENTAVO * (tol_terms + 1)))
    bounded_roots = {find(first) for first, constant in known_in if constant}
    for r in hidden:
        if any(v is not None for v in rows[r].values):
            bounded_roots.add(find(r))      # a published cell beside hidden ones
    free, bounded = [], set()
    for r in hidden:
        if find(r) in bounded_roots:
            bounded.add(r)
        else:
            free.append(r)
    return free, bounded


#: Blocks per stacked programme. The simplex's work grows faster than the size of
#: the programme, so many blocks go in several programmes of this many.
CHUNK = 500


def _solve(system: _System, blocks, lower: List[float], upper: List[float],
           deadline: float) -> int:
    solves = 0
    for start in range(0, len(blocks), CHUNK):
        solves += _solve_chunk(system, blocks[start:start + CHUNK], lower, upper, deadline)
    return solves


def _solve_chunk(system: _System, blocks, lower: List[float], upper: List[float],
                 deadline: float) -> int:
    """Min and max of every count of ``blocks``, in rounds of two solves."""
    solves = 0
    lp = _Program(system, blocks)
    if not lp.feasible(deadline):
        # Some block contradicts the outsider's model. Rates are the assumption
        # that can be wrong (a small row may pay more per person than any published
        # one): such a block is solved without them; one whose published sums
        # contradict each other is left out (no consistent reading exists).
        kept = []
        for block in blocks:
            if _Program(system, [block]).feasible(deadline):
                kept.append(block)
                continue
            variables, constraints = block
            plain = [k for k in constraints if not system.is_rate[k]]
            for v in variables:
                system.lo[v] = 1.0 if system.is_count[v] else 0.0
                system.hi[v] = COUNT_CAP if system.is_count[v] else AMOUNT_CAP
            relaxed = (variables, plain)
            if _Program(system, [relaxed]).feasible(deadline):
                kept.append(relaxed)
        blocks = kept
        if not blocks:
            return solves
        lp = _Program(system, blocks)
    rounds = max(len(c) for c in lp.counts_by_block)
    for k in range(rounds):
        chosen = [c[k] for c in lp.counts_by_block if len(c) > k]
        for sign in (1.0, -1.0):     # minimise, then maximise
            x = lp.optimum(chosen, sign, deadline)
            solves += 1
            for i in chosen:
                v = lp.variables[i]
                value = float(x[i])
                if sign > 0:
                    lower[v] = value
                else:
                    upper[v] = math.inf if value >= UNBOUNDED else value
    return solves


class _Program:
    """Independent blocks stacked into one linear programme, solved by HiGHS.

    The model is passed once; each round only changes the objective, so HiGHS
    starts from the previous optimal basis (warm start) instead of from scratch.
    """

    def __init__(self, system: _System, blocks):
        self.variables = [v for vs, _ in blocks for v in vs]
        local = {v: i for i, v in enumerate(self.variables)}
        data, rows_i, cols_i, row_lo, row_hi = [], [], [], [], []
        for _vs, constraints in blocks:
            for k in constraints:
                cols, coefs, lo, hi = system.rows[k]
                row = len(row_lo)
                for v, coef in zip(cols, coefs):
                    rows_i.append(row)
                    cols_i.append(local[v])
                    data.append(coef)
                row_lo.append(lo if math.isfinite(lo) else -highspy.kHighsInf)
                row_hi.append(hi if math.isfinite(hi) else highspy.kHighsInf)
        self.n = len(self.variables)
        matrix = sparse.csc_matrix((data, (rows_i, cols_i)), shape=(len(row_lo), self.n))
        lp = highspy.HighsLp()
        lp.num_col_ = self.n
        lp.num_row_ = len(row_lo)
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.array([system.lo[v] for v in self.variables], dtype=float)
        lp.col_upper_ = np.maximum(lp.col_lower_,
                                   np.array([system.hi[v] for v in self.variables], dtype=float))
        lp.row_lower_ = np.array(row_lo, dtype=float)
        lp.row_upper_ = np.array(row_hi, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.counts_by_block = [[local[v] for v in vs if system.is_count[v]]
                                for vs, _ in blocks]
        self._costly: List[int] = []

    def _run(self, deadline: float) -> str:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise AuditUnavailable("time")
        self.highs.setOptionValue("time_limit", remaining)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal"
        if status == highspy.HighsModelStatus.kInfeasible:
            return "infeasible"
        raise AuditUnavailable(self.highs.modelStatusToString(status))

    def feasible(self, deadline: float) -> bool:
        return self._run(deadline) == "optimal"

    def optimum(self, chosen: List[int], sign: float, deadline: float):
        reset = self._costly
        if reset:
            self.highs.changeColsCost(len(reset), np.array(reset, dtype=np.int32),
                                      np.zeros(len(reset)))
        self.highs.changeColsCost(len(chosen), np.array(chosen, dtype=np.int32),
                                  np.full(len(chosen), sign))
        self._costly = list(chosen)
        if self._run(deadline) != "optimal":
            raise AuditUnavailable("not optimal")
        return self.highs.getSolution().col_value
