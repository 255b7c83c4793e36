"""PROMETHEE II's unicriterion net flows: all pairs in blocks, or many matrices by sorting.

Kernels: clean arrays assumed (``signed`` is the 1-5 matrix with cost criteria negated),
thresholds validated by :func:`scoring.methods.promethee.promethee_thresholds`. Here because
the sorted, batched form (for SMAA's drawn scores) is long and has nothing to do with how
the method is named, set or explained.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["preference_degree", "promethee_flows", "promethee_flows_batched"]

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


def promethee_flows(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
    moved: np.ndarray | None = None,
) -> np.ndarray:
    """Unicriterion net flows (n x m, each in -1..1) of raw scores with larger = better.

    Kernel: ``signed`` is the 1-5 matrix with cost criteria negated; thresholds validated.
    ``phi_c(i) = sum_j [P_c(x_ic - x_jc) - P_c(x_jc - x_ic)] / (n - 1)``; the PROMETHEE II
    net flow under weights w is ``flows @ w``. With ``moved``, row i's flows are those of
    ``moved[i]`` compared with every other row's values (used for the intervals). Rows are
    processed in blocks so memory stays bounded.
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


def promethee_flows_batched(
    signed: np.ndarray,
    preference: str = "linear",
    q: np.ndarray | float = 0.0,
    p: np.ndarray | float = 2.0,
) -> np.ndarray:
    """Unicriterion net flows of many score matrices at once: :func:`promethee_flows` of each.

    Kernel: ``signed`` is a stack of 1-5 matrices with cost criteria negated (... x n x m,
    finite), thresholds validated; returns flows of the same shape. Instead of comparing all
    n^2 pairs, each criterion's n values in each matrix are sorted once (O(n log n)). Every
    preference function is a sum of steps and ramps in the difference d, so a value's flow
    is counts and prefix sums of the sorted values up to its breakpoints (d = q and d = p on
    either side). Every function counts exactly the pairs :func:`promethee_flows` counts,
    ties and float rounding of d included, so a matrix's flows do not depend on the others
    in the stack (the sorted search shifts rows by amounts that depend on the block, and its
    rounding is settled pair by pair). The flows agree with :func:`promethee_flows` to
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
    pairs :func:`promethee_flows` counts, its differences rounded to floats."""
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
    :func:`promethee_flows` evaluates it (the difference rounded to a float, then compared).

    The comparison is monotone along a sorted row, so a count is exact when the value at
    position ``below`` fails it and the one before passes; counts that are not move one
    position at a time (rarely needed: only for differences within rounding of t).
    """
    rows, count = values.shape
    flat, counts = values.ravel(), below.ravel()  # counts is a view: moved in place
    limit = np.repeat(threshold, count)
    firsts = np.repeat(np.arange(rows) * count, count)  # flat position of each row's start
    # Too few while the value at position ``below`` passes; too many while the one before
    # it fails. Checked for every count at once, then moved one position at a time.
    for step, probe_at in ((1, 0), (-1, -1)):
        probe = counts + probe_at
        inside = (probe >= 0) & (probe < count)
        np.clip(probe, 0, count - 1, out=probe)
        passes = flat - flat[firsts + probe] > limit
        todo = np.flatnonzero(inside & (passes if step == 1 else ~passes))
        while len(todo):
            counts[todo] += step
            probe = counts[todo] + probe_at
            inside = (probe >= 0) & (probe < count)
            todo, probe = todo[inside], probe[inside]
            passes = flat[todo] - flat[firsts[todo] + probe] > limit[todo]
            todo = todo[passes] if step == 1 else todo[~passes]
    return below


def _mirror(below: np.ndarray) -> np.ndarray:
    """From ``below`` (per sorted value, how many lie more than t below it), how many lie
    more than t above each value: value j counts the first ``below[j]`` values of its row,
    so value i is counted by every j with ``below[j] > i``."""
    rows, count = below.shape
    slots = below + np.arange(rows)[:, None] * (count + 1)
    tally = np.bincount(slots.ravel(), minlength=rows * (count + 1)).reshape(rows, count + 1)
    return count - np.cumsum(tally[:, :count], axis=1)
