"""PROMETHEE II's unicriterion net flows by sorting, for one matrix or many; all pairs as the
reference.

Kernels: clean arrays assumed (``signed`` is the 1-5 matrix with cost criteria negated),
thresholds validated by :func:`scoring.methods.promethee.promethee_thresholds`. Here because
the sorted forms are long and have nothing to do with how the method is named, set or
explained. :func:`promethee_flows` (one matrix, optionally with moved rows: the single
ranking and its intervals) and :func:`promethee_flows_batched` (stacks of drawn matrices:
SMAA) both sort, O(n log n) per criterion; :func:`promethee_flows_pairwise` compares all
n^2 pairs and is kept as the definition the sorted forms are tested against.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "preference_degree",
    "promethee_flows",
    "promethee_flows_batched",
    "promethee_flows_pairwise",
]

# PROMETHEE compares all pairs: work on blocks of rows so a block's (rows x n x m) difference
# array stays near this many elements (16 MB of float64) however large the catalog.
_BLOCK_ELEMENTS = 2_000_000
# promethee_flows_batched sorts rows of this many values per block (64k values, 512 KB of
# float64: blocks that stay in cache ran faster than larger ones), and searches rows laid
# end to end whose shifted values stay below _SEARCH_SPAN (float spacing there: 2.3e-13).
_SORTED_BLOCK = 2**16
_SEARCH_SPAN = 2.0**10


def preference_degree(d: np.ndarray, kind: str, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Preference degree in 0..1 of a difference ``d`` (last axis = criteria)."""
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "u_shape":
        return (d > q).astype(float)
    if kind == "v_shape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    return np.clip((d - q) / (p - q), 0.0, 1.0)  # linear


def promethee_flows_pairwise(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Unicriterion net flows (n x m, each in -1..1) by comparing every pair: the definition.

    Kernel: ``signed`` is the 1-5 matrix with cost criteria negated; thresholds validated.
    ``phi_c(i) = sum_j [P_c(x_ic - x_jc) - P_c(x_jc - x_ic)] / (n - 1)``; the PROMETHEE II
    net flow under weights w is ``flows @ w``. With ``moved``, row i's flows are those of
    ``moved[i]`` compared with every other row's values (used for the intervals). Rows are
    processed in blocks so memory stays bounded, but time grows as n^2: no user path calls
    this; it is the reference :func:`promethee_flows` is tested against.
    """
    count, criteria = signed.shape
    q = np.broadcast_to(np.asarray(q, dtype=float), (criteria,))
    p = np.broadcast_to(np.asarray(p, dtype=float), (criteria,))
    own = signed if moved is None else moved
    flows = np.zeros((count, criteria))
    if count < 2:
        return flows
    block = max(1, _BLOCK_ELEMENTS // (count * criteria))
    for start in range(0, count, block):
        stop = min(start + block, count)
        d = own[start:stop, None, :] - signed[None, :, :]
        net = preference_degree(d, preference, q, p) - preference_degree(-d, preference, q, p)
        flows[start:stop] = net.sum(axis=1)
    if moved is not None:  # drop each row's comparison with its own unmoved self
        d_self = moved - signed
        flows -= preference_degree(d_self, preference, q, p) - preference_degree(
            -d_self, preference, q, p
        )
    return flows / (count - 1)


def promethee_flows(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Unicriterion net flows (n x m, each in -1..1) of raw scores with larger = better.

    Kernel: as :func:`promethee_flows_pairwise`, same arguments and result, but each criterion's
    values are sorted once and every row's flow is read off the sorted column: counts of the
    values beyond its breakpoints (d = q and d = p on either side) and, for the ramps, prefix
    sums; O(n log n) per criterion. Counts are exactly those the pairwise form makes (its
    differences rounded to floats, then compared; ties included), so the flows agree with it
    to float noise from the prefix sums (below 1e-14 on the 1-5 scale; tested to 1e-12).
    """
    count, criteria = signed.shape
    q = np.broadcast_to(np.asarray(q, dtype=float), (criteria,))
    p = np.broadcast_to(np.asarray(p, dtype=float), (criteria,))
    own = signed if moved is None else moved
    flows = np.zeros((count, criteria))
    if count < 2:
        return flows
    if preference == "v_shape":  # no indifference threshold: the ramp starts at d = 0
        q = np.zeros(criteria)
    columns = np.ascontiguousarray(signed.T, dtype=float)
    own_columns = columns if moved is None else np.ascontiguousarray(own.T, dtype=float)
    for c in range(criteria):
        # Sorted queries keep the binary searches in cache: 5-9 times faster than unsorted.
        order = np.argsort(columns[c], kind="stable")
        column = columns[c][order]
        if moved is not None:
            order = np.argsort(own_columns[c], kind="stable")
        queries = column if moved is None else own_columns[c][order]
        flows[order, c] = _column_sums(column, queries, preference, q[c], p[c])
    if moved is not None:  # drop each row's comparison with its own unmoved self
        d_self = moved - signed
        flows -= preference_degree(d_self, preference, q, p) - preference_degree(
            -d_self, preference, q, p
        )
    return flows / (count - 1)


def _column_sums(
    column: np.ndarray, queries: np.ndarray, preference: str, q: float, p: float
) -> np.ndarray:
    """``sum_j P(y - x_j) - P(x_j - y)`` for each query y against a sorted column x."""
    runs = _runs(column)
    if preference == "usual":
        below, above = _counts(column, queries, 0.0, runs)
        return (below - above).astype(float)
    if preference == "u_shape":
        below, above = _counts(column, queries, q, runs)
        return (below - above).astype(float)
    if preference == "level":
        below_q, above_q = _counts(column, queries, q, runs)
        below_p, above_p = _counts(column, queries, p, runs)
        return 0.5 * (below_q - above_q + below_p - above_p)
    # linear (and v_shape, q = 0): full preference beyond p, a ramp between q and p whose sum
    # over consecutive sorted values is a difference of prefix sums.
    count = len(column)
    below_q, above_q = _counts(column, queries, q, runs)
    below_p, above_p = _counts(column, queries, p, runs)
    prefix = np.zeros(count + 1)
    np.cumsum(column, out=prefix[1:])
    ramp = (below_q - below_p) * (queries - q) - (prefix[below_q] - prefix[below_p])
    ramp -= prefix[count - above_p] - prefix[count - above_q]
    ramp += (above_q - above_p) * (queries + q)
    ramp /= p - q
    ramp += below_p - above_p
    return ramp


def _runs(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position of a sorted column, where its run of equal values starts and ends
    (one past its last position)."""
    starts, after = _strictly(column[None, :])
    return starts[0], len(column) - after[0]


def _counts(
    column: np.ndarray, queries: np.ndarray, threshold: float, runs: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """For each query y, how many x_j of the sorted column have y - x_j > t and how many have
    x_j - y > t, the differences rounded to floats as :func:`promethee_flows_pairwise` does.

    Binary search finds the counts up to rounding of y -/+ t; a count is then checked against
    the pairwise comparison at its boundary and moved a whole run of ties at a time, so ties
    (integer scores) cost nothing extra and rounding cases cost a step or two.
    """
    count = len(column)
    starts, ends = runs
    below = np.searchsorted(column, queries - threshold, side="left")
    _settle_counts(below, lambda j, i: queries[i] - column[j] > threshold, starts, ends, count)
    # x_j - y > t holds on a suffix: find where it starts, as a count of values before it.
    first = np.searchsorted(column, queries + threshold, side="right")
    _settle_counts(first, lambda j, i: ~(column[j] - queries[i] > threshold), starts, ends, count)
    return below, count - first


def _settle_counts(
    counts: np.ndarray,
    passes: Callable[[np.ndarray, np.ndarray], np.ndarray],
    starts: np.ndarray,
    ends: np.ndarray,
    count: int,
) -> None:
    """Move each count (in place) until the values before it pass and the one at it fails.

    ``passes(j, i)`` tells whether column position j passes for query i; it holds on a prefix
    of the sorted column. Values in one run of ties pass or fail together, so a count moves a
    run at a time.
    """
    todo = np.flatnonzero(counts < count)
    while len(todo):  # too few: the value at the count passes
        todo = todo[passes(counts[todo], todo)]
        counts[todo] = ends[counts[todo]]
        todo = todo[counts[todo] < count]
    todo = np.flatnonzero(counts > 0)
    while len(todo):  # too many: the value before the count fails
        todo = todo[~passes(counts[todo] - 1, todo)]
        counts[todo] = starts[counts[todo] - 1]
        todo = todo[counts[todo] > 0]


def promethee_flows_batched(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
) -> np.ndarray:
    """Unicriterion net flows of many score matrices at once: each as :func:`promethee_flows`.

    Kernel: ``signed`` is a stack of 1-5 matrices with cost criteria negated (... x n x m,
    finite), thresholds validated; returns flows of the same shape. Instead of comparing all
    n^2 pairs, each criterion's n values in each matrix are sorted once (O(n log n)). Every
    preference function is a sum of steps and ramps in the difference d, so a value's flow
    is counts and prefix sums of the sorted values up to its breakpoints (d = q and d = p on
    either side). Every function counts exactly the pairs :func:`promethee_flows_pairwise`
    counts, ties and float rounding of d included, so a matrix's flows do not depend on the
    others in the stack (the sorted search shifts rows by amounts that depend on the block,
    and its rounding is settled pair by pair). The flows agree with the pairwise form to
    float noise from the prefix sums (below 1e-14 on the 1-5 scale; tested to 1e-12).
    """
    count, criteria = signed.shape[-2:]
    flows = np.zeros(signed.shape)
    if count < 2 or flows.size == 0:
        return flows
    q = np.broadcast_to(np.asarray(q, dtype=float), (criteria,))
    p = np.broadcast_to(np.asarray(p, dtype=float), (criteria,))
    if preference == "v_shape":  # no indifference threshold: the ramp starts at d = 0
        q = np.zeros(criteria)
    matrices = np.reshape(signed, (-1, count, criteria))
    out = flows.reshape(matrices.shape)  # a view: filling out fills flows
    block = max(1, _SORTED_BLOCK // (count * criteria))  # whole matrices per block
    q_rows, p_rows = np.tile(q, block), np.tile(p, block)
    for start in range(0, len(matrices), block):
        part = matrices[start : start + block]
        # One row per matrix and criterion (transposed block by block, in cache).
        rows = np.swapaxes(part, 1, 2).reshape(-1, count).astype(float)
        sums = _net_sums(rows, preference, q_rows[: len(rows)], p_rows[: len(rows)])
        sums /= count - 1
        out[start : start + block] = np.swapaxes(sums.reshape(len(part), criteria, count), 1, 2)
    return flows


def _net_sums(rows: np.ndarray, preference: str, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``sum_j P(x_i - x_j) - P(x_j - x_i)`` for each value of each row (rows x n), with
    thresholds per row: sort, work on the sorted values, put the sums back in place."""
    count = rows.shape[1]
    order = np.argsort(rows, axis=1)
    order += np.arange(len(rows))[:, None] * count  # flat positions
    values = rows.ravel()[order]
    if preference in ("usual", "u_shape", "level"):
        steps = {"usual": [(1.0, np.zeros(len(rows)))], "u_shape": [(1.0, q)]}
        net = np.zeros(values.shape)
        for share, threshold in steps.get(preference, [(0.5, q), (0.5, p)]):
            below, above = _beyond(values, threshold)
            net += share * (below - above)
    else:
        net = _ramp_sums(values, q, p)
    sums = np.empty(rows.size)
    sums[order.ravel()] = net.ravel()
    return sums.reshape(rows.shape)


def _ramp_sums(values: np.ndarray, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Net sums of the linear preference function (v_shape is q = 0) on sorted rows.

    With ``below_t`` the number of values more than t below a value x and ``above_t`` the
    number more than t above it, ``sum_j P(x - x_j)`` is ``below_p`` plus, over the
    ``below_q - below_p`` values in the ramp, ``(x - x_j - q) / (p - q)``; those values are
    consecutive in the sorted row, so their sum is a difference of prefix sums. Likewise
    ``sum_j P(x_j - x)`` with ``above``.
    """
    rows, count = values.shape
    below_q, above_q = _beyond(values, q)
    below_p, above_p = _beyond(values, p)
    prefix = np.zeros((rows, count + 1))
    np.cumsum(values, axis=1, out=prefix[:, 1:])
    flat, first = prefix.ravel(), np.arange(rows)[:, None] * (count + 1)

    def total(upto: np.ndarray) -> np.ndarray:  # sum of each row's first ``upto`` values
        return np.take(flat, upto + first)

    q_col, p_col = q[:, None], p[:, None]
    ramp = (below_q - below_p) * (values - q_col) - (total(below_q) - total(below_p))
    ramp -= total(count - above_p) - total(count - above_q)
    ramp += (above_q - above_p) * (values + q_col)
    ramp /= p_col - q_col
    ramp += below_p - above_p
    return ramp


def _beyond(values: np.ndarray, threshold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value x of each sorted row, how many values of the row lie more than the
    row's threshold t below x (x - x_j > t) and how many more than t above it: exactly the
    pairs :func:`promethee_flows_pairwise` counts, its differences rounded to floats."""
    if not threshold.any():
        return _strictly(values)
    below = _settle(values, threshold, _below(values, threshold))
    return below, _mirror(below)


def _strictly(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value of each sorted row, how many values are strictly below and strictly
    above it: where its run of ties starts, and the row's length minus where it ends."""
    count = values.shape[1]
    new = values[:, 1:] != values[:, :-1]  # column j + 1 starts a run
    starts = np.zeros(values.shape, dtype=np.intp)
    np.multiply(new, np.arange(1, count), out=starts[:, 1:])
    np.maximum.accumulate(starts, axis=1, out=starts)
    ends = np.full(values.shape, count, dtype=np.intp)
    np.copyto(ends[:, :-1], np.arange(1, count), where=new)  # column j ends a run
    ends = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1]
    return starts, count - ends


def _below(values: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """For each value x of each sorted row, about how many values lie more than the row's
    threshold t > 0 below it (see :func:`_beyond`)."""
    rows, count = values.shape
    # Rows laid end to end, each shifted into its own band of ``width``, make one sorted
    # array; the position of x - t in it, interpolated, rounded up, is the count. np.interp
    # starts each search from the previous one, so sorted keys cost about O(1) each: 2.5
    # times faster than np.searchsorted here. Shifting rounds, so ``step`` rows at a time:
    # shifted values stay below _SEARCH_SPAN.
    low = float(values[:, 0].min() - threshold.max())
    width = 2.0 ** math.ceil(math.log2(float(values[:, -1].max()) - low + 1.0))
    step = max(1, int(_SEARCH_SPAN // width))
    bands = (np.arange(rows) % step)[:, None]
    shifted = values + (bands * width - low)
    keys = (shifted - threshold[:, None]).ravel()
    shifted, span = shifted.ravel(), step * count
    positions = np.arange(min(span, shifted.size), dtype=float)
    at = np.empty(shifted.size)
    for start in range(0, shifted.size, span):
        part = slice(start, start + span)
        at[part] = np.interp(keys[part], shifted[part], positions[: len(at[part])], left=0.0)
    below = np.ceil(at).astype(np.intp).reshape(values.shape)
    below -= bands * count
    return below


def _settle(values: np.ndarray, threshold: np.ndarray, below: np.ndarray) -> np.ndarray:
    """Make counts from :func:`_below` exact: ``below[i]`` values j with x_i - x_j > t as
    :func:`promethee_flows_pairwise` evaluates it (the difference rounded to a float, then
    compared).

    The comparison is monotone along a sorted row, so a count is exact when the value at
    position ``below`` fails it and the one before passes. Equal values pass or fail
    together, so counts that are not exact move a whole run of ties at a time: integer
    scores, whose interpolated counts land inside long runs, cost a step, not a run's length.
    """
    rows, count = values.shape
    flat, counts = values.ravel(), below.ravel()  # counts is a view: moved in place
    run_starts, after = _strictly(values)
    starts, ends = run_starts.ravel(), (count - after).ravel()
    limit = np.repeat(threshold, count)
    firsts = np.repeat(np.arange(rows) * count, count)  # flat position of each row's start

    def passes(todo: np.ndarray, at: np.ndarray) -> np.ndarray:
        return flat[todo] - flat[firsts[todo] + at] > limit[todo]

    todo = np.flatnonzero(counts < count)
    while len(todo):  # too few: the value at the count passes
        todo = todo[passes(todo, counts[todo])]
        counts[todo] = ends[firsts[todo] + counts[todo]]
        todo = todo[counts[todo] < count]
    todo = np.flatnonzero(counts > 0)
    while len(todo):  # too many: the value before the count fails
        todo = todo[~passes(todo, counts[todo] - 1)]
        counts[todo] = starts[firsts[todo] + counts[todo] - 1]
        todo = todo[counts[todo] > 0]
    return below


def _mirror(below: np.ndarray) -> np.ndarray:
    """From ``below`` (per sorted value, how many lie more than t below it), how many lie
    more than t above each value: value j counts the first ``below[j]`` values of its row,
    so value i is counted by every j with ``below[j] > i``."""
    rows, count = below.shape
    slots = below + np.arange(rows)[:, None] * (count + 1)
    tally = np.bincount(slots.ravel(), minlength=rows * (count + 1)).reshape(rows, count + 1)
    return count - np.cumsum(tally[:, :count], axis=1)
