"""The attacker's inner loops, compiled (Numba): bound propagation over the relations and the
cells to a fixed point, and the walks over the recorded steps. `uiv_core.publish.disclosure` holds the
rules in words and the period algebra; these functions are the same rules on flat arrays, one
entry at a time from a first-in-first-out work list instead of whole waves of NumPy arrays
(the fixed point of the bounds is the same in any order: every rule only tightens).

Entries are flat indexes `key × Q + count`. `low`/`high` are float64 (high may be ∞);
`reasons[b]`/`causes[b]` record what last moved bound b (0 low, 1 high). Compiled once per
machine and cached beside this file (`cache=True`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: kinds of step, as in uiv_core.publish.disclosure
DIRECT, RELATION, PERIODS, CELL = 0, 1, 2, 4
#: status codes of `propagate`
SETTLED, CONTRADICTION, TOO_LONG = 0, 1, 2
_EPS = 1e-6


@njit(cache=True)
def _push(queue, flags, state, item):
    """Append to a ring buffer (state: head, size) unless the item is already waiting."""
    if flags[item]:
        return
    flags[item] = True
    capacity = queue.size
    queue[(state[0] + state[1]) % capacity] = item
    state[1] += 1


@njit(cache=True)
def _pop(queue, flags, state):
    item = queue[state[0]]
    state[0] = (state[0] + 1) % queue.size
    state[1] -= 1
    flags[item] = False
    return item


@njit(cache=True)
def _tighten(entry, new_low, new_high, how, cause, low, high, reasons, causes):
    """Raise the low and lower the high bound of one entry where tighter: 0 nothing moved,
    1 moved, −1 the bounds cross."""
    new_low = np.ceil(new_low - _EPS)
    new_high = np.floor(new_high + _EPS)
    moved = 0
    if new_low > low[entry]:
        low[entry] = new_low
        reasons[0, entry] = how
        causes[0, entry] = cause
        moved = 1
    if new_high < high[entry]:
        high[entry] = new_high
        reasons[1, entry] = how
        causes[1, entry] = cause
        moved = 1
    if moved and low[entry] > high[entry]:
        return -1
    return moved


@njit(cache=True)
def propagate(low, high, reasons, causes, n_q,
              rel_indptr, rel_members, parent, key_indptr, key_rels,
              reader_indptr, reader_indicator, numerator_q, denominator_q, least, most,
              column_of_key, seed_pairs, seed_entries, column_flags, max_steps):
    """Run the relation and cell rules from the seeds until nothing tightens.

    seed_pairs: relation × Q + count codes to examine; seed_entries: entries whose cells to
    examine. Every entry that moves queues its relations and its cells, and flags its period
    column (`column_flags[column × Q + count]`, for the period algebra run outside). Returns
    (status, entries moved, work items taken)."""
    n_relations = parent.size
    pair_queue = np.empty(n_relations * n_q, np.int64)
    pair_flags = np.zeros(n_relations * n_q, np.bool_)
    pair_state = np.zeros(2, np.int64)
    entry_queue = np.empty(low.size, np.int64)
    entry_flags = np.zeros(low.size, np.bool_)
    entry_state = np.zeros(2, np.int64)
    for item in seed_pairs:
        _push(pair_queue, pair_flags, pair_state, item)
    for item in seed_entries:
        _push(entry_queue, entry_flags, entry_state, item)
    longest = 1
    for r in range(n_relations):
        longest = max(longest, rel_indptr[r + 1] - rel_indptr[r])
    new_lows = np.empty(longest, np.float64)
    new_highs = np.empty(longest, np.float64)
    touched = np.empty(2 * (reader_indicator.size + longest + 1), np.int64)
    steps = 0
    moves = 0
    while pair_state[1] > 0 or entry_state[1] > 0:
        steps += 1
        if steps > max_steps:
            return TOO_LONG, moves, steps
        n_touched = 0
        if pair_state[1] > 0:
            code = _pop(pair_queue, pair_flags, pair_state)
            r = code // n_q
            q = code % n_q
            start, stop = rel_indptr[r], rel_indptr[r + 1]
            top = parent[r]
            child_low = 0.0
            child_high = 0.0
            child_open = 0
            parent_low = 0.0
            parent_high = 0.0
            parent_open = 0
            for j in range(start, stop):
                e = rel_members[j] * n_q + q
                if rel_members[j] == top:
                    parent_low += low[e]
                    if np.isfinite(high[e]):
                        parent_high += high[e]
                    else:
                        parent_open += 1
                else:
                    child_low += low[e]
                    if np.isfinite(high[e]):
                        child_high += high[e]
                    else:
                        child_open += 1
            for j in range(start, stop):
                e = rel_members[j] * n_q + q
                if rel_members[j] == top:
                    new_lows[j - start] = child_low
                    new_highs[j - start] = np.inf if child_open > 0 else child_high
                else:
                    finite = np.isfinite(high[e])
                    others_open = child_open - (0 if finite else 1)
                    others_high = child_high - (high[e] if finite else 0.0)
                    new_lows[j - start] = -np.inf if others_open > 0 else parent_low - others_high
                    new_highs[j - start] = np.inf if parent_open > 0 else parent_high - (child_low - low[e])
            for j in range(start, stop):
                e = rel_members[j] * n_q + q
                status = _tighten(e, new_lows[j - start], new_highs[j - start], RELATION, r,
                                  low, high, reasons, causes)
                if status < 0:
                    return CONTRADICTION, moves, steps
                if status > 0:
                    touched[n_touched] = e
                    n_touched += 1
        else:
            e = _pop(entry_queue, entry_flags, entry_state)
            base = e // n_q * n_q
            q = e % n_q
            for j in range(reader_indptr[q], reader_indptr[q + 1]):
                i = reader_indicator[j]
                nq = base + numerator_q[i]
                dq = base + denominator_q[i]
                status = _tighten(nq, least[i] * low[dq], most[i] * high[dq], CELL, i, low, high, reasons, causes)
                if status < 0:
                    return CONTRADICTION, moves, steps
                if status > 0:
                    touched[n_touched] = nq
                    n_touched += 1
                ceiling = high[nq] / least[i] if least[i] > 0 else np.inf
                status = _tighten(dq, low[nq] / most[i], ceiling, CELL, i, low, high, reasons, causes)
                if status < 0:
                    return CONTRADICTION, moves, steps
                if status > 0:
                    touched[n_touched] = dq
                    n_touched += 1
        moves += n_touched
        for t in range(n_touched):
            e = touched[t]
            key = e // n_q
            q = e % n_q
            for j in range(key_indptr[key], key_indptr[key + 1]):
                _push(pair_queue, pair_flags, pair_state, key_rels[j] * n_q + q)
            _push(entry_queue, entry_flags, entry_state, e)
            column = column_of_key[key]
            if column >= 0:
                column_flags[column * n_q + q] = True
    return SETTLED, moves, steps


@njit(cache=True)
def _append(found, n_found, item):
    if n_found == found.size:
        found = np.concatenate((found, np.empty(found.size, np.int64)))
    found[n_found] = item
    return found, n_found + 1


@njit(cache=True)
def walk(entries, forward, n_q, reasons, causes,
         rel_indptr, rel_members, key_indptr, key_rels,
         reader_indptr, reader_indicator, reader_other, numerator_q, denominator_q,
         column_of_key, slots, quarter_slots, seen):
    """`entries` and every entry reached from them over the recorded steps, sorted: forward, the
    entries whose last step read a reached one (what rests on them); backward, the entries the
    steps of a reached one read (what they rest on). `seen` is a scratch bool array of the
    entries' size, all False, left so."""
    found = np.empty(max(1024, entries.size * 2), np.int64)
    n_found = 0
    for e in entries:
        if not seen[e]:
            seen[e] = True
            found, n_found = _append(found, n_found, e)
    at = 0
    width = slots.shape[1]
    span = quarter_slots.shape[1]
    while at < n_found:
        e = found[at]
        at += 1
        key = e // n_q
        q = e % n_q
        if forward:
            for j in range(key_indptr[key], key_indptr[key + 1]):
                r = key_rels[j]
                for m in range(rel_indptr[r], rel_indptr[r + 1]):
                    c = rel_members[m] * n_q + q
                    if seen[c]:
                        continue
                    if (reasons[0, c] == RELATION and causes[0, c] == r) or \
                            (reasons[1, c] == RELATION and causes[1, c] == r):
                        seen[c] = True
                        found, n_found = _append(found, n_found, c)
            for j in range(reader_indptr[q], reader_indptr[q + 1]):
                i = reader_indicator[j]
                c = key * n_q + reader_other[j]
                if seen[c]:
                    continue
                if (reasons[0, c] == CELL and causes[0, c] == i) or (reasons[1, c] == CELL and causes[1, c] == i):
                    seen[c] = True
                    found, n_found = _append(found, n_found, c)
            column = column_of_key[key]
            if column >= 0:
                for p in range(width + span):
                    k = slots[column, p] if p < width else quarter_slots[column, p - width]
                    if k < 0:
                        continue
                    c = k * n_q + q
                    if not seen[c] and (reasons[0, c] == PERIODS or reasons[1, c] == PERIODS):
                        seen[c] = True
                        found, n_found = _append(found, n_found, c)
        else:
            periods = False
            for b in range(2):
                how = reasons[b, e]
                if how == RELATION:
                    r = causes[b, e]
                    for m in range(rel_indptr[r], rel_indptr[r + 1]):
                        c = rel_members[m] * n_q + q
                        if not seen[c]:
                            seen[c] = True
                            found, n_found = _append(found, n_found, c)
                elif how == CELL:
                    i = causes[b, e]
                    other = denominator_q[i] if q == numerator_q[i] else numerator_q[i]
                    c = key * n_q + other
                    if not seen[c]:
                        seen[c] = True
                        found, n_found = _append(found, n_found, c)
                elif how == PERIODS:
                    periods = True
            column = column_of_key[key]
            if periods and column >= 0:
                for p in range(width + span):
                    k = slots[column, p] if p < width else quarter_slots[column, p - width]
                    if k < 0:
                        continue
                    c = k * n_q + q
                    if not seen[c]:
                        seen[c] = True
                        found, n_found = _append(found, n_found, c)
    result = np.sort(found[:n_found])
    for e in result:
        seen[e] = False
    return result
