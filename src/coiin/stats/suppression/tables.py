"""Linear tables: cells with counts, additive constraints and known inequalities."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .rules import Key, SuppressionError


@dataclass(frozen=True)
class LinearTable:
    """Cells with counts, additive constraints ``(total_key, [part keys])`` and known
    inequalities ``(lesser_key, greater_key)`` (e.g. ``(numerator, denominator)``)."""

    cells: Mapping[Key, int]
    constraints: Sequence[tuple[Key, Sequence[Key]]]
    inequalities: Sequence[tuple[Key, Key]] = ()

    def __post_init__(self) -> None:
        cells = dict(self.cells)
        for key, value in cells.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise SuppressionError(f"cell {key!r}: count must be an integer, got {value!r}")
            if value < 0:
                raise SuppressionError(f"cell {key!r}: count must not be negative, got {value}")
        for total, parts in self.constraints:
            for k in (total, *parts):
                if k not in cells:
                    raise SuppressionError(f"constraint on {total!r}: unknown cell {k!r}")
            if total in parts or len(set(parts)) != len(parts):
                raise SuppressionError(
                    f"constraint on {total!r}: a cell may appear only once"
                )
            if cells[total] != sum(cells[p] for p in parts):
                raise SuppressionError(
                    f"constraint on {total!r}: total {cells[total]} is not the sum of its "
                    f"parts ({sum(cells[p] for p in parts)})"
                )
        pairs = [(a, b) for a, b in self.inequalities]
        for a, b in pairs:
            for k in (a, b):
                if k not in cells:
                    raise SuppressionError(f"inequality {a!r} <= {b!r}: unknown cell {k!r}")
            if a == b:
                raise SuppressionError(f"inequality on {a!r}: needs two different cells")
            if cells[a] > cells[b]:
                raise SuppressionError(f"inequality {a!r} <= {b!r} does not hold: "
                                       f"{cells[a]} > {cells[b]}")
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "constraints", [(t, list(p)) for t, p in self.constraints])
        object.__setattr__(self, "inequalities", pairs)

    @property
    def keys(self) -> list[Key]:
        return list(self.cells)

    def matrix(self) -> sparse.csr_array:
        """One row per constraint: +1 for the total, -1 for each part."""
        index = {k: i for i, k in enumerate(self.cells)}
        rows, cols, vals = [], [], []
        for r, (total, parts) in enumerate(self.constraints):
            rows.append(r)
            cols.append(index[total])
            vals.append(1.0)
            for p in parts:
                rows.append(r)
                cols.append(index[p])
                vals.append(-1.0)
        shape = (len(self.constraints), len(self.cells))
        return sparse.csr_array((vals, (rows, cols)), shape=shape)

    def inequality_matrix(self) -> sparse.csr_array:
        """One row per inequality: +1 for the lesser cell, -1 for the greater (``G x <= 0``)."""
        index = {k: i for i, k in enumerate(self.cells)}
        rows, cols, vals = [], [], []
        for r, (a, b) in enumerate(self.inequalities):
            rows += [r, r]
            cols += [index[a], index[b]]
            vals += [1.0, -1.0]
        shape = (len(self.inequalities), len(self.cells))
        return sparse.csr_array((vals, (rows, cols)), shape=shape)

    def system(self) -> tuple[sparse.csr_array, np.ndarray]:
        """The equality system the engine works on: each inequality ``a <= b`` becomes
        ``b = a + s`` with a slack cell ``s = b - a >= 0`` appended after the cells.

        Returns the matrix and the counts, slacks last. The slacks are latent cells that need
        no protection of their own (they are only as secret as ``a`` and ``b`` are).
        """
        A = self.matrix()
        v = [self.cells[k] for k in self.cells]
        if not self.inequalities:
            return A, np.array(v, dtype=np.int64)
        n, k = len(v), len(self.inequalities)
        G = self.inequality_matrix()
        S = sparse.eye_array(k, format="csr")
        top = sparse.hstack([A, sparse.csr_array((A.shape[0], k))])
        # -G x - s = b - a - s = 0
        bottom = sparse.hstack([-G, -S])
        slack = [self.cells[b] - self.cells[a] for a, b in self.inequalities]
        M = sparse.vstack([top, bottom]).tocsr()
        assert M.shape == (A.shape[0] + k, n + k)
        return M, np.array(v + slack, dtype=np.int64)


def one_way_table(counts: Mapping[Key, int], total: Key = "total") -> LinearTable:
    """Strata and their published total (the total's key is ``total``)."""
    cells = dict(counts)
    if total in cells:
        raise SuppressionError(f"stratum key {total!r} clashes with the total's key")
    cells[total] = int(sum(cells.values()))
    return LinearTable(cells, [(total, list(counts))])


def two_way_table(
    # Any, not Key: a Mapping's key type is invariant, so Key would refuse dict[(str, str)].
    counts: Mapping[tuple[Any, Any], int] | np.ndarray,
    rows: Sequence[Key] | None = None,
    cols: Sequence[Key] | None = None,
) -> LinearTable:
    """A two-way table with its row totals, column totals and grand total.

    Keys: ``("cell", r, c)``, ``("row", r)``, ``("col", c)`` and ``("grand",)``. ``counts`` is
    a mapping ``(r, c) -> count`` (every combination present) or a 2-D array, whose labels are
    then ``rows``/``cols`` or 0, 1, ...
    """
    if isinstance(counts, np.ndarray):
        if counts.ndim != 2:
            raise SuppressionError("a two-way table needs a 2-D array")
        rows = list(range(counts.shape[0])) if rows is None else list(rows)
        cols = list(range(counts.shape[1])) if cols is None else list(cols)
        data = {(r, c): int(counts[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)}
    else:
        data = dict(counts)
        rows = list(dict.fromkeys(r for r, _ in data)) if rows is None else list(rows)
        cols = list(dict.fromkeys(c for _, c in data)) if cols is None else list(cols)
        for r in rows:
            for c in cols:
                if (r, c) not in data:
                    raise SuppressionError(f"missing cell row {r!r}, col {c!r}")
    cells: dict[Key, int] = {}
    for r in rows:
        for c in cols:
            cells[("cell", r, c)] = data[(r, c)]
    for r in rows:
        cells[("row", r)] = sum(data[(r, c)] for c in cols)
    for c in cols:
        cells[("col", c)] = sum(data[(r, c)] for r in rows)
    cells[("grand",)] = sum(data.values())
    cons: list[tuple[Key, list[Key]]] = []
    cons += [(("row", r), [("cell", r, c) for c in cols]) for r in rows]
    cons += [(("col", c), [("cell", r, c) for r in rows]) for c in cols]
    cons.append((("grand",), [("row", r) for r in rows]))
    cons.append((("grand",), [("col", c) for c in cols]))
    return LinearTable(cells, cons)


def array_table(counts: np.ndarray) -> LinearTable:
    """An n-way table of counts with every marginal total (of every subset of axes).

    Keys are index tuples in which ``None`` stands for "summed over this axis"; the grand
    total is ``(None,) * ndim``. For a 2-D array this is the same table as ``two_way_table``
    with different keys; a 3-D array is e.g. jurisdictions x months x strata.
    """
    a = np.asarray(counts)
    if a.ndim < 1:
        raise SuppressionError("need at least one axis")
    if not np.issubdtype(a.dtype, np.integer):
        if not np.all(np.equal(np.mod(a, 1), 0)):
            raise SuppressionError("counts must be integers")
        a = a.astype(np.int64)
    ranges = [[*range(n), None] for n in a.shape]
    keys = list(itertools.product(*ranges))
    cells: dict[Key, int] = {}
    for key in keys:
        sel = tuple(slice(None) if k is None else k for k in key)
        cells[key] = int(np.sum(a[sel]))
    cons: list[tuple[Key, list[Key]]] = []
    for key in keys:
        for axis, k in enumerate(key):
            if k is None:
                parts: list[Key] = [key[:axis] + (i,) + key[axis + 1:]
                                    for i in range(a.shape[axis])]
                cons.append((key, parts))
    return LinearTable(cells, cons)
