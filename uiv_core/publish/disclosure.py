"""Disclosure control: the attacker's audit of what is published, and the secondary suppression
it drives. Pure NumPy/SciPy on arrays; `uiv_core.publish.publication` feeds it from DuckDB.

The attacker reads the published cells (numerator and denominator of every cell not shown as
`..`) and knows that `primär` means a denominator 0..min n − 1, `sekundär` one of at least min n,
that a published key has at least one follow-up, and every additive relation between the cells:

- breakdown values add up to their `alla` cell (main substance to the missbruk total);
- target groups add up to `alla`;
- municipalities add up to their county and to their peer group, counties to the country;
- rolling windows are sums of quarters that are never published (latent, ≥ 0); a complete
  calendar year is the rolling window ending in its fourth quarter (incomplete years are not
  published at all);
- the same count appears in several indicators (all follow-ups; need in an area; ratings in an
  area): a count is known when any published cell carries it;
- a cell's numerator lies between scale[0] and scale[1] times its denominator (a share: 0..1;
  a mean rating: 1..4).

The audit propagates bounds to a fixed point (interval reasoning: each member of a relation lies
between the parent's bounds minus the others' and the sum of the others; a relation with one
unknown gives it away, a remainder of 0 gives zeros, a remainder equal to the most the hidden
parts can hold gives them all), and per column (unit × target group × breakdown value) solves the
windows exactly by linear algebra over the latent quarters, the quarters of a window known to be
zero set to zero. A hidden cell is *disclosed* when its numerator and its denominator are both
determined and its denominator is 1..min n − 1; a quarter nobody publishes counts the same way.
A numerator worked out as 0 alone is not a disclosure (zero cells are safe by default in
τ-ARGUS too): it says that nobody in the cell has the trait, which mostly follows from a
published zero of a larger group.

`protect` hides, round by round, one complementary count for every disclosed cell (in the step
that pinned it: a part before a total, then the smallest count; deterministic) until the audit
finds nothing; after the first full run the attacker only re-derives what rested on the counts
hidden in a round. What the attacker does not do (docs/methods.md): solve relations of different
dimensions jointly by linear algebra (it chains them and their bounds), or use inequalities
between different counts (rated ≤ needing).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse

from uiv_core.publish import disclosure_kernel as kernel

#: rounds a disclosed cell may persist before every shown count its steps read is hidden
STUBBORN = 3
#: what set a bound of a (key, quantity): read off, a relation, the periods, a cell's scale
DIRECT, RELATION, PERIODS, CELL = 0, 1, 2, 4
UNKNOWN = -1


@dataclass
class Cells:
    """The audited cells: K keys (rolling window × unit × target group × breakdown value) × I
    indicators, each cell carrying two quantities (its numerator and denominator counts)."""

    present: np.ndarray  # K×I bool: the cell exists (denominator > 0)
    numerator: np.ndarray  # K×I int64, 0 where absent
    denominator: np.ndarray  # K×I int64, 0 where absent
    numerator_quantity: np.ndarray  # I int: quantity index of each indicator's numerator
    denominator_quantity: np.ndarray  # I int
    scale: list  # I (least, most): a counted row adds this much to the numerator
    n_quantities: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.present.shape


@dataclass
class Structure:
    """The relations (parent = Σ children, per relation id) and the period columns."""

    relation: np.ndarray  # M int: relation id of each membership
    member: np.ndarray  # M int: key id
    is_parent: np.ndarray  # M bool
    slots: np.ndarray  # C×W int: key id of column c in window w, −1 when the cell is absent (zero)
    n_keys: int
    #: C×(W+3) int: key id of the latent quarter f of column c (window w holds quarters w..w+3),
    #: −1 when it is known to be empty (a window holding it is absent). None: quarters are not
    #: keys, and only the quarters of windows known to be zero are known (zero).
    quarter_slots: np.ndarray | None = None
    _matrices: dict = field(default_factory=dict, repr=False)

    def column_index(self) -> np.ndarray:
        """K: the period column of every key (−1: none)."""
        if "column" not in self._matrices:
            column = np.full(self.n_keys, -1, np.int64)
            for grid in (self.slots, self.quarter_slots):
                if grid is not None:
                    rows, places = np.nonzero(grid >= 0)
                    column[grid[rows, places]] = rows
            self._matrices["column"] = column
        return self._matrices["column"]

    @property
    def latent(self) -> np.ndarray:
        """K bool: the key is a latent quarter (never published, never read off)."""
        if "latent" not in self._matrices:
            latent = np.zeros(self.n_keys, bool)
            if self.quarter_slots is not None:
                latent[self.quarter_slots[self.quarter_slots >= 0]] = True
            self._matrices["latent"] = latent
        return self._matrices["latent"]

    def column_of(self, key: int) -> int:
        return int(self.column_index()[key])

    def matrices(self):
        """The relations as CSR incidence matrices: `all` (relation → member keys) and its transpose
        `key_relations` (key → the relations holding it)."""
        if "all" not in self._matrices:
            n_relations = int(self.relation.max()) + 1 if self.relation.size else 0
            everyone = sparse.csr_matrix((np.ones(self.relation.size), (self.relation, self.member)),
                                         shape=(n_relations, self.n_keys))
            self._matrices.update(all=everyone, key_relations=everyone.T.tocsr())
        return self._matrices


@dataclass
class AuditResult:
    disclosed: np.ndarray  # (n, 2) int: (key, indicator) of hidden cells given away with n 1..min n − 1
    recovered: int  # hidden cells whose numerator and denominator are both determined (any n)
    quarters: np.ndarray  # (n, 2) int: (latent key, indicator) of quarter cells given away likewise


# --- quantities -------------------------------------------------------------------------------------


def carriers(cells: Cells) -> list[list[int]]:
    """For each quantity, the indicators whose numerator or denominator it is."""
    found: list[set[int]] = [set() for _ in range(cells.n_quantities)]
    for i, (nq, dq) in enumerate(zip(cells.numerator_quantity, cells.denominator_quantity)):
        found[nq].add(i)
        found[dq].add(i)
    return [sorted(s) for s in found]


def quantity_values(cells: Cells) -> np.ndarray:
    """K×Q: the true value of every quantity at every key (0 where absent); a view of a count-major
    array, the attacker's layout."""
    return kernel.quantity_values(np.asarray(cells.numerator, np.int64), np.asarray(cells.denominator, np.int64),
                                  np.asarray(cells.numerator_quantity, np.int64),
                                  np.asarray(cells.denominator_quantity, np.int64), cells.n_quantities).T


def starting_bounds(cells: Cells, hidden: np.ndarray, primary: np.ndarray, min_n: int,
                    values: np.ndarray, latent: np.ndarray | None = None,
                    neutral: np.ndarray | None = None, keys: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """K×Q (low, high) before any reasoning: a count read off is exact; what the `primär`/`sekundär`
    labels tell about a hidden denominator: [0, min n − 1] or [min n, ∞) (0 for a present primary
    cell: every indicator has a row at every published key); a count positive at every published
    key is ≥ 1 there (a key without follow-ups is not published); any other count, and every
    count of a latent quarter, is ≥ 0. A `neutral` cell is published as `dold`, a label that says
    nothing about its n. The arrays are K×Q views of count-major ones, the attacker's layout; with
    `keys`, len(keys)×Q, the bounds of those keys only."""
    latent = np.zeros(cells.shape[0], bool) if latent is None else latent
    neutral = np.zeros(cells.shape, bool) if neutral is None else neutral
    low, high = kernel.starting_bounds(cells.present, hidden, primary, neutral, latent, values,
                                       np.asarray(cells.numerator_quantity, np.int64),
                                       np.asarray(cells.denominator_quantity, np.int64), min_n, keys)
    return low.T, high.T


# --- the period algebra -----------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def window_closure(windows: int, known_bits: int, quarter_bits: int) -> tuple[int, int]:
    """Which windows and latent quarters a column's known windows and quarters determine.

    Window w is the sum of quarters w..w+3 (quarter offsets 0..windows+2); `known_bits` are the
    known windows, `quarter_bits` the known quarters (a quarter known to be empty included).
    Returns (window bits, quarter bits) of what else is determined by linear algebra."""
    span = windows + 3
    matrix = np.zeros((windows, span))
    for w in range(windows):
        matrix[w, w:w + 4] = 1.0
    identity = np.eye(span)
    known_rows = np.vstack([matrix[[w for w in range(windows) if known_bits >> w & 1]],
                            identity[[f for f in range(span) if quarter_bits >> f & 1]]])
    if not known_rows.size:
        return 0, 0
    _, singular, basis = np.linalg.svd(known_rows)
    null = basis[int((singular > 1e-9).sum()):]  # directions the known rows say nothing about

    def determined(rows: np.ndarray) -> np.ndarray:
        return np.abs(rows @ null.T).max(axis=1, initial=0) < 1e-9

    window_bits = sum(1 << w for w in np.flatnonzero(determined(matrix)) if not known_bits >> w & 1)
    quarter_bits_out = sum(1 << f for f in np.flatnonzero(determined(identity)) if not quarter_bits >> f & 1)
    return int(window_bits), int(quarter_bits_out)


def _distinct(codes: np.ndarray, size: int, scratch: dict) -> np.ndarray:
    """np.unique of non-negative integer codes below `size`, by marking a reusable flag array:
    linear, where sorting was the audit's largest cost."""
    flags = scratch.get(size)
    if flags is None:
        flags = scratch[size] = np.zeros(size, bool)
    flags[codes] = True
    found = np.flatnonzero(flags)
    flags[found] = False
    return found


def _expand(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of CSR `rows`: (position in `rows`, column index) for each."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    repeat = np.repeat(np.arange(rows.size), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return repeat, indices[np.repeat(starts, lengths) + offsets]


class Attacker:
    """The attacker's bounds on every (key, quantity), and the rules that tighten them.

    `low`/`high` are K×Q integers (high may be ∞); an entry is known when they meet. Rules: every
    relation (parent = Σ parts) bounds each member by the others' bounds; every cell bounds its
    numerator by scale × its denominator and back; the periods solve a column's windows exactly
    once some of them are known. `propagate` works from a list of entries (their relations, cells
    and period columns), then around whatever tightened, until nothing does. For each bound
    `reasons`/`causes` record what last tightened it (a relation id, a cell's indicator, the
    periods), so that `forget_at` can undo exactly what rested on counts that are hidden later."""

    #: work items the propagation may take, per relation-count pair and entry, before it gives up
    MAX_STEPS = 1_000

    def __init__(self, structure: Structure, cells: Cells, values: np.ndarray):
        m = structure.matrices()
        self.structure, self.cells, self.values = structure, cells, values
        self.members = (m["all"].indptr, m["all"].indices)
        self.relations = (m["key_relations"].indptr, m["key_relations"].indices)
        self.parent = np.full(m["all"].shape[0], -1, np.int64)
        self.parent[structure.relation[structure.is_parent]] = structure.member[structure.is_parent]
        self.n_keys, self.n_quantities = values.shape
        #: flat entries are count × K + key (count-major, see disclosure_kernel); `low`/`high`
        #: are K×Q views of them. All four are set by `start` (not filled here: at 1 M rows they
        #: are 0.5 GB, and writing them twice cost 0.4 s)
        self._low = np.empty(values.size)
        self._high = np.empty(values.size)
        self.start_low = self.start_high = None  # the starting bounds, K×Q (set by `start`)
        #: [0] what last raised the low bound, [1] what last lowered the high bound (flat)
        self._reasons = np.empty((2, values.size), np.int8)
        self._causes = np.empty((2, values.size), np.int32)
        self._scratch: dict = {}  # flag arrays of _distinct, by size
        self._views: dict = {}  # `known` and `via` of the bounds as they stand
        #: CSR by count q: the indicators whose cell step reads q, and the other count of that cell
        #: (the one the step bounds)
        pairs = sorted({(int(a), i, int(b)) for i, (n, d) in enumerate(zip(cells.numerator_quantity,
                                                                           cells.denominator_quantity))
                        for a, b in ((n, d), (d, n))})
        self._cell_readers = (np.searchsorted(np.array([p[0] for p in pairs], np.int64),
                                              np.arange(self.n_quantities + 1)),
                              np.array([p[1] for p in pairs], np.int64), np.array([p[2] for p in pairs], np.int64))
        self.members = tuple(np.ascontiguousarray(x, np.int64) for x in self.members)
        self.relations = tuple(np.ascontiguousarray(x, np.int64) for x in self.relations)
        self._numerator_q = np.asarray(cells.numerator_quantity, np.int64)
        self._denominator_q = np.asarray(cells.denominator_quantity, np.int64)
        self._least = np.array([a for a, _ in cells.scale], np.float64)
        self._most = np.array([b for _, b in cells.scale], np.float64)
        self._slots = np.ascontiguousarray(structure.slots, np.int64)
        quarters = structure.quarter_slots
        self._quarter_slots = np.ascontiguousarray(
            np.zeros((self._slots.shape[0], 0), np.int64) if quarters is None else quarters, np.int64)

    @property
    def low(self) -> np.ndarray:
        return self._low.reshape(self.n_quantities, self.n_keys).T

    @property
    def high(self) -> np.ndarray:
        return self._high.reshape(self.n_quantities, self.n_keys).T

    @property
    def reasons(self) -> np.ndarray:
        """2×K×Q: the kind of step that last moved each entry's low [0] and high [1] bound."""
        return self._reasons.reshape(2, self.n_quantities, self.n_keys).transpose(0, 2, 1)

    @cached_property
    def values_by_count(self) -> np.ndarray:
        """The true values in the order of the flat indexes."""
        return self.flat(np.asarray(self.values, np.int64))

    def entries(self, keys, qs) -> np.ndarray:
        """The flat indexes of (key, count) pairs."""
        return np.asarray(qs, np.int64) * self.n_keys + np.asarray(keys, np.int64)

    def split(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of flat indexes."""
        return flat % self.n_keys, flat // self.n_keys

    def flat(self, grid: np.ndarray) -> np.ndarray:
        """A K×Q array in the order of the flat indexes (no copy when it is a view of a count-major
        array, as the starting bounds are)."""
        return np.ascontiguousarray(grid.T).ravel()

    @property
    def known(self) -> np.ndarray:
        """K×Q: the entries whose bounds meet."""
        return self._derived("known", lambda: (self._low == self._high).reshape(self.n_quantities, self.n_keys).T)

    @property
    def via(self) -> np.ndarray:
        """K×Q: DIRECT for what is read off, else the kind of step that closed the gap last."""
        def via():
            reasons = self._reasons
            kind = np.where(self._low != self._high, UNKNOWN,
                            np.where((reasons[0] == DIRECT) & (reasons[1] == DIRECT), DIRECT,
                                     np.maximum(reasons[0], reasons[1]))).astype(np.int8)
            return kind.reshape(self.n_quantities, self.n_keys).T
        return self._derived("via", via)

    def _derived(self, name: str, make):
        """`known` and `via`, worked out once for the bounds as they stand (any propagation,
        tightening or forgetting drops them)."""
        if name not in self._views:
            self._views[name] = make()
        return self._views[name]

    def _known_at(self, flat: np.ndarray) -> np.ndarray:
        return self._low[flat] == self._high[flat]

    def steps(self, key: int, q: int) -> list[tuple[int, int]]:
        """The (kind, cause) of the steps that set the entry's two bounds."""
        entry = q * self.n_keys + key
        return [(int(self._reasons[b, entry]), int(self._causes[b, entry])) for b in (1, 0)]

    # - the rules -

    def _tighten(self, keys, qs, low, high, how: int, cause) -> np.ndarray:
        """Raise lows and lower highs where the new bounds are tighter; the flat indexes changed."""
        self._views.clear()
        flat = self.entries(keys, qs)
        low = np.ceil(low - 1e-6)
        high = np.floor(high + 1e-6)
        flat_low, flat_high = self._low, self._high
        better = (low > flat_low[flat]) | (high < flat_high[flat])
        if not better.any():
            return np.zeros(0, np.int64)
        cause = np.broadcast_to(cause, better.shape)[better]
        flat, low, high = flat[better], low[better], high[better]
        for bound, new, own, pick in ((0, low, flat_low, np.maximum), (1, high, flat_high, np.minimum)):
            moved = np.flatnonzero(new > own[flat] if bound == 0 else new < own[flat])
            # the tightest step for an entry is written last, so that its cause is the one kept
            moved = moved[np.argsort(new[moved] if bound == 0 else -new[moved], kind="stable")]
            pick.at(own, flat[moved], new[moved])
            self._reasons[bound, flat[moved]] = how
            self._causes[bound, flat[moved]] = cause[moved]
        if (flat_low[flat] > flat_high[flat]).any():
            raise RuntimeError("disclosure audit: contradictory bounds (a relation does not hold in the data)")
        return flat

    def _periods(self, columns: np.ndarray, qs: np.ndarray) -> np.ndarray:
        """The period algebra for the given (column, quantity) pairs: the flat indexes of newly
        known windows and latent quarters."""
        structure = self.structure
        windows = structure.slots.shape[1]
        empty = np.zeros(0, np.int64)
        if windows == 0 or columns.size == 0:
            return empty
        span = windows + 3
        known_bits, quarter_bits, work = kernel.period_bits(
            self._low, self._high, self.n_keys, self._slots, self._quarter_slots, structure.quarter_slots is not None,
            np.asarray(columns, np.int64), np.asarray(qs, np.int64))
        if not work.any():
            return empty
        rows = np.flatnonzero(work)
        patterns, inverse = np.unique(np.stack([known_bits[rows], quarter_bits[rows]], axis=1), axis=0,
                                      return_inverse=True)
        solved = np.array([window_closure(windows, int(k), int(z)) for k, z in patterns], np.int64)[inverse.ravel()]
        found_keys, found_qs = [empty], [empty]
        grids = [(structure.slots[columns[rows]], solved[:, 0], windows)]
        if structure.quarter_slots is not None:  # else no quarter has a key
            grids.append((structure.quarter_slots[columns[rows]], solved[:, 1], span))
        for grid, bits, width in grids:
            for place in range(width):
                hit = (bits >> place & 1).astype(bool)
                keys = grid[hit, place]
                found_keys.append(keys[keys >= 0])
                found_qs.append(qs[rows[hit]][keys >= 0])
        keys, qs = np.concatenate(found_keys), np.concatenate(found_qs)
        exact = self.values[keys, qs].astype(np.float64)
        return self._tighten(keys, qs, exact, exact, PERIODS, -1)

    # - propagation -

    def propagate(self, entries: np.ndarray, everything: bool = False) -> None:
        """The relation and cell rules (compiled, `disclosure_kernel.propagate`) from the given
        entries (their relations, cells and period columns; every one with `everything`), and the
        period algebra on the columns they touch, in turn, until nothing tightens."""
        self._views.clear()
        q_count = self.n_quantities
        n_columns = self.structure.slots.shape[0]
        column_flags = np.zeros(n_columns * q_count, bool)
        budget = self.MAX_STEPS * (self.parent.size * q_count + self._low.size)
        scratch = self._propagation_scratch()
        while True:
            status, _, _ = kernel.propagate(
                self._low, self._high, self._reasons, self._causes, q_count, self.n_keys, *self.members,
                self.parent, *self.relations, *self._cell_readers[:2], self._numerator_q, self._denominator_q,
                self._least, self._most, self.structure.column_index(), n_columns,
                np.asarray(entries, np.int64), everything, column_flags, budget, *scratch)
            if status != kernel.SETTLED:
                for flags in scratch:
                    flags[:] = 0
                if status == kernel.CONTRADICTION:
                    raise RuntimeError("disclosure audit: contradictory bounds (a relation does not hold in the data)")
                raise RuntimeError(f"disclosure audit did not settle in {budget} steps")
            everything = False
            dirty = np.flatnonzero(column_flags)
            column_flags[dirty] = False
            entries = self._periods(dirty % n_columns, dirty // n_columns) if dirty.size else dirty
            if not entries.size:
                return

    def _propagation_scratch(self) -> tuple:
        """The kernel's work arrays, made once and left clean by every call."""
        if "propagation" not in self._scratch:
            relation_codes, size = self.parent.size * self.n_quantities, self._low.size
            self._scratch["propagation"] = (np.empty(relation_codes, np.int64), np.zeros(relation_codes, bool),
                                            np.zeros(self.n_keys, bool), np.zeros(size, bool),
                                            np.zeros(size, bool))
        return self._scratch["propagation"]

    def start(self, low: np.ndarray, high: np.ndarray) -> None:
        """Start from what is read off (low == high) and the labels' bounds (K×Q); then what follows.
        The attacker keeps the arrays given (no copy when they are views of count-major ones, as
        `starting_bounds` makes them) and `forget_at` updates them in place."""
        self.start_low, self.start_high = (np.ascontiguousarray(x.T).T for x in (low, high))
        kernel.restart(self.flat(low), self.flat(high), self._low, self._high, self._reasons, self._causes, DIRECT)
        self.propagate(np.zeros(0, np.int64), everything=True)

    def graph(self, sources: np.ndarray = np.zeros(0, np.int64)):
        """The steps as a graph over flat entries: an edge from each count a step read to the
        entry it bounded; one extra node (the last) leads to every one of `sources`. The whole
        graph is the reference that `sources` (a walk from a few entries, which never builds it)
        is tested against."""
        edges_from, edges_to = [], []
        for bound in (0, 1):
            reason, cause = self._reasons[bound], self._causes[bound].astype(np.int64)
            by_relation = np.flatnonzero(reason == RELATION)
            repeat, member = _expand(*self.members, cause[by_relation])
            edges_from.append(self.entries(member, self.split(by_relation[repeat])[1]))
            edges_to.append(by_relation[repeat])
            by_cell = np.flatnonzero(reason == CELL)
            i = cause[by_cell]
            keys, q = self.split(by_cell)
            other = np.where(q == self.cells.numerator_quantity[i], self.cells.denominator_quantity[i],
                             self.cells.numerator_quantity[i])
            edges_from.append(self.entries(keys, other))
            edges_to.append(by_cell)
            by_periods = np.flatnonzero(reason == PERIODS)
            keys, q = self.split(by_periods)
            column = self.structure.column_index()[keys]
            windows = self.structure.slots[column]
            if self.structure.quarter_slots is not None:
                windows = np.hstack([windows, self.structure.quarter_slots[column]])
            present = windows >= 0
            edges_from.append(self.entries(windows, q[:, None])[present])
            edges_to.append(np.broadcast_to(by_periods[:, None], windows.shape)[present])
        origin = self.known.size
        edges_from.append(np.full(sources.size, origin))
        edges_to.append(sources)
        size = sum(x.size for x in edges_from)
        return sparse.csr_matrix((np.ones(size, np.int8), (np.concatenate(edges_from), np.concatenate(edges_to))),
                                 shape=(origin + 1, origin + 1))

    def _scratch_flags(self, size: int) -> np.ndarray:
        """A bool array of `size`, all False, kept for reuse."""
        flags = self._scratch.get(("seen", size))
        if flags is None:
            flags = self._scratch[("seen", size)] = np.zeros(size, bool)
        return flags

    def _dependents(self, codes: np.ndarray) -> np.ndarray:
        """Every bound whose last step read one of the bounds `codes` (bound × N + entry, bound 0
        the low and 1 the high one), directly or through other such bounds; the codes included,
        sorted (see `disclosure_kernel.dependents` for which bound reads which)."""
        indptr, readers, others = self._cell_readers
        return kernel.dependents(np.asarray(codes, np.int64), self.n_keys, self.n_quantities, self._reasons,
                                 self._causes, *self.members, self.parent, *self.relations, indptr, readers, others,
                                 self.structure.column_index(), self._slots, self._quarter_slots,
                                 self._scratch_flags(2 * self._low.size))

    def sources(self, entries: np.ndarray) -> np.ndarray:
        """Every entry that the steps bounding `entries` (flat indexes) read, directly or not;
        the entries included, sorted."""
        indptr, readers, others = self._cell_readers
        return kernel.sources(np.asarray(entries, np.int64), self.n_keys, self._reasons, self._causes,
                              *self.members, indptr, readers, others, self._numerator_q, self._denominator_q,
                              self.structure.column_index(), self._slots, self._quarter_slots,
                              self._scratch_flags(self._low.size))

    def forget_at(self, keys: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        """New starting bounds of the given keys (len(keys)×Q; more is hidden there): undo every
        bound that rested, through the recorded steps, on a starting bound that loosened; then work
        out again what still follows around the entries undone. The starting bounds the attacker
        keeps are updated in place."""
        size = self._low.size
        keys = np.asarray(keys, np.int64)
        start_low, start_high = self.start_low.T, self.start_high.T  # Q×K, count-major
        entries = np.arange(self.n_quantities)[:, None] * self.n_keys + keys[None, :]  # Q×len(keys)
        low, high = low.T, high.T
        loosened = np.concatenate([entries[low < start_low[:, keys]], size + entries[high > start_high[:, keys]]])
        start_low[:, keys], start_high[:, keys] = low, high
        flat_low, flat_high = start_low.reshape(-1), start_high.reshape(-1)  # views: no copy
        undone = self._dependents(np.sort(loosened))
        lows, highs = undone[undone < size], undone[undone >= size] - size
        self._low[lows] = flat_low[lows]
        self._high[highs] = flat_high[highs]
        for bound, undone in ((0, lows), (1, highs)):
            self._reasons[bound, undone] = DIRECT
            self._causes[bound, undone] = -1
        # a newly hidden count's label may bound it tighter than what it was known to be (the
        # other keys' starting bounds are as before, and every bound there is at least as tight)
        at = entries.ravel()
        tighter = at[(flat_low[at] > self._low[at]) | (flat_high[at] < self._high[at])]
        self._low[at] = np.maximum(self._low[at], flat_low[at])
        self._high[at] = np.minimum(self._high[at], flat_high[at])
        self.propagate(_distinct(np.concatenate([lows, highs, tighter]), size, self._scratch))


def audit(cells: Cells, structure: Structure, hidden: np.ndarray, primary: np.ndarray, min_n: int,
          attacker: Attacker | None = None) -> AuditResult:
    """What the attacker recovers from the cells not `hidden`. A given `attacker` is taken as
    already up to date with `hidden`."""
    if attacker is None:
        values = quantity_values(cells)
        attacker = Attacker(structure, cells, values)
        attacker.start(*starting_bounds(cells, hidden, primary, min_n, values, structure.latent))
    recovered, disclosed, quarters = (np.zeros(cells.shape, bool) for _ in range(3))
    kernel.given_away(attacker._low, attacker._high, attacker.n_keys, cells.present, hidden, structure.latent,
                      np.asarray(cells.denominator, np.int64), np.asarray(cells.numerator_quantity, np.int64),
                      np.asarray(cells.denominator_quantity, np.int64), min_n, recovered, disclosed, quarters)
    return AuditResult(np.argwhere(disclosed), int(recovered.sum()), np.argwhere(quarters))


# --- secondary suppression --------------------------------------------------------------------------


@dataclass
class Protection:
    hidden: np.ndarray  # K×I bool: primary and secondary
    neutral: np.ndarray  # K×I bool: hidden cells published as `dold` (the label would give a cell away)
    secondary: int
    rounds: int
    recovered_before: int | None  # hidden cells the attacker recovers from the primary pattern alone
    disclosed_before: int | None  # ... of them with n 1..min n − 1 (both None unless measured)
    measure_seconds: float = 0.0  # time spent measuring them


def pair_up(cells: Cells, structure: Structure, hidden: np.ndarray, carried: list[list[int]], values: np.ndarray,
            max_passes: int = 100, least: int = 1, around: list[tuple[int, int]] | None = None) -> np.ndarray:
    """The classic first step of secondary suppression, for every relation and count at once:
    where a count with at least `least` follow-ups is the only such unknown member of a relation,
    hide a second member (a shown part before the total, the smallest first, then the lowest key).
    Repeated until no relation holds a lone unknown. Returns the new K×I hidden; the audit checks
    the rest. Only the relations around the (key, count) pairs `around` are looked at first (all
    with None), and in later passes those around what a pass hid.

    The first pairing (of the primary cells) counts only unknowns with a follow-up (`least` 1): an
    empty part rarely stays unknown to the attacker. After each round's picks every unknown counts
    (`least` 0): the picks are complements, and a relation they leave with one unknown is what
    the attacker would solve next; an unknown empty part there is left to the audit to judge."""
    hidden = hidden.copy()
    latent = structure.latent
    m = structure.matrices()
    everyone = m["all"]
    indptr, members = (np.ascontiguousarray(x, np.int64) for x in (everyone.indptr, everyone.indices))
    key_relations = m["key_relations"]
    parent = np.full(everyone.shape[0], -1, np.int64)
    parent[structure.relation[structure.is_parent]] = structure.member[structure.is_parent]
    # the counts each count's hiding touches: hiding q at a key hides the cells carrying q, and
    # with them the other count of each such cell
    touched = [sorted({int(x) for i in carried[q] for x in (cells.numerator_quantity[i],
                                                              cells.denominator_quantity[i])})
               for q in range(cells.n_quantities)]
    waiting = np.zeros((cells.n_quantities, parent.size), bool)  # (count, relation) to look at

    def wait_around(keys: np.ndarray, q: int) -> None:
        _, relations = _expand(key_relations.indptr, key_relations.indices, keys)
        waiting[np.ix_(touched[q], relations)] = True

    if around is None:
        waiting[:] = True
    else:
        for q, pairs in itertools.groupby(sorted((q, key) for key, q in around), key=lambda x: x[0]):
            wait_around(np.array([key for _, key in pairs], np.int64), q)
    by_quantity = np.ascontiguousarray(values.T)  # Q×K (no copy of `quantity_values`' count-major array)
    numerator_q = np.asarray(cells.numerator_quantity, np.int64)
    denominator_q = np.asarray(cells.denominator_quantity, np.int64)
    read_off, shown = kernel.carried_states(cells.present, hidden, values, numerator_q, denominator_q)
    unknown = ~read_off  # Q×K
    unknown[:, latent] = True
    chosen = np.zeros(unknown.shape, bool)
    for _ in range(max_passes):
        if not waiting.any():
            break
        # every relation of a pass reads the hidden cells as the pass found them, so they are
        # worked out together and their choices applied after
        kernel.lone_unknowns(indptr, members, parent, unknown, shown, by_quantity, waiting, least, chosen)
        changed = []
        for q in np.flatnonzero(chosen.any(axis=1)).tolist():
            keys = np.flatnonzero(chosen[q])
            chosen[q, keys] = False
            block = np.ix_(keys, carried[q])
            hidden[block] |= cells.present[block]
            wait_around(keys, q)
            changed.append(keys)
        if changed:
            keys = np.unique(np.concatenate(changed))
            kernel.carried_states_at(cells.present, hidden, values, numerator_q, denominator_q, keys, read_off, shown)
            unknown[:, keys] = ~read_off[:, keys] | latent[keys]
    return hidden


def protect(cells: Cells, structure: Structure, min_n: int, max_rounds: int = 1000, progress=None,
            measure_primary: bool = False) -> Protection:
    """Hide complementary cells until the audit discloses nothing (see the module docstring).
    Every relation with a lone unknown is paired up first, all at once (`pair_up`); then the
    attacker is run once in full, and after each round only around what was hidden. Each round's
    picks are paired up in turn before the attacker sees them (hiding a count the attacker read
    off leaves it the lone unknown of its other relations: at 1 M rows this took round 2 from
    14 982 cells to protect to 4 360, the rounds from 7 to 5, and the cells hidden by secondary
    suppression down by 15 %). With `measure_primary`, what the primary pattern alone gives away
    is worked out too (one more full audit: for the benchmark and the tests)."""
    primary = cells.present & (cells.denominator < min_n)
    carried = carriers(cells)
    values = quantity_values(cells)
    attacker = Attacker(structure, cells, values)
    hidden = pair_up(cells, structure, primary, carried, values)
    latent = structure.latent
    neutral = np.zeros(cells.shape, bool)
    started = time.perf_counter()
    first = audit(cells, structure, primary, primary, min_n) if measure_primary else None
    measured = time.perf_counter() - started
    attacker.start(*starting_bounds(cells, hidden, primary, min_n, values, latent, neutral))
    persisting: dict[tuple[int, int], int] = {}
    before = hidden.copy(), neutral.copy()
    for rounds in range(1, max_rounds + 1):
        result = audit(cells, structure, hidden, primary, min_n, attacker)
        if progress:
            progress(f"skydd: omgång {rounds}, {len(result.disclosed) + len(result.quarters)} celler att skydda")
        if len(result.disclosed) == 0 and len(result.quarters) == 0:
            return Protection(hidden, neutral, int((hidden & ~primary).sum()), rounds,
                              first.recovered if first else None, len(first.disclosed) if first else None,
                              measured)
        disclosed = np.vstack([result.disclosed, result.quarters])
        persisting = {(int(k), int(i)): persisting.get((int(k), int(i)), 0) + 1 for k, i in disclosed}
        chooser = _Chooser(cells, structure, attacker, hidden, carried, values)
        picks = chooser.picks(result, persisting)
        # a cell that hiding one count a round has not freed in STUBBORN rounds: hide every shown
        # count its steps read, all at once (what pins it is often a chain of "a published key has
        # at least one follow-up" bounds, which no single complement undoes)
        stubborn = [(int(k), int(i)) for k, i in disclosed if persisting[(int(k), int(i))] >= STUBBORN]
        if stubborn:
            picks |= chooser.every_source(stubborn)
        if not picks:  # only hidden cells and their labels pin it: neutralise the labels read
            labels = _labels_read(cells, attacker, hidden, neutral, disclosed, carried, min_n)
            if not labels.any():
                raise RuntimeError("secondary suppression found no cell left to hide")
            neutral |= labels
        for key, q in sorted(picks):
            for i in carried[q]:
                if cells.present[key, i]:
                    hidden[key, i] = True
        # a count hidden now is often the lone unknown of another relation: pair those up before
        # the attacker works them out in the next round
        hidden = pair_up(cells, structure, hidden, carried, values, least=0, around=picks)
        # only the keys whose cells were hidden or relabelled have new starting bounds
        changed = np.flatnonzero((hidden != before[0]).any(axis=1) | (neutral != before[1]).any(axis=1))
        attacker.forget_at(changed, *starting_bounds(cells, hidden, primary, min_n, values, latent, neutral, changed))
        before = hidden.copy(), neutral.copy()
    raise RuntimeError(f"secondary suppression did not settle in {max_rounds} rounds")


def _cell_entries(cells: Cells, disclosed, attacker: Attacker) -> np.ndarray:
    """The flat (key, count) entries of the numerators and denominators of (key, indicator) pairs."""
    disclosed = np.asarray(disclosed, np.int64).reshape(-1, 2)
    keys, indicators = disclosed[:, 0], disclosed[:, 1]
    return np.concatenate([attacker.entries(keys, cells.numerator_quantity[indicators]),
                           attacker.entries(keys, cells.denominator_quantity[indicators])])


def _labels_read(cells: Cells, attacker: Attacker, hidden: np.ndarray, neutral: np.ndarray, disclosed: np.ndarray,
                 carried: list[list[int]], min_n: int) -> np.ndarray:
    """K×I: the hidden cells whose `primär`/`sekundär` label bounded a count that the steps
    behind the disclosed cells read (when no shown count is left to hide among them)."""
    labels = np.zeros(cells.shape, bool)
    concealed = cells.present & hidden & ~neutral
    entries = _cell_entries(cells, disclosed, attacker)
    found = attacker.sources(entries)  # one walk back for all of them, the entries included
    keys, qs = attacker.split(found)
    low, high = attacker.start_low[keys, qs], attacker.start_high[keys, qs]
    bounded = (low != high) & ((low >= min_n) | (high <= min_n - 1))  # a label's bound, not a value read off
    for k, q in zip(keys[bounded], qs[bounded]):
        for j in carried[q]:
            if concealed[k, j] and cells.denominator_quantity[j] == q:
                labels[k, j] = True
    return labels


class _Chooser:
    """Which shown counts to hide so that the disclosed cells are protected."""

    SEARCH_LIMIT = 2_000  # (key, count) pairs one search may visit; past it the fallback takes over

    def __init__(self, cells: Cells, structure: Structure, attacker: Attacker, hidden: np.ndarray,
                 carried: list[list[int]], values: np.ndarray):
        m = structure.matrices()
        self.cells, self.structure, self.attacker = cells, structure, attacker
        self.carried, self.values = carried, values
        self.relations_of, self.members_of = m["key_relations"], m["all"]
        self.parent = attacker.parent
        self.known, self.via = attacker.known, attacker.via
        #: K×Q: hiding every cell carrying q at the key makes it unknown (no carrier absent, one shown)
        _, shown = kernel.carried_states(cells.present, hidden, values,
                                         np.asarray(cells.numerator_quantity, np.int64),
                                         np.asarray(cells.denominator_quantity, np.int64))
        self.shown = shown.T
        # the searches below look single entries up many times: flat count-major views (entry
        # q × K + key, as the attacker's) that give Python values
        self._n_keys = values.shape[0]
        self._shown = memoryview(shown.reshape(-1))
        self._worked_out = memoryview(np.ascontiguousarray((self.known & (self.via != DIRECT)).T).reshape(-1))
        self._values = memoryview(attacker.values_by_count)
        if "member_lists" not in structure._matrices:
            structure._matrices["member_lists"] = (self.members_of.indptr.tolist(), self.members_of.indices.tolist(),
                                                   self.parent.tolist())
        self._indptr, self._indices, self._parents = structure._matrices["member_lists"]

    def hideable(self, key: int, q: int) -> bool:
        return self._shown[q * self._n_keys + key]

    def members(self, r: int) -> list[int]:
        return self._indices[self._indptr[r]:self._indptr[r + 1]]

    def ranked(self, r: int, key: int, q: int, chain: set) -> list[tuple]:
        """Complements of (key, q) in relation r in the order to hide them: shown parts (smallest
        first), parts worked out elsewhere, then the total (shown, then worked out). Nothing when
        the relation runs through a cell of the chain being cut (that one will be unknown)."""
        others = [x for x in self.members(r) if x != key]
        if any((x, q) in chain for x in others):
            return []
        order = []
        base, total = q * self._n_keys, self._parents[r]
        for other in others:
            at = base + other
            shown = self._shown[at]
            if shown or self._worked_out[at]:  # unknown ones need nothing
                order.append((other == total, not shown, self._values[at], other))
        return sorted(order)

    def column_candidate(self, key: int, q: int) -> tuple | None:
        column = self.structure.column_of(key)
        if column < 0:
            return None
        keys = [int(k) for k in self.structure.slots[column] if k >= 0 and k != key and self.hideable(int(k), q)]
        return min(((self.values[k, q], k) for k in keys), default=None)

    def pick_for(self, key: int, q: int, seen: set) -> tuple[int, int] | None:
        """Undo what worked (key, q) out: hide a complement in the relation that last tightened it
        (a cell's other count, the column's windows); a complement that is hidden but worked out
        is followed back to a shown cell."""
        if (key, q) in seen or len(seen) > 200:
            return None
        seen.add((key, q))
        if self.via[key, q] == DIRECT:
            return (key, q) if self.hideable(key, q) else None
        for how, cause in self.attacker.steps(key, q):
            if how == RELATION and cause >= 0:
                for _, worked_out, _, other in self.ranked(cause, key, q, seen):
                    pick = self.pick_for(other, q, seen) if worked_out else (other, q)
                    if pick:
                        return pick
            if how == CELL and cause >= 0:
                nq, dq = int(self.cells.numerator_quantity[cause]), int(self.cells.denominator_quantity[cause])
                pick = self.pick_for(key, dq if q == nq else nq, seen)
                if pick:
                    return pick
            if how == PERIODS:
                found = self.column_candidate(key, q)
                if found:
                    return found[1], q
        return self.cut_all(key, q, seen, 1, single=True)

    def cut_all(self, key: int, q: int, seen: set, depth: int, single: bool = False):
        """A complement in every relation holding (key, q), following chains `depth` deep; with
        `single`, the first one found as a (key, q) pair, else the set."""
        cuts: set[tuple[int, int]] = set()
        if len(seen) > self.SEARCH_LIMIT:
            return None if single else cuts
        rows = self.relations_of.indices[self.relations_of.indptr[key]:self.relations_of.indptr[key + 1]]
        for r in rows:
            for is_total, worked_out, _, other in self.ranked(int(r), key, q, seen):
                if not worked_out and (depth > 0 or not is_total):
                    found = {(other, q)}
                elif worked_out and depth > 0 and (other, q) not in seen:
                    seen.add((other, q))
                    found = self.cut_all(other, q, seen, depth - 1)
                else:
                    found = set()
                if found:
                    if single:
                        return min(found)
                    cuts |= found
                    break
        found = self.column_candidate(key, q)
        if found:
            cuts.add((found[1], q))
        if single:
            return min(cuts) if cuts else None
        return cuts

    def every_source(self, disclosed: list[tuple[int, int]]) -> set[tuple[int, int]]:
        """Every shown (key, count) that the steps behind the disclosed cells read."""
        found = self.attacker.sources(_cell_entries(self.cells, disclosed, self.attacker))
        found_keys, found_qs = self.attacker.split(found)
        shown = self.shown[found_keys, found_qs]
        return {(int(k), int(q)) for k, q in zip(found_keys[shown], found_qs[shown])}

    def picks(self, result: AuditResult, persisting: dict) -> set[tuple[int, int]]:
        """One (key, quantity) to hide for every disclosed cell; for a cell still disclosed after
        a round, one in every relation around it."""
        picks: set[tuple[int, int]] = set()
        cells = self.cells
        stuck = []
        for key, i in np.vstack([result.disclosed, result.quarters]):
            key, i = int(key), int(i)
            nq, dq = int(cells.numerator_quantity[i]), int(cells.denominator_quantity[i])
            order = [q for q in (nq, dq) if self.via[key, q] != DIRECT] + [nq, dq]
            if persisting.get((key, i), 0) >= 2:
                every = self.cut_all(key, order[0], {(key, order[0])}, 2)
                if every:
                    picks |= every
                    continue
            for q in order:
                pick = self.pick_for(key, q, set())
                if pick:
                    picks.add(pick)
                    break
            else:
                stuck.append((key, order[0]))
        for key, q in stuck:  # follow every step back: hide the smallest shown count it read
            found = self.attacker.sources(self.attacker.entries([key], [q]))
            keys, qs = self.attacker.split(found)
            shown = self.shown[keys, qs]
            if shown.any():
                best = min(zip(self.values[keys[shown], qs[shown]], keys[shown], qs[shown]))
                picks.add((int(best[1]), int(best[2])))
        return picks
