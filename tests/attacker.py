"""An independent disclosure attacker on `published_indicators`: the oracle of the disclosure tests.

Written from the publication rules, not from the production audit, so that the two can disagree.

Attacker model. The attacker sees the published table (a published cell gives its numerator and
denominator; `primär` → denominator <= min_n-1; `sekundär` → denominator >= min_n; an ABSENT
cell has numerator = denominator = 0), the peer groups, the municipality → county map, the
indicator catalogue and min n. A hidden cell has a denominator >= 1 when the publication leaves
empty cells out; a publication that gives every indicator a row at every key it shows may show an
empty cell as `primär`, and then the attacker (seeing every key complete) allows 0.
Every numerator and denominator is a non-negative integer count of an underlying *quantity*;
indicators share them (all `need_share.*` denominators are "all follow-ups"; `need_share.A`
numerator = `rating_coverage.A` denominator; `rating_coverage.A` numerator = the denominators
of `improved_share.A`, `marked_improvement_share.A`, `mean_rating.A`). Within a percent indicator
numerator <= denominator; a mean's numerator is a sum of ratings 1..4, so den <= num <= 4·den.

Each quantity lives on a dense grid: rows (published rolling4q and year periods, then the latent,
never published quarters of the loaded range) × units × target groups × breakdown values. Linear
relations, each `parent = Σ children`, hold on the grid:
  breakdown values → the `alla` cell (main_substance → target group missbruk's `alla` cell);
  target groups → `alla`; municipalities → county; counties → country; members → peer group;
  rolling4q label q = quarters q-3..q; year Y = its loaded quarters.
Solver, to a fixed point: (1) interval propagation over all relations (each member is bounded by
the parent minus the other members' bounds; integer rounding), which gives away any member of a
relation with one unknown and every member of a relation whose known remainder equals the sum of
the unknowns' lower (or upper) bounds, e.g. 0 → all 0; plus the numerator/denominator bounds;
(2) exact period algebra per column (unit, group, breakdown value, quantity): a row (period or
quarter) is determined when its quarter vector lies in the span of the known rows' vectors (known
zero quarters included); its value is that combination of the known values. Values flow between
the two steps until nothing changes.

Output: the hidden cells with what was recovered; DISCLOSED = numerator and denominator both
recovered, or (percent) the numerator recovered as 0.

Deliberately NOT modelled: exact linear algebra across several dimensions at once (e.g. a cycle
through units and target groups; only its interval consequences are used), integer/LP reasoning
beyond interval bounds, relations between quantities other than the identities above (e.g.
marked <= improved, followups >= need), intervals that narrow without closing (a cell pinned to
2..3 is not "disclosed"), the published values and confidence limits, comparisons and
baselines, earlier releases, and any outside knowledge about individuals.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from uiv_schema.codes import TARGET_GROUPS
from uiv_schema.indicators import INDICATORS, MEAN
from uiv_schema.municipalities import municipalities
from uiv_schema.results import CELL_KEY

KEYS = list(CELL_KEY)
_EPS = 1e-6


def quantities() -> dict[str, tuple[str, str]]:
    """indicator_id → (numerator quantity, denominator quantity); shared names are one count."""
    out = {}
    for indicator in INDICATORS:
        family, _, area = indicator.id.partition(".")
        if family == "need_share":
            out[indicator.id] = (f"need.{area}", "followups")
        elif family == "rating_coverage":
            out[indicator.id] = (f"rated.{area}", f"need.{area}")
        elif family in ("improved_share", "marked_improvement_share", "mean_rating"):
            out[indicator.id] = (indicator.id, f"rated.{area}")
        else:
            out[indicator.id] = (f"{indicator.id}:num", f"{indicator.id}:den")
    return out


def _qi(label: str) -> int:
    return int(label[:4]) * 4 + int(label[5]) - 1


def _ql(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


class Attack:
    """Builds the grid, the relations and the bounds from the published table, then solves."""

    def __init__(self, published: pd.DataFrame, peer_groups: pd.DataFrame, min_n: int):
        self.published, self.min_n = published.reset_index(drop=True), min_n
        self._grid(peer_groups)
        self._relations()
        self._bounds()

    # --- the grid: rows × units × target groups × breakdown values, per quantity -------------
    def _grid(self, peer_groups: pd.DataFrame) -> None:
        pub = self.published
        rolling = sorted(pub.period[pub.period_type == "rolling4q"].unique(), key=_qi)
        years = sorted(pub.period[pub.period_type == "year"].unique())
        quarters = [_ql(i) for i in range(_qi(rolling[0]) - 3, _qi(rolling[-1]) + 1)] if rolling else []
        self.rows = [("rolling4q", p) for p in rolling] + [("year", y) for y in years]
        self.n_published_rows = len(self.rows)
        self.rows += [("quarter", q) for q in quarters]
        latent = quarters or [p for _, p in self.rows]  # without a loaded range, periods stay free

        def covered(kind: str, period: str) -> list[str]:
            if quarters and kind == "rolling4q":
                return [_ql(_qi(period) - k) for k in range(4)]
            if quarters and kind == "year":
                return [q for q in quarters if q.startswith(period)]
            return [period]

        self.vectors = np.zeros((len(self.rows), len(latent)))  # row → its vector over the latent quarters
        for r, (kind, period) in enumerate(self.rows):
            self.vectors[r, [latent.index(q) for q in covered(kind, period)]] = 1
        # the quarter rows that each published period row sums
        self.cover = {r: [self.n_published_rows + quarters.index(q) for q in covered(kind, period)]
                      for r, (kind, period) in enumerate(self.rows[:self.n_published_rows]) if quarters}
        self.units = sorted(set(zip(pub.unit_type, pub.unit_code)))
        present = set(pub.target_group)
        self.groups = ["alla"] + [t for t in TARGET_GROUPS if t in present]
        self.values = sorted(set(zip(pub.breakdown, pub.breakdown_value)) - {("alla", "alla")})
        self.values.insert(0, ("alla", "alla"))
        self.peers = peer_groups
        self.shape = (len(self.rows), len(self.units), len(self.groups), len(self.values))
        names = quantities()
        self.quantity_names = sorted({q for pair in names.values() for q in pair})
        self.q_of = {i: tuple(self.quantity_names.index(q) for q in pair) for i, pair in names.items()}

    def cell(self, r, u, t, b):
        """Flat cell index; arguments broadcast."""
        _, U, T, B = self.shape
        return ((np.asarray(r) * U + u) * T + t) * B + b

    # --- relations: parent = Σ children, in blocks of equal size ---------------------------
    def _relations(self) -> None:
        R, U, T, B = self.shape
        blocks = []  # (parent cells (n,), children cells (n, k))

        def over(*sizes):
            return [a.ravel() for a in np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")]

        def add(parent, children):
            if children.shape[-1]:
                blocks.append((parent, children))

        r, u, t = over(R, U, T)
        for name in ("sex", "age_group", "intervention"):
            kids = np.array([b for b, (bd, _) in enumerate(self.values) if bd == name], dtype=int)
            add(self.cell(r, u, t, 0), self.cell(r[:, None], u[:, None], t[:, None], kids[None, :]))
        subst = np.array([b for b, (bd, _) in enumerate(self.values) if bd == "main_substance"], dtype=int)
        if "missbruk" in self.groups:
            r2, u2 = over(R, U)
            for t_kids in (0, self.groups.index("missbruk")):
                add(self.cell(r2, u2, self.groups.index("missbruk"), 0),
                    self.cell(r2[:, None], u2[:, None], t_kids, subst[None, :]))
        r, u, b = over(R, U, B)
        add(self.cell(r, u, 0, b), self.cell(r[:, None], u[:, None], np.arange(1, T)[None, :], b[:, None]))
        unit = {key: i for i, key in enumerate(self.units)}
        county = {m.code: "00" + m.county_code for m in municipalities().values()}
        members: dict[tuple, list[int]] = {}
        for (kind, code), i in unit.items():
            parent = {"kommun": ("lan", county.get(code)), "lan": ("riket", "0000")}.get(kind)
            members.setdefault(parent, []).append(i)
        for code, group in zip(self.peers.municipality_code, self.peers.peer_group):
            if ("kommun", code) in unit:
                members.setdefault(("grupp", group), []).append(unit[("kommun", code)])
        r, t, b = over(R, T, B)
        for parent, kids in members.items():
            if parent in unit:
                kids = np.array(kids)[None, :]
                add(self.cell(r, unit[parent], t, b), self.cell(r[:, None], kids, t[:, None], b[:, None]))
        u, t, b = over(U, T, B)
        for row, quarter_rows in self.cover.items():
            kids = np.array(quarter_rows)[None, :]
            add(self.cell(row, u, t, b), self.cell(kids, u[:, None], t[:, None], b[:, None]))
        self.blocks = [np.column_stack([p, c]) for p, c in blocks]  # column 0: the parent
        self.active = [np.arange(m.shape[0]) for m in self.blocks]

    # --- what the publication tells: bounds per cell and quantity ----------------------------
    def _bounds(self) -> None:
        pub, R, n_cells = self.published, self.n_published_rows, int(np.prod(self.shape))
        self.lo = np.zeros((n_cells, len(self.quantity_names)))
        self.hi = np.full_like(self.lo, np.inf)

        def where(items: list, *columns: pd.Series) -> np.ndarray:
            found = pd.Index(items).get_indexer(pd.MultiIndex.from_arrays(columns) if len(columns) > 1 else columns[0])
            assert (found >= 0).all()
            return found

        c = self.cell(where(self.rows, pub.period_type, pub.period), where(self.units, pub.unit_type, pub.unit_code),
                      where(self.groups, pub.target_group), where(self.values, pub.breakdown, pub.breakdown_value))
        self.published_cell = c
        ids = list(self.q_of)
        ind = pd.Index(ids).get_indexer(pub.indicator_id)
        if (ind < 0).any():
            raise ValueError(f"unknown indicator ids: {sorted(set(pub.indicator_id[ind < 0]))[:3]}")
        present = np.zeros((R * np.prod(self.shape[1:]), len(ids)), bool)
        present[c, ind] = True
        # a publication that gives every indicator a row at every key it shows may show an empty
        # cell as hidden; one that leaves rows out tells that a hidden cell is not empty
        keys = present.any(axis=1)
        self.empty_hidden = bool(present[keys].all())
        qn, qd = (np.array([self.q_of[i][k] for i in ids]) for k in (0, 1))
        for j in range(len(ids)):  # an absent cell has numerator = denominator = 0
            absent = np.flatnonzero(~present[:, j])
            self.hi[absent, qn[j]] = self.hi[absent, qd[j]] = 0
        s = pub.suppression.fillna("").to_numpy()
        num, den = (pub[k].to_numpy(dtype=float, na_value=np.nan) for k in ("numerator", "denominator"))
        shown = s == ""
        d_lo = np.select([shown, s == "sekundär"], [den, self.min_n], 0.0 if self.empty_hidden else 1.0)
        d_hi = np.select([shown, s == "primär"], [den, self.min_n - 1], np.inf)
        n_lo, n_hi = np.where(shown, num, 0.0), np.where(shown, num, np.inf)
        for q, lo, hi in ((qn[ind], n_lo, n_hi), (qd[ind], d_lo, d_hi)):
            np.maximum.at(self.lo, (c, q), lo)
            np.minimum.at(self.hi, (c, q), hi)
        self.published_q = (qn[ind], qd[ind])
        self.pairs = sorted({(*self.q_of[i.id], i.unit) for i in INDICATORS})
        self._check()

    def _check(self) -> None:
        if (self.lo > self.hi + _EPS).any():
            bad = np.argwhere(self.lo > self.hi + _EPS)[0]
            raise AssertionError(f"inconsistent bounds at cell {bad}: the attacker's model is wrong")

    # --- solving ----------------------------------------------------------------------------
    def _pair_bounds(self) -> None:
        """numerator <= denominator (percent); den <= numerator <= 4·den (mean)."""
        lo, hi = self.lo, self.hi
        for n, d, unit in self.pairs:
            top = 4 if unit == MEAN else 1
            hi[:, n] = np.minimum(hi[:, n], top * hi[:, d])
            lo[:, d] = np.maximum(lo[:, d], np.ceil(lo[:, n] / top - _EPS))
            if unit == MEAN:
                lo[:, n] = np.maximum(lo[:, n], lo[:, d])
                hi[:, d] = np.minimum(hi[:, d], hi[:, n])

    def _block(self, b: int) -> bool:
        """Interval propagation over one block of relations (parent = Σ children, each cell at
        most once in a block); True if a bound moved. Fully known relations leave the block."""
        m = self.blocks[b][self.active[b]]
        lo, hi = self.lo[m], self.hi[m]  # (relations, 1 + children, quantities)
        c_lo, c_hi = lo[:, 1:], hi[:, 1:]
        s_lo = c_lo.sum(axis=1)
        inf = np.isinf(c_hi)
        finite = np.where(inf, 0.0, c_hi)
        s_hi, n_inf = finite.sum(axis=1), inf.sum(axis=1)
        others_hi = s_hi[:, None] - finite
        others_hi[(n_inf[:, None] - inf) > 0] = np.inf
        new_lo = np.concatenate([np.maximum(lo[:, :1], s_lo[:, None]),
                                 np.maximum(c_lo, lo[:, :1] - others_hi)], axis=1)
        new_hi = np.concatenate([np.minimum(hi[:, :1], np.where(n_inf > 0, np.inf, s_hi)[:, None]),
                                 np.minimum(c_hi, hi[:, :1] - (s_lo[:, None] - c_lo))], axis=1)
        new_lo, new_hi = np.ceil(new_lo - _EPS), np.floor(new_hi + _EPS)
        if (new_lo > new_hi).any():
            raise AssertionError("inconsistent relation: the attacker's model is wrong")
        self.lo[m], self.hi[m] = new_lo, new_hi
        self.active[b] = self.active[b][(new_lo != new_hi).any(axis=(1, 2))]
        return bool((new_lo != lo).any() or (new_hi != hi).any())

    def _sweep(self) -> bool:
        """One round of interval propagation, block after block; True if a bound moved."""
        self._pair_bounds()
        return any([self._block(b) for b in range(len(self.blocks))])

    @functools.cache
    def _span(self, pattern: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For known rows `pattern` (bits): the unknown rows determined by them and the
        coefficients that combine the known values into theirs."""
        known = (pattern >> np.arange(len(self.rows))) & 1 == 1
        A, other = self.vectors[known], self.vectors[~known]
        coefficients = other @ np.linalg.pinv(A)
        determined = np.abs(coefficients @ A - other).max(axis=1, initial=0) < 1e-9
        return known, np.flatnonzero(~known)[determined], coefficients[determined]

    def _periods(self) -> bool:
        """Exact period algebra per column; True if a row was newly determined."""
        rows = len(self.rows)
        lo, hi = self.lo.reshape(rows, -1), self.hi.reshape(rows, -1)
        known = lo == hi
        count = known.sum(axis=0)
        active = np.flatnonzero((count > 0) & (count < rows))
        codes = (known[:, active].T.astype(np.int64) << np.arange(rows)).sum(axis=1)
        patterns, inverse = np.unique(codes, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        found = False
        for pattern, columns in zip(patterns, np.split(active[order], np.cumsum(np.bincount(inverse))[:-1])):
            mask, targets, coefficients = self._span(int(pattern))
            if not targets.size:
                continue
            values = coefficients @ lo[np.ix_(mask, columns)]
            rounded = np.rint(values)
            at = np.ix_(targets, columns)
            if ((np.abs(values - rounded) > _EPS) | (rounded < lo[at] - _EPS) | (rounded > hi[at] + _EPS)).any():
                raise AssertionError("period algebra contradicts the bounds: the attacker's model is wrong")
            lo[at] = hi[at] = rounded
            found = True
        return found

    def solve(self, max_sweeps: int = 500) -> pd.DataFrame:
        """Run to a fixed point; the hidden cells with what was recovered of them."""
        assert len(self.rows) < 63, "too many period rows for the pattern bit masks"
        for sweep in range(1, max_sweeps + 1):
            moved = self._sweep()
            if not self._periods() and not moved:
                break
        self.sweeps = sweep
        return self._recovered()

    def _recovered(self) -> pd.DataFrame:
        pub, c = self.published, self.published_cell
        hidden = pub.suppression.notna().to_numpy()
        got = {}
        for name, q in zip(("numerator", "denominator"), self.published_q):
            value = self.lo[c[hidden], q[hidden]]
            got[name] = np.where(value == self.hi[c[hidden], q[hidden]], value + 0.0, np.nan)  # no -0.0
        out = pub.loc[hidden, KEYS + ["suppression"]].reset_index(drop=True)
        out["numerator"], out["denominator"] = got["numerator"], got["denominator"]
        both = out.numerator.notna() & out.denominator.notna()
        out["disclosed"] = both  # a numerator worked out as 0 alone is not counted (docs/methods.md)
        return out[out.numerator.notna() | out.denominator.notna()].reset_index(drop=True)


def attack(published: pd.DataFrame, peer_groups: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Hidden cells recovered from `published` (KEYS, suppression, numerator, denominator, disclosed)."""
    return Attack(published, peer_groups, min_n).solve()


def attack_store(con, min_n: int) -> pd.DataFrame:
    """`attack` on the store's `published_indicators` and `peer_groups` (never `indicators`)."""
    published = con.execute(f"SELECT {', '.join(KEYS)}, numerator, denominator, suppression "
                            "FROM published_indicators").df()
    peers = con.execute("SELECT municipality_code, peer_group FROM peer_groups").df()
    return attack(published, peers, min_n)
