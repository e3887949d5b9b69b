"""Small-cell protection for published tables (primary and secondary suppression).

A table of counts is published with its row totals, column totals and grand total. Primary:
every cell above zero and below the threshold (default 5) is suppressed. Secondary: more
cells are suppressed until no suppressed cell can be worked out from the published cells and
totals. In the bipartite graph whose nodes are the rows and columns and whose edges are the
suppressed cells, a suppressed cell is determined by the totals exactly when its edge lies on
no cycle (the totals fix a value only where no "+d -d" exchange around a cycle is possible).
So we suppress until every suppressed cell lies on a cycle:

1. a row or column with exactly one suppressed cell gets a second one (that single cell
   would be its total minus the rest);
2. a suppressed cell that is a bridge of the graph gets a cycle: a cell joining the two sides
   (a row on one side, a column on the other) is suppressed too.

Cells chosen for secondary suppression are the smallest non-zero ones (zeros only where
nothing else is left), preferring rows and columns that already hold a suppressed cell, so
as little as possible is hidden. A zero is never primary: it reveals no one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Cell = tuple[int, int]


def _cost(
    values: list[list[int]], cell: Cell, touched: set[tuple[str, int]]
) -> tuple[int, int, int]:
    i, j = cell
    value = values[i][j]
    # Non-zero first (a suppressed zero protects little), then rows/columns already touched,
    # then the smallest value.
    return (1 if value == 0 else 0, -((("r", i) in touched) + (("c", j) in touched)), value)


def _component(edges: set[Cell], start: tuple[str, int]) -> set[tuple[str, int]]:
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        adjacent.setdefault(("r", i), []).append(("c", j))
        adjacent.setdefault(("c", j), []).append(("r", i))
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        for other in adjacent.get(node, []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _bridge(
    suppressed: set[Cell],
) -> tuple[Cell, set[tuple[str, int]], set[tuple[str, int]]] | None:
    for cell in sorted(suppressed):
        rest = suppressed - {cell}
        row_side = _component(rest, ("r", cell[0]))
        if ("c", cell[1]) not in row_side:
            return cell, row_side, _component(rest, ("c", cell[1]))
    return None


def suppress(values: list[list[int]], threshold: int) -> tuple[set[Cell], set[Cell]]:
    """(all suppressed cells, the primary ones) for a table of non-negative counts."""
    rows, columns = len(values), len(values[0]) if values else 0
    primary = {(i, j) for i in range(rows) for j in range(columns) if 0 < values[i][j] < threshold}
    suppressed = set(primary)
    if rows < 2 or columns < 2:
        # With one row, the column totals are the cells themselves: nothing can be hidden.
        raise ValueError("A protected table needs at least two rows and two columns.")
    while True:
        touched = {("r", i) for i, _ in suppressed} | {("c", j) for _, j in suppressed}
        lonely = _lonely_lines(suppressed, rows, columns)
        if lonely:
            kind, index = lonely
            candidates = (
                [(index, j) for j in range(columns)]
                if kind == "r"
                else [(i, index) for i in range(rows)]
            )
            options = [c for c in candidates if c not in suppressed]
            suppressed.add(min(options, key=lambda c: _cost(values, c, touched)))
            continue
        bridge = _bridge(suppressed)
        if bridge is None:
            return suppressed, primary
        _cell, side_a, side_b = bridge
        options = [
            (i, j)
            for kind_r, i in side_a | side_b
            if kind_r == "r"
            for kind_c, j in (side_b if ("r", i) in side_a else side_a)
            if kind_c == "c" and (i, j) not in suppressed
        ]
        suppressed.add(min(options, key=lambda c: _cost(values, c, touched)))


def _lonely_lines(suppressed: set[Cell], rows: int, columns: int) -> tuple[str, int] | None:
    for i in range(rows):
        if sum(1 for r, _ in suppressed if r == i) == 1:
            return "r", i
    for j in range(columns):
        if sum(1 for _, c in suppressed if c == j) == 1:
            return "c", j
    return None


SUPPRESSED = "x"


@dataclass
class ProtectedTable:
    """A table as published: suppressed cells shown as "x", totals of the true counts."""

    id: str
    title: str
    row_title: str
    row_labels: list[str]
    column_labels: list[str]
    values: list[list[int]]
    threshold: int
    suppressed: set[Cell] = field(default_factory=set)
    primary: set[Cell] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.suppressed, self.primary = suppress(self.values, self.threshold)

    def cell(self, i: int, j: int) -> int | str:
        return SUPPRESSED if (i, j) in self.suppressed else self.values[i][j]

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.values]

    @property
    def column_totals(self) -> list[int]:
        return [sum(row[j] for row in self.values) for j in range(len(self.column_labels))]

    @property
    def grand_total(self) -> int:
        return sum(self.row_totals)

    @property
    def display_rows(self) -> list[tuple[str, list[int | str], int]]:
        return [
            (label, [self.cell(i, j) for j in range(len(self.column_labels))], self.row_totals[i])
            for i, label in enumerate(self.row_labels)
        ]

    def published_rows(self, total_label: str) -> Iterable[list[int | str]]:
        """Header row, then one row per label with its total, then the totals row."""
        yield [self.row_title, *self.column_labels, total_label]
        for i, label in enumerate(self.row_labels):
            yield [
                label,
                *(self.cell(i, j) for j in range(len(self.column_labels))),
                self.row_totals[i],
            ]
        yield [total_label, *self.column_totals, self.grand_total]
