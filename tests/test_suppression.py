"""The production disclosure audit and secondary suppression (`uiv_core.publish.disclosure`) on hand-made
tables whose answer can be worked out on paper. The independent attacker over whole published
stores is in test_disclosure.py."""

from __future__ import annotations

import numpy as np

from uiv_core.publish.disclosure import Cells, Structure, audit, protect, window_closure

MIN_N = 10


def _tree(children_of: dict[int, list[int]], n_keys: int) -> Structure:
    relation, member, is_parent = [], [], []
    for r, (parent, children) in enumerate(sorted(children_of.items())):
        relation += [r] * (1 + len(children))
        member += [parent, *children]
        is_parent += [True] + [False] * len(children)
    return Structure(np.array(relation), np.array(member), np.array(is_parent, bool),
                     slots=np.zeros((0, 0), np.int64), n_keys=n_keys)


def _one_share(numerators: list[int], denominators: list[int]) -> Cells:
    """One share indicator: its numerator is quantity 0, its denominator quantity 1."""
    k = len(denominators)
    return Cells(np.ones((k, 1), bool), np.array(numerators).reshape(k, 1), np.array(denominators).reshape(k, 1),
                 np.array([0]), np.array([1]), [(0, 1)], 2)


def _quarters_of(windows: list[int]) -> int:
    return sum(1 << (w + d) for w in windows for d in range(4))


def test_a_rolling_window_is_given_away_between_two_zero_windows():
    # quarters 0..10, windows w covering w..w+3; w0 and w7 are zero, so w1 = q4, w4 = q4+q5+q6,
    # w5 = q5+q6: w1 = w4 - w5 although w1 itself is hidden
    zero = 1 << 0 | 1 << 7
    windows, quarters = window_closure(8, zero | 1 << 4 | 1 << 5, _quarters_of([0, 7]))
    assert windows >> 1 & 1
    assert quarters == 1 << 4  # and q4 = w1, the one quarter it holds beside the zeros
    # without the zeros nothing follows from the other windows
    windows, quarters = window_closure(8, 0b11111101, 0)
    assert windows == 0 and quarters == 0


def test_windows_alone_never_give_a_window_or_a_quarter_away():
    for hidden in range(5):
        windows, quarters = window_closure(5, 0b11111 & ~(1 << hidden), 0)
        assert windows == 0 and quarters == 0


def test_one_known_quarter_gives_away_the_window_next_to_it():
    # w0 = q0..q3 and w1 = q1..q4 known, q4 known (e.g. worked out by interval reasoning in its
    # own relations): q0 = w0 - w1 + q4
    windows, quarters = window_closure(3, 0b011, 1 << 4)
    assert quarters == 1 << 0 and windows == 0


def test_a_county_of_one_municipality_is_that_municipality():
    # keys: 0 country, 1 county A (= municipality 3 alone), 2 county B (= municipality 4)
    structure = _tree({0: [1, 2], 1: [3], 2: [4]}, 5)
    cells = _one_share([20, 4, 16, 4, 16], [45, 5, 40, 5, 40])
    primary = cells.present & (cells.denominator < MIN_N)
    found = audit(cells, structure, primary, primary, MIN_N)
    # country - county B = county A = municipality 3: both small cells are given away
    assert sorted(map(tuple, found.disclosed.tolist())) == [(1, 0), (3, 0)]
    result = protect(cells, structure, MIN_N, measure_primary=True)
    assert result.hidden[:, 0].tolist() == [False, True, True, True, True]  # the total stays shown
    assert len(audit(cells, structure, result.hidden, primary, MIN_N).disclosed) == 0
    assert result.disclosed_before == 2 and result.secondary == 2


def test_the_smallest_part_is_hidden_rather_than_the_total():
    structure = _tree({0: [1, 2, 3]}, 4)
    cells = _one_share([50, 3, 20, 27], [100, 6, 40, 54])
    result = protect(cells, structure, MIN_N)
    assert result.hidden[:, 0].tolist() == [False, True, True, False]


def test_a_remainder_equal_to_the_bounds_gives_small_cells_away():
    # total 5 of 29; one shown part 5 of 11; two hidden primary parts: denominators 29 - 11 = 18 =
    # 9 + 9, the most a primary cell can hold, and numerators 5 - 5 = 0: both cells are 0 of 9
    structure = _tree({0: [1, 2, 3]}, 4)
    cells = _one_share([5, 0, 0, 5], [29, 9, 9, 11])
    primary = cells.present & (cells.denominator < MIN_N)
    assert sorted(map(tuple, audit(cells, structure, primary, primary, MIN_N).disclosed.tolist())) == [(1, 0), (2, 0)]
    # with 8 + 9 the denominators are not pinned: nothing is given away
    loose = _one_share([5, 0, 0, 5], [28, 8, 9, 11])
    assert len(audit(loose, structure, primary, primary, MIN_N).disclosed) == 0
    result = protect(cells, structure, MIN_N)
    assert result.hidden[:, 0].tolist() == [False, True, True, True]
    assert len(audit(cells, structure, result.hidden, primary, MIN_N).disclosed) == 0


def test_a_count_shared_by_two_indicators_is_known_when_either_shows_it():
    # indicator 0: a / b; indicator 1: b / c (b is one count in both). Keys: 0 = 1 + 2.
    structure = _tree({0: [1, 2]}, 3)
    numerator = np.array([[30, 60], [4, 8], [26, 52]])
    denominator = np.array([[60, 90], [8, 30], [52, 60]])
    cells = Cells(np.ones((3, 2), bool), numerator, denominator, np.array([0, 1]), np.array([1, 2]),
                  [(0, 1), (0, 1)], 3)
    primary = cells.present & (cells.denominator < MIN_N)  # only (1, 0): 4 of 8
    found = audit(cells, structure, primary, primary, MIN_N)
    # b at key 1 is indicator 1's numerator (shown): only a must be worked out, and 30 - 26 gives it
    assert found.disclosed.tolist() == [[1, 0]]
    result = protect(cells, structure, MIN_N)
    assert len(audit(cells, structure, result.hidden, primary, MIN_N).disclosed) == 0


def _bound_graph(attacker):
    """The recorded steps as a graph over bounds (node bound × N + entry, one spare node last),
    written from the rules: a relation's total reads the same bound of its parts; a part reads
    the same bound of the total and the other bound of the other parts; a cell's numerator and
    denominator read each other bound for bound; a period step reads both bounds of its column."""
    from scipy import sparse

    from uiv_core.publish.disclosure import CELL, PERIODS, RELATION

    n = attacker._low.size
    members, parents = attacker.structure.matrices()["all"], attacker.parent
    column_of = attacker.structure.column_index()
    grids = np.hstack([attacker.structure.slots, attacker.structure.quarter_slots])
    edges = set()
    for bound in (0, 1):
        for entry in np.flatnonzero(attacker._reasons[bound] > 0):
            key, q = int(entry % attacker.n_keys), int(entry // attacker.n_keys)
            how, cause = attacker._reasons[bound, entry], int(attacker._causes[bound, entry])
            target = bound * n + entry
            if how == RELATION:
                for other in members.indices[members.indptr[cause]:members.indptr[cause + 1]]:
                    if other == key:
                        continue
                    read = bound if key == parents[cause] or other == parents[cause] else 1 - bound
                    edges.add((read * n + q * attacker.n_keys + int(other), target))
            elif how == CELL:
                numerator, denominator = attacker._numerator_q[cause], attacker._denominator_q[cause]
                other = denominator if q == numerator else numerator
                edges.add((bound * n + int(other) * attacker.n_keys + key, target))
            elif how == PERIODS:
                for other in grids[column_of[key]]:
                    if other >= 0:
                        for read in (0, 1):
                            edges.add((read * n + q * attacker.n_keys + int(other), target))
    rows, columns = zip(*sorted(edges))
    return sparse.csr_matrix((np.ones(len(rows), np.int8), (rows, columns)), shape=(2 * n + 1,) * 2)


def test_the_walks_over_recorded_steps_agree_with_the_whole_graph(tmp_path):
    """`forget_at` and the chooser follow the attacker's recorded steps forward (what rested on a
    count) and back (what a count rested on) by walking from the entries; the reference is a
    breadth-first search of the whole step graph, on a generated store with periods, counties and
    peer groups."""
    from scipy import sparse
    from scipy.sparse import csgraph

    from test_disclosure import GENERATED_CODES, GENERATED_PEERS, GENERATED_QUARTERS, build_generated_store
    from uiv_core.publish.disclosure import Attacker, carriers, pair_up, quantity_values, starting_bounds
    from uiv_core.publish.publication import _load
    from uiv_core.reference import register_reference
    from uiv_core.sql import query

    con = build_generated_store(tmp_path, 400, 11, GENERATED_CODES, GENERATED_QUARTERS, GENERATED_PEERS)
    register_reference(con)
    con.execute(query("published_periods"))
    cells, structure, _ = _load(con)
    primary = cells.present & (cells.denominator < MIN_N)
    carried, values = carriers(cells), quantity_values(cells)
    hidden = pair_up(cells, structure, primary, carried, values)
    attacker = Attacker(structure, cells, values)
    attacker.start(*starting_bounds(cells, hidden, primary, MIN_N, values, structure.latent))
    origin = attacker.known.size

    def reached(graph):
        found = csgraph.breadth_first_order(graph, origin, directed=True, return_predecessors=False)
        return np.sort(found[found != origin])

    worked_out = np.flatnonzero(attacker.flat(attacker.reasons.max(axis=0)) > 0)
    assert worked_out.size > 100
    bounds_worked_out = np.flatnonzero(attacker._reasons.ravel() > 0)  # bound × N + entry
    bounds = _bound_graph(attacker)
    rng = np.random.default_rng(5)
    for _ in range(4):
        codes = rng.choice(bounds_worked_out, 25, replace=False)
        start = sparse.csr_matrix((np.ones(codes.size, np.int8), (np.full(codes.size, 2 * origin), codes)),
                                  shape=(2 * origin + 1,) * 2)
        found = csgraph.breadth_first_order(bounds + start, 2 * origin, directed=True, return_predecessors=False)
        forward = np.sort(found[found != 2 * origin])
        assert np.array_equal(attacker._dependents(codes), forward) and forward.size > codes.size
        entries = rng.choice(worked_out, 25, replace=False)
        reverse = attacker.graph().T.tocsr() + sparse.csr_matrix(
            (np.ones(entries.size, np.int8), (np.full(entries.size, origin), entries)), shape=(origin + 1,) * 2)
        back = reached(reverse)
        assert np.array_equal(attacker.sources(entries), back) and back.size > entries.size


def test_data_whose_relation_does_not_hold_stop_the_audit_with_a_sentence():
    # the total says 10 follow-ups, its parts 6 + 7: the compiled propagation meets crossing
    # bounds and says so instead of publishing on a broken model
    import pytest

    structure = _tree({0: [1, 2]}, 3)
    cells = _one_share([5, 3, 3], [10, 6, 7])
    hidden = np.zeros((3, 1), bool)
    with pytest.raises(RuntimeError, match="contradictory bounds"):
        audit(cells, structure, hidden, hidden, MIN_N)
