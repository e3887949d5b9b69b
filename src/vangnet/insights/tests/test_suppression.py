"""Small-cell protection: no suppressed cell can be worked out from what is published."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from vangnet.insights.suppression import SUPPRESSED, ProtectedTable, suppress


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank, columns = 0, len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def recoverable_cells(published: list[list[int | str]], row_totals, column_totals) -> set:
    """What an attacker works out: the unknowns fixed by the row and column equations."""
    unknowns = [
        (i, j) for i, row in enumerate(published) for j, v in enumerate(row) if v == SUPPRESSED
    ]
    index = {cell: n for n, cell in enumerate(unknowns)}
    equations = []
    for i in range(len(published)):
        equations.append([Fraction(1 if c[0] == i else 0) for c in unknowns])
    for j in range(len(published[0])):
        equations.append([Fraction(1 if c[1] == j else 0) for c in unknowns])
    equations = [e for e in equations if any(e)]
    if not unknowns:
        return set()
    base = _rank(equations)
    found = set()
    for cell in unknowns:
        probe = [Fraction(1 if n == index[cell] else 0) for n in range(len(unknowns))]
        if _rank([*equations, probe]) == base:
            found.add(cell)
    return found


tables = st.integers(2, 6).flatmap(
    lambda rows: st.integers(2, 6).flatmap(
        lambda columns: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 60)),
                min_size=columns,
                max_size=columns,
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(values=tables, threshold=st.integers(2, 8))
def test_no_suppressed_cell_can_be_recovered_from_the_totals(values, threshold):
    table = ProtectedTable(
        id="t",
        title="t",
        row_title="r",
        row_labels=[str(i) for i in range(len(values))],
        column_labels=[str(j) for j in range(len(values[0]))],
        values=values,
        threshold=threshold,
    )
    published = [[table.cell(i, j) for j in range(len(values[0]))] for i in range(len(values))]
    # Every small cell is hidden ...
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert published[i][j] == SUPPRESSED
    # ... and none of the hidden cells follows from the published cells and totals.
    assert recoverable_cells(published, table.row_totals, table.column_totals) == set()


def test_a_lonely_small_cell_takes_the_smallest_neighbours_with_it():
    values = [
        [3, 40, 50],
        [20, 30, 60],
        [25, 35, 45],
    ]
    suppressed, primary = suppress(values, 5)
    assert primary == {(0, 0)}
    # The row and the column get a second hidden cell, and a fourth closes the rectangle.
    assert suppressed == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_published_table_keeps_the_true_totals():
    table = ProtectedTable(
        id="t",
        title="t",
        row_title="Vorm",
        row_labels=["a", "b"],
        column_labels=["x", "y"],
        values=[[2, 10], [7, 9]],
        threshold=5,
    )
    rows = list(table.published_rows("Totaal"))
    assert rows[0] == ["Vorm", "x", "y", "Totaal"]
    assert rows[1] == ["a", "x", "x", 12]
    assert rows[2] == ["b", "x", "x", 16]
    assert rows[3] == ["Totaal", 9, 19, 28]
