"""The attacker's inner loops, compiled (Numba): bound propagation over the relations and the
cells to a fixed point, and the walks over the recorded steps. `uiv_core.publish.disclosure` holds the
rules in words and the period algebra; these functions are the same rules on flat arrays.

Entries are flat indexes `count × K + key` (count-major: one count's bounds lie together, so a
relation's members are close in memory). `low`/`high` are float64 (high may be ∞);
`reasons[b]`/`causes[b]` record what last moved bound b (0 low, 1 high).

`propagate` works in phases until nothing tightens:

1. the relation rule, one count at a time and the counts in parallel (a relation bounds its
   members within one count, so the counts never share an entry): each count's (relation)
   work list first-in-first-out;
2. the cell rule (a cell's numerator and denominator bound each other) for the cells reading a
   count that moved, one key at a time and the keys in parallel (a cell only touches its own
   key), each key to its own fixed point;
3. the relations of every entry the cells moved are queued for phase 1.

The fixed point of the bounds is the same in any order (every rule only tightens), and so are the
recorded steps for a given input, whatever the number of threads: each count, and each key, is
worked by one thread in a fixed order. Compiled once per machine and cached beside this file
(`cache=True`).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

#: kinds of step, as in uiv_core.publish.disclosure
DIRECT, RELATION, PERIODS, CELL = 0, 1, 2, 4
#: status codes of `propagate`
SETTLED, CONTRADICTION, TOO_LONG = 0, 1, 2
_EPS = 1e-6
#: keys a thread takes at a time in the cell phase
_BLOCK = 1024


@njit(cache=True, inline="always")
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


@njit(cache=True, inline="always")
def _queue(q, r, n_relations, queue, flags, head, size):
    """Append relation r to count q's ring buffer unless it is already waiting."""
    code = q * n_relations + r
    if flags[code]:
        return
    flags[code] = True
    at = head[q] + size[q]
    if at >= n_relations:
        at -= n_relations
    queue[q * n_relations + at] = r
    size[q] += 1


@njit(cache=True)
def _relations_of_count(q, n_q, n_keys, low, high, reasons, causes, rel_indptr, rel_members, parent,
                        key_indptr, key_rels, queue, flags, head, size, key_pending, cell_pending, column_of_key,
                        column_flags, n_columns, max_steps):
    """Work count q's relation list until it is empty: (status, entries moved, work items)."""
    n_relations = parent.size
    offset = q * n_keys
    moves = 0
    steps = 0
    while size[q] > 0:
        steps += 1
        if steps > max_steps:
            return TOO_LONG, moves, steps
        r = queue[q * n_relations + head[q]]
        head[q] += 1
        if head[q] == n_relations:
            head[q] = 0
        size[q] -= 1
        flags[q * n_relations + r] = False
        start, stop = rel_indptr[r], rel_indptr[r + 1]
        top = parent[r]
        child_low = 0.0
        child_high = 0.0
        child_open = 0
        parent_low = 0.0
        parent_high = 0.0
        parent_open = 0
        widest = 0.0  # the widest gap between a part's bounds
        for j in range(start, stop):
            e = offset + rel_members[j]
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
                    widest = max(widest, high[e] - low[e])
                else:
                    child_open += 1
        # with every bound finite, a part can only tighten when its gap is wider than the
        # relation's slack, and the total when the parts' sums are tighter than its bounds: most
        # relations (every member read off) are settled at once
        if child_open == 0 and parent_open == 0 and child_low <= parent_low and child_high >= parent_high \
                and widest <= min(child_high - parent_low, parent_high - child_low):
            continue
        # a member's new bounds read the sums above and its own bounds only, so each member is
        # tightened as soon as they are worked out
        for j in range(start, stop):
            key = rel_members[j]
            e = offset + key
            if key == top:
                new_low = child_low
                new_high = np.inf if child_open > 0 else child_high
            else:
                finite = np.isfinite(high[e])
                others_open = child_open - (0 if finite else 1)
                others_high = child_high - (high[e] if finite else 0.0)
                new_low = -np.inf if others_open > 0 else parent_low - others_high
                new_high = np.inf if parent_open > 0 else parent_high - (child_low - low[e])
            status = _tighten(e, new_low, new_high, RELATION, r, low, high, reasons, causes)
            if status < 0:
                return CONTRADICTION, moves, steps
            if status > 0:
                moves += 1
                # the flags shared between threads are written only when they change (fewer
                # cache lines passed between the cores)
                if not key_pending[key]:
                    key_pending[key] = True
                if not cell_pending[key * n_q + q]:
                    cell_pending[key * n_q + q] = True
                column = column_of_key[key]
                if column >= 0 and not column_flags[q * n_columns + column]:
                    column_flags[q * n_columns + column] = True
                for k in range(key_indptr[key], key_indptr[key + 1]):
                    _queue(q, key_rels[k], n_relations, queue, flags, head, size)
    return SETTLED, moves, steps


@njit(cache=True)
def _cells_of_key(key, n_q, n_keys, low, high, reasons, causes, reader_indptr, reader_indicator, numerator_q,
                  denominator_q, least, most, cell_pending, moved, count_moved, column_of_key, column_flags,
                  n_columns):
    """The cell rules of one key that read its pending counts (`cell_pending`, key × Q + count),
    and of the counts they move in turn, until none tightens: (status, entries moved)."""
    moves = 0
    base = key * n_q
    column = column_of_key[key]
    again = True
    while again:
        again = False
        for q in range(n_q):
            if not cell_pending[base + q]:
                continue
            cell_pending[base + q] = False
            for j in range(reader_indptr[q], reader_indptr[q + 1]):
                i = reader_indicator[j]
                n_entry = numerator_q[i] * n_keys + key
                d_entry = denominator_q[i] * n_keys + key
                for which in range(2):
                    if which == 0:
                        entry = n_entry
                        status = _tighten(n_entry, least[i] * low[d_entry], most[i] * high[d_entry], CELL, i,
                                          low, high, reasons, causes)
                    else:
                        entry = d_entry
                        ceiling = high[n_entry] / least[i] if least[i] > 0 else np.inf
                        status = _tighten(d_entry, low[n_entry] / most[i], ceiling, CELL, i,
                                          low, high, reasons, causes)
                    if status < 0:
                        return CONTRADICTION, moves
                    if status > 0:
                        moves += 1
                        again = True
                        moved_q = entry // n_keys
                        cell_pending[base + moved_q] = True
                        moved[entry] = True
                        count_moved[moved_q] = True
                        if column >= 0:
                            column_flags[moved_q * n_columns + column] = True
    return SETTLED, moves


@njit(cache=True, parallel=True)
def propagate(low, high, reasons, causes, n_q, n_keys,
              rel_indptr, rel_members, parent, key_indptr, key_rels,
              reader_indptr, reader_indicator, numerator_q, denominator_q, least, most,
              column_of_key, n_columns, seed_entries, seed_all, column_flags, max_steps,
              queue, flags, key_pending, cell_pending, moved):
    """Run the relation and cell rules from the seeds until nothing tightens.

    seed_entries: entries to work from (every entry with `seed_all`): their relations (in their
    count), the cells reading them and their period columns are examined. Every entry that moves
    queues its relations and the cells reading it likewise, and flags its period column
    (`column_flags[count × C + column]`, for the period algebra run outside). The scratch arrays
    (`queue`: R×Q int64; `flags`: R×Q, `key_pending`: K, `cell_pending` and `moved`: K×Q bool,
    all False) are the caller's, kept between calls and left all False when it settles.
    Returns (status, entries moved, work items taken)."""
    n_relations = parent.size
    head = np.zeros(n_q, np.int64)
    size = np.zeros(n_q, np.int64)
    count_moved = np.zeros(n_q, np.bool_)
    if seed_all:
        flags[:] = True
        key_pending[:] = True
        cell_pending[:] = True
        column_flags[:] = True
    else:
        for entry in seed_entries:
            q = entry // n_keys
            key = entry - q * n_keys
            key_pending[key] = True
            cell_pending[key * n_q + q] = True
            for k in range(key_indptr[key], key_indptr[key + 1]):
                flags[q * n_relations + key_rels[k]] = True
            column = column_of_key[key]
            if column >= 0:
                column_flags[q * n_columns + column] = True
    for q in prange(n_q):  # each count's queue in relation order
        offset = q * n_relations
        for r in range(n_relations):
            if flags[offset + r]:
                queue[offset + size[q]] = r
                size[q] += 1
    status = np.zeros(n_q, np.int64)
    moves = np.zeros(n_q, np.int64)
    steps = np.zeros(n_q, np.int64)
    total_moves = 0
    total_steps = 0
    while True:
        # 1. the relations, count by count
        for q in prange(n_q):
            status[q] = SETTLED
            moves[q] = 0
            steps[q] = 0
            if size[q] > 0:
                status[q], moves[q], steps[q] = _relations_of_count(
                    q, n_q, n_keys, low, high, reasons, causes, rel_indptr, rel_members, parent, key_indptr,
                    key_rels, queue, flags, head, size, key_pending, cell_pending, column_of_key, column_flags,
                    n_columns, max_steps)
        total_moves += moves.sum()
        total_steps += steps.sum()
        for q in range(n_q):
            if status[q] != SETTLED:
                return status[q], total_moves, total_steps
        if total_steps > max_steps:
            return TOO_LONG, total_moves, total_steps
        # 2. the cells, key by key
        pending = np.flatnonzero(key_pending)
        if pending.size == 0:
            return SETTLED, total_moves, total_steps
        key_pending[:] = False
        key_status = np.zeros(pending.size, np.int64)
        key_moves = np.zeros(pending.size, np.int64)
        n_blocks = (pending.size + _BLOCK - 1) // _BLOCK
        for block in prange(n_blocks):  # blocks of keys, so that a thread takes many at a time
            for p in range(block * _BLOCK, min(pending.size, (block + 1) * _BLOCK)):
                key_status[p], key_moves[p] = _cells_of_key(
                    pending[p], n_q, n_keys, low, high, reasons, causes, reader_indptr, reader_indicator,
                    numerator_q, denominator_q, least, most, cell_pending, moved, count_moved, column_of_key,
                    column_flags, n_columns)
        total_steps += pending.size
        total_moves += key_moves.sum()
        for p in range(pending.size):
            if key_status[p] != SETTLED:
                return key_status[p], total_moves, total_steps
        # 3. what the cells moved queues its relations
        for q in prange(n_q):
            if count_moved[q]:
                count_moved[q] = False
                offset = q * n_keys
                for key in range(n_keys):
                    if moved[offset + key]:
                        moved[offset + key] = False
                        for k in range(key_indptr[key], key_indptr[key + 1]):
                            _queue(q, key_rels[k], n_relations, queue, flags, head, size)


@njit(cache=True, parallel=True)
def restart(start_low, start_high, low, high, reasons, causes, direct):
    """Every bound back to its starting value, read off (`direct`, no cause): one parallel pass
    (the arrays are large and new, and their first writes are the slow part)."""
    for e in prange(low.size):
        low[e] = start_low[e]
        high[e] = start_high[e]
        reasons[0, e] = direct
        reasons[1, e] = direct
        causes[0, e] = -1
        causes[1, e] = -1


@njit(cache=True)
def _append(found, n_found, item):
    if n_found == found.size:
        found = np.concatenate((found, np.empty(found.size, np.int64)))
    found[n_found] = item
    return found, n_found + 1


@njit(cache=True)
def sources(entries, n_keys, reasons, causes, rel_indptr, rel_members,
            reader_indptr, reader_indicator, reader_other, numerator_q, denominator_q,
            column_of_key, slots, quarter_slots, seen):
    """`entries` and every entry the recorded steps of a reached one read (what they rest on),
    sorted. `seen` is a scratch bool array of the entries' size, all False, left so."""
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
        q = e // n_keys
        key = e - q * n_keys
        offset = q * n_keys
        periods = False
        for b in range(2):
            how = reasons[b, e]
            if how == RELATION:
                r = causes[b, e]
                for m in range(rel_indptr[r], rel_indptr[r + 1]):
                    c = offset + rel_members[m]
                    if not seen[c]:
                        seen[c] = True
                        found, n_found = _append(found, n_found, c)
            elif how == CELL:
                i = causes[b, e]
                other = denominator_q[i] if q == numerator_q[i] else numerator_q[i]
                c = other * n_keys + key
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
                c = offset + k
                if not seen[c]:
                    seen[c] = True
                    found, n_found = _append(found, n_found, c)
    result = np.sort(found[:n_found])
    for e in result:
        seen[e] = False
    return result


@njit(cache=True, parallel=True)
def lone_unknowns(rel_indptr, rel_members, parent, unknown, shown, value, waiting, least, chosen):
    """One pass of pairing, the counts in parallel: for every relation r of count q flagged in
    `waiting` (Q×R, cleared here) whose only unknown member with a value of at least `least` is
    that one, the member to hide beside it (a shown part before the total, the smallest value
    first, then the lowest key). `unknown`, `shown` and `value` are Q×K; the keys chosen are set in
    `chosen` (Q×K bool, all False)."""
    n_q, n_relations = waiting.shape
    for q in prange(n_q):
        for r in range(n_relations):
            if not waiting[q, r]:
                continue
            waiting[q, r] = False
            lone = 0
            for j in range(rel_indptr[r], rel_indptr[r + 1]):
                key = rel_members[j]
                if unknown[q, key] and value[q, key] >= least:
                    lone += 1
            if lone != 1:
                continue
            best = -1
            best_total = True
            best_value = 0
            for j in range(rel_indptr[r], rel_indptr[r + 1]):
                key = rel_members[j]
                if not shown[q, key]:
                    continue
                total = key == parent[r]
                if best < 0 or (total, value[q, key], key) < (best_total, best_value, best):
                    best, best_total, best_value = key, total, value[q, key]
            if best >= 0:
                chosen[q, best] = True


@njit(cache=True, inline="always")
def _reach(target, seen, out, n_out):
    """Mark target reached and append it to out, unless it was already."""
    if seen[target]:
        return n_out
    seen[target] = True
    out[n_out] = target
    return n_out + 1


@njit(cache=True)
def _readers_of(code, n_entries, n_keys, reasons, causes, rel_indptr, rel_members, parent, key_indptr, key_rels,
                reader_indptr, reader_indicator, reader_other, column_of_key, slots, quarter_slots, by_periods,
                seen, out, n_out):
    """Append to out (from n_out) every bound not yet reached whose last step read the bound
    `code`, marking it reached; returns the new end of out."""
    b = code // n_entries
    e = code - b * n_entries
    q = e // n_keys
    key = e - q * n_keys
    offset = q * n_keys
    for j in range(key_indptr[key], key_indptr[key + 1]):
        r = key_rels[j]
        top = parent[r]
        for m in range(rel_indptr[r], rel_indptr[r + 1]):
            member = rel_members[m]
            if member == key:
                continue
            # the bound of the member that read this one: the same bound between a total and
            # its parts, the other bound between two parts
            bound = b if (member == top or key == top) else 1 - b
            c = offset + member
            if reasons[bound, c] == RELATION and causes[bound, c] == r:
                n_out = _reach(bound * n_entries + c, seen, out, n_out)
    for j in range(reader_indptr[q], reader_indptr[q + 1]):
        c = reader_other[j] * n_keys + key
        if reasons[b, c] == CELL and causes[b, c] == reader_indicator[j]:
            n_out = _reach(b * n_entries + c, seen, out, n_out)
    column = column_of_key[key]
    n_columns = slots.shape[0]
    if column >= 0 and by_periods[q * n_columns + column]:
        width = slots.shape[1]
        for p in range(width + quarter_slots.shape[1]):
            k = slots[column, p] if p < width else quarter_slots[column, p - width]
            if k < 0:
                continue
            c = offset + k
            for bound in range(2):
                if reasons[bound, c] == PERIODS:
                    n_out = _reach(bound * n_entries + c, seen, out, n_out)
    return n_out


#: bounds a task of the dependents walk expands, and tasks in one wave
_TASK = 32
_WAVE = 256


@njit(cache=True, parallel=True)
def dependents(codes, n_keys, n_q, reasons, causes, rel_indptr, rel_members, parent, key_indptr, key_rels,
               reader_indptr, reader_indicator, reader_other, column_of_key, slots, quarter_slots, seen):
    """The bounds that rest, over the recorded steps, on the given ones: `codes` are
    bound × N + entry (bound 0 low, 1 high; N entries), and so is the sorted result (the codes
    included). A relation's total takes each bound from the same bound of its parts; a part its
    low from the total's low and the other parts' highs, its high from the total's high and the
    other parts' lows; a cell's numerator and denominator bound each other bound for bound; a
    period step reads whether every entry of its column is known (both bounds).

    A breadth-first walk, level by level: each level's bounds are cut into tasks of a few, the
    tasks run in parallel (in waves, each task writing what it reaches into its own part of one
    buffer), and what they reach is the next level. Two tasks may reach the same bound at once
    and both list it: it is then walked twice, to the same effect. What is reached is a closure,
    the same in any order. `seen` is a scratch bool array of size 2N, all False, left so."""
    n_entries = reasons.shape[1]
    # the (count, column) pairs holding a bound set by the period algebra (few): only their
    # columns are looked through
    n_columns = slots.shape[0]
    by_periods = np.zeros(n_q * n_columns, np.bool_)
    for q in prange(n_q):
        for key in range(n_keys):
            column = column_of_key[key]
            e = q * n_keys + key
            if column >= 0 and (reasons[0, e] == PERIODS or reasons[1, e] == PERIODS):
                by_periods[q * n_columns + column] = True
    # the most bounds one bound can lead to: the other members of its relations, its readers,
    # both bounds of its period column
    widest = 0
    for key in range(n_keys):
        reach = 0
        for j in range(key_indptr[key], key_indptr[key + 1]):
            r = key_rels[j]
            reach += rel_indptr[r + 1] - rel_indptr[r] - 1
        widest = max(widest, reach)
    most_readers = 0
    for q in range(n_q):
        most_readers = max(most_readers, reader_indptr[q + 1] - reader_indptr[q])
    widest += most_readers + 2 * (slots.shape[1] + quarter_slots.shape[1])
    task_room = _TASK * widest
    buffer = np.empty(_WAVE * task_room, np.int64)
    found = np.zeros(_WAVE, np.int64)
    reached = np.empty(max(1024, 2 * codes.size), np.int64)  # every bound reached, in order
    n_reached = 0
    for code in codes:
        if not seen[code]:
            seen[code] = True
            reached, n_reached = _append(reached, n_reached, code)
    level_start, level_end = 0, n_reached
    while level_end > level_start:
        for wave in range(level_start, level_end, _WAVE * _TASK):
            n_tasks = (min(level_end - wave, _WAVE * _TASK) + _TASK - 1) // _TASK
            for t in prange(n_tasks):
                at = t * task_room
                for i in range(wave + t * _TASK, min(level_end, wave + (t + 1) * _TASK)):
                    at = _readers_of(reached[i], n_entries, n_keys, reasons, causes, rel_indptr, rel_members, parent,
                                     key_indptr, key_rels, reader_indptr, reader_indicator, reader_other,
                                     column_of_key, slots, quarter_slots, by_periods, seen, buffer, at)
                found[t] = at - t * task_room
            for t in range(n_tasks):
                for i in range(t * task_room, t * task_room + found[t]):
                    reached, n_reached = _append(reached, n_reached, buffer[i])
        level_start, level_end = level_end, n_reached
    result = np.unique(reached[:n_reached])
    for code in result:
        seen[code] = False
    return result


def carried_states(present, hidden, values, numerator_q, denominator_q):
    """Q×K per (count, key), over the cells carrying the count (its indicators' numerators and
    denominators): `read_off`, some carrying cell is shown or absent (so the count is known); and
    `shown`, every carrying cell is present, some is shown, and the count is positive (hiding it
    hides something). Count-major, as the attacker keeps its entries. (The arrays are NumPy's,
    which asks the system for large pages: fewer page faults than arrays made in compiled code.)"""
    n_keys = present.shape[0]
    n_q = values.shape[1]
    read_off = np.empty((n_q, n_keys), np.bool_)
    shown = np.empty((n_q, n_keys), np.bool_)
    carried_states_at(present, hidden, values, numerator_q, denominator_q, np.arange(n_keys), read_off, shown)
    return read_off, shown


@njit(cache=True)
def _carrier_counts(numerator_q, denominator_q, n_q):
    """How many numerators and denominators of the catalogue are each count."""
    carriers = np.zeros(n_q, np.int64)
    for i in range(numerator_q.size):
        carriers[numerator_q[i]] += 1
        carriers[denominator_q[i]] += 1
    return carriers


@njit(cache=True, parallel=True)
def carried_states_at(present, hidden, values, numerator_q, denominator_q, keys, read_off, shown):
    """`carried_states` worked out again, in place, at the given keys (whose hidden cells changed)."""
    n_indicators = present.shape[1]
    n_q = values.shape[1]
    carriers = _carrier_counts(numerator_q, denominator_q, n_q)
    n_blocks = (keys.size + _BLOCK - 1) // _BLOCK
    for block in prange(n_blocks):
        concealed = np.zeros(n_q, np.int64)
        absent = np.zeros(n_q, np.int64)
        for t in range(block * _BLOCK, min(keys.size, (block + 1) * _BLOCK)):
            k = keys[t]
            concealed[:] = 0
            absent[:] = 0
            for i in range(n_indicators):
                for q in (numerator_q[i], denominator_q[i]):
                    if not present[k, i]:
                        absent[q] += 1
                    elif hidden[k, i]:
                        concealed[q] += 1
            for q in range(n_q):
                read_off[q, k] = concealed[q] < carriers[q] or carriers[q] == 0
                shown[q, k] = absent[q] == 0 and concealed[q] < carriers[q] and values[k, q] > 0


@njit(cache=True, parallel=True)
def quantity_values(numerator, denominator, numerator_q, denominator_q, n_q):
    """Q×K (count-major): the largest numerator or denominator of the indicators carrying each count."""
    n_keys, n_indicators = numerator.shape
    values = np.zeros((n_q, n_keys), np.int64)
    for k in prange(n_keys):  # a key's values are its own
        for i in range(n_indicators):
            values[numerator_q[i], k] = max(values[numerator_q[i], k], numerator[k, i])
            values[denominator_q[i], k] = max(values[denominator_q[i], k], denominator[k, i])
    return values


def starting_bounds(present, hidden, primary, neutral, latent, values, numerator_q, denominator_q, min_n, keys=None):
    """Q×K (low, high) before any reasoning (see `disclosure.starting_bounds`): count-major, as
    the attacker keeps its bounds. With `keys`, Q×len(keys): the bounds of those keys only."""
    n_q = values.shape[1]
    keys = np.arange(present.shape[0]) if keys is None else np.asarray(keys, np.int64)
    low, high = _unbounded(n_q, keys.size)
    everywhere = (values[~latent] > 0).all(axis=0) if (~latent).any() else np.ones(n_q, bool)
    _starting_bounds(present, hidden, primary, neutral, latent, values, numerator_q, denominator_q, min_n,
                     everywhere, keys, low, high)
    return low, high


@njit(cache=True)
def _unbounded(n_q, n_keys):
    """Q×K bounds 0 and ∞ (made here: NumPy's large-page arrays were slower to get once the
    memory is fragmented)."""
    return np.zeros((n_q, n_keys)), np.full((n_q, n_keys), np.inf)


@njit(cache=True, parallel=True)
def _starting_bounds(present, hidden, primary, neutral, latent, values, numerator_q, denominator_q, min_n,
                     everywhere, keys, low, high):
    """`starting_bounds` of `keys` into `low`/`high` (Q×len(keys), all 0 and ∞): the labels'
    bounds, ≥ 1 for a count positive at every published key (`everywhere`), the value where it
    is read off (some cell carrying it shown or absent, as in `carried_states`)."""
    n_indicators = present.shape[1]
    n_q = values.shape[1]
    carriers = _carrier_counts(numerator_q, denominator_q, n_q)
    n_blocks = (keys.size + _BLOCK - 1) // _BLOCK
    for block in prange(n_blocks):
        concealed = np.zeros(n_q, np.int64)
        for t in range(block * _BLOCK, min(keys.size, (block + 1) * _BLOCK)):
            k = keys[t]
            concealed[:] = 0
            for i in range(n_indicators):
                if present[k, i] and hidden[k, i]:
                    concealed[numerator_q[i]] += 1
                    concealed[denominator_q[i]] += 1
                    if not neutral[k, i]:
                        q = denominator_q[i]
                        if primary[k, i]:
                            high[q, t] = min(high[q, t], min_n - 1)
                        else:
                            low[q, t] = max(low[q, t], min_n)
            if latent[k]:
                continue
            for q in range(n_q):
                if everywhere[q]:
                    low[q, t] = max(low[q, t], 1.0)
                if concealed[q] < carriers[q] or carriers[q] == 0:  # read off
                    low[q, t] = values[k, q]
                    high[q, t] = values[k, q]


@njit(cache=True, parallel=True)
def period_bits(low, high, n_keys, slots, quarter_slots, has_quarters, columns, qs):
    """For each (column, count) pair: the bits of its known windows and of its known quarters (a
    quarter without a key is known empty; without latent quarters at all, the quarters of a window
    known to be zero), and whether the period algebra can tell anything more (some quarter known,
    and some window or quarter still open)."""
    n = columns.size
    windows = slots.shape[1]
    span = windows + 3
    known_bits = np.zeros(n, np.int64)
    quarter_bits = np.zeros(n, np.int64)
    work = np.zeros(n, np.bool_)
    for t in prange(n):
        c = columns[t]
        base = qs[t] * n_keys
        window_known = 0
        quarter_known = 0
        open_quarter = False
        for w in range(windows):
            k = slots[c, w]
            if k < 0 or low[base + k] == high[base + k]:
                window_known |= 1 << w
        if has_quarters:
            for f in range(span):
                k = quarter_slots[c, f]
                if k < 0 or low[base + k] == high[base + k]:
                    quarter_known |= 1 << f
                else:
                    open_quarter = True
        else:
            for w in range(windows):
                k = slots[c, w]
                if k < 0 or high[base + k] == 0:
                    for d in range(4):
                        quarter_known |= 1 << (w + d)
        known_bits[t] = window_known
        quarter_bits[t] = quarter_known
        work[t] = quarter_known != 0 and (window_known != (1 << windows) - 1 or open_quarter)
    return known_bits, quarter_bits, work


@njit(cache=True, parallel=True)
def given_away(low, high, n_keys, present, hidden, latent, denominator, numerator_q, denominator_q, min_n,
               recovered, disclosed, quarters):
    """K×I: the hidden cells whose two counts the attacker knows (`recovered`), of them those with
    n 1..min n − 1 (`disclosed`), and the latent quarter cells with n 1..min n − 1 it knows
    (`quarters`), into the three K×I arrays given (all False)."""
    n_indicators = present.shape[1]
    for k in prange(n_keys):
        for i in range(n_indicators):
            concealed = present[k, i] and hidden[k, i]
            if not (concealed or latent[k]):
                continue
            n_entry = numerator_q[i] * n_keys + k
            d_entry = denominator_q[i] * n_keys + k
            if low[n_entry] != high[n_entry] or low[d_entry] != high[d_entry]:
                continue
            small = 1 <= denominator[k, i] < min_n
            if concealed:
                recovered[k, i] = True
                disclosed[k, i] = small
            if latent[k] and small:
                quarters[k, i] = True


@njit(cache=True, parallel=True)
def cell_grids(keys, indicators, numerators, denominators, n_keys, n_indicators):
    """K×I numerator and denominator grids from cell rows (each (key, indicator) once; 0 elsewhere)."""
    numerator = np.zeros((n_keys, n_indicators), np.int64)
    denominator = np.zeros((n_keys, n_indicators), np.int64)
    for r in prange(keys.size):
        numerator[keys[r], indicators[r]] = numerators[r]
        denominator[keys[r], indicators[r]] = denominators[r]
    return numerator, denominator


@njit(cache=True)
def equal_column_classes(numerator, denominator):
    """The count each part is (I×2: numerator, denominator): parts whose columns are equal at every
    key are one count, numbered in order of first appearance (indicator by indicator, numerator
    first)."""
    n_keys, n_indicators = numerator.shape
    classes = np.full((n_indicators, 2), -1, np.int64)
    first_indicator = np.empty(2 * n_indicators, np.int64)  # where each class was first seen
    first_part = np.empty(2 * n_indicators, np.int64)
    n_classes = 0
    for i in range(n_indicators):
        for part in range(2):
            grid = numerator if part == 0 else denominator
            for c in range(n_classes):
                other = numerator if first_part[c] == 0 else denominator
                j = first_indicator[c]
                same = True
                for k in range(n_keys):
                    if grid[k, i] != other[k, j]:
                        same = False
                        break
                if same:
                    classes[i, part] = c
                    break
            if classes[i, part] < 0:
                classes[i, part] = n_classes
                first_indicator[n_classes] = i
                first_part[n_classes] = part
                n_classes += 1
    return classes
