"""Choosing what to suppress: primary cells, the row rule, then complements.

``suppress`` takes linked tables with their true counts and decides which rows are
published as ``suprimido``:

1. primary suppression: a row with a count from 1 to umbral - 1;
2. the row rule: such a row hides all its counts and amounts;
3. secondary suppression, greedy and audited: while the audit finds a suppressed
   count that an outsider can narrow too much, hide one more row for it, the one
   with the fewest households (transfers) among the published rows that share a
   sum with it, and audit again. Rows that count zero are never chosen (an outsider
   knows that a suppressed count is at least 1).

The audit is the judge; the choice is deterministic (ties go to the earlier row),
so the same input gives the same tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

from . import audit as audit_mod
from .links import COUNTS, SUPPRESSIBLE, Model


class SuppressionFailed(Exception):
    """No complement can protect a cell (every linked row is already hidden)."""


@dataclass
class Outcome:
    hidden: Set[int] = field(default_factory=set)      # row indexes of the model
    primary: Set[int] = field(default_factory=set)
    rounds: int = 0
    audit: Optional[audit_mod.Result] = None


def primary_rows(model: Model, truth: List[List[float]]) -> Set[int]:
    hidden = set()
    for i, row in enumerate(model.rows):
        names = SUPPRESSIBLE[row.tabla]
        for c in COUNTS[row.tabla]:
            value = truth[i][names.index(c)]
            if 1 <= value < row.umbral:
                hidden.add(i)
                break
    return hidden


def suppress(model: Model, max_rounds: int = 200, time_limit: float = 600.0) -> Outcome:
    """Decide the hidden rows of ``model`` (built from the true, complete tables)."""
    truth = [list(r.values) for r in model.rows]
    if any(v is None for values in truth for v in values):
        raise ValueError("suppress() needs complete tables: a cell is already suppressed")
    outcome = Outcome(primary=primary_rows(model, truth))
    outcome.hidden = set(outcome.primary)
    equations_of: Dict[int, List[int]] = {}
    for e, eq in enumerate(model.equations):
        for r, _c, _coef in eq.terms:
            equations_of.setdefault(r, []).append(e)

    while True:
        _publish(model, truth, outcome.hidden)
        result = audit_mod.audit(model, time_limit=time_limit)
        outcome.audit = result
        unsafe_rows = sorted({c.row for c in result.unsafe})
        if not unsafe_rows:
            break
        outcome.rounds += 1
        if outcome.rounds > max_rounds:
            raise SuppressionFailed("too many rounds")
        touched: Set[int] = set()
        added = False
        for r in unsafe_rows:
            near = {t for e in equations_of.get(r, []) for t, _c, _k in model.equations[e].terms}
            if near & touched:
                continue   # a complement chosen this round may already protect it
            choice = _complement(model, truth, outcome.hidden, r, equations_of)
            if choice is None:
                continue
            outcome.hidden.add(choice)
            added = True
            touched |= near | {choice}
        if not added:
            raise SuppressionFailed(
                "no published row is left to protect row %r" % (model.rows[unsafe_rows[0]].key,))
    _publish(model, truth, outcome.hidden)
    return outcome


def _publish(model: Model, truth: List[List[float]], hidden: Set[int]) -> None:
    for i, row in enumerate(model.rows):
        row.values = [None] * len(truth[i]) if i in hidden else list(truth[i])
    model._rates()


def _complement(model: Model, truth, hidden: Set[int], r: int,
                equations_of: Dict[int, List[int]]) -> Optional[int]:
    """The published row to hide for row ``r``: nearest sums first, then its block's."""
    seen = {r}
    frontier = [r]
    while frontier:
        candidates = []
        next_frontier = []
        for row in frontier:
            for e in equations_of.get(row, []):
                for t, _c, _k in model.equations[e].terms:
                    if t in seen:
                        continue
                    seen.add(t)
                    if t in hidden:
                        next_frontier.append(t)   # reach further through hidden rows
                    elif _hideable(model, truth, t):
                        candidates.append(t)
        if candidates:
            return min(candidates, key=lambda t: (_weight(model, truth, t), t))
        frontier = next_frontier
    return None


def _hideable(model: Model, truth, t: int) -> bool:
    row = model.rows[t]
    names = SUPPRESSIBLE[row.tabla]
    return all(truth[t][names.index(c)] > 0 for c in COUNTS[row.tabla])


def _weight(model: Model, truth, t: int) -> tuple:
    row = model.rows[t]
    names = SUPPRESSIBLE[row.tabla]
    first = truth[t][names.index(COUNTS[row.tabla][0])]
    return (first, sum(truth[t]))
