"""Pareto analysis: which few causes make most of the tickets, and did an action shrink them.

The functions work on raw ticket rows (one row per ticket) or on pre-counted input
(pass the count column as ``weight=``), and on any column: categories, departments,
communities or integer cluster labels.

- :func:`pareto_table` ranks the values of one column, with shares, cumulative shares
  and the "vital few"; :func:`pareto_chart` draws it.
- :func:`pareto_by` and :func:`pareto_by_chart` do the same per community or per month.
- :func:`compare_pareto` measures a change between two periods (rates per day with an
  exact Poisson test, shares with a chi-square or Fisher test, Holm-adjusted), with a
  one-sentence summary per category; :func:`compare_pareto_chart` draws it.
- :func:`vital_few_test` asks whether the top causes really stand out from what evenly
  spread causes would give (Wilkinson's Pareto dot plot, by Monte Carlo).

Conventions shared by every function here
-----------------------------------------
- The ranking is deterministic: value descending, then label ascending.
- Missing values in ``by`` are never dropped silently. With ``dropna=False`` (the
  default) they form their own row labelled "(缺失)" ("(missing)" in English) that is
  ranked like any other category; with ``dropna=True`` they are left out and counted in
  ``attrs["excluded"]["missing_by"]``. Rows whose ``weight`` is missing are always left
  out and counted in ``attrs["excluded"]["missing_weight"]``.
- The input is never mutated.
"""

from commlib.pareto._charts import pareto_by_chart, pareto_chart
from commlib.pareto._compare import compare_pareto, compare_pareto_chart, describe_change
from commlib.pareto._table import pareto_by, pareto_table, pareto_table_from_counts
from commlib.pareto._vital import vital_few_test

__all__ = [
    "pareto_table",
    "pareto_table_from_counts",
    "pareto_chart",
    "pareto_by",
    "pareto_by_chart",
    "compare_pareto",
    "compare_pareto_chart",
    "describe_change",
    "vital_few_test",
]
