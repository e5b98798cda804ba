"""commlib's verbs for archives larger than one process: Dask frames, same results.

An optional part of commlib (``pip install commlib[dask]``), for ticket archives
kept as Parquet files by month or district and worked on a ``distributed`` cluster
(a ``LocalCluster`` on one machine, or a real cluster). Every function gives what
its pandas namesake gives on the same rows, bit for bit:

- :func:`read_tickets`: one partition per file, through :func:`commlib.read_tickets`.
- :func:`clean_tickets`: the per-row steps per partition; exact copies and repeat
  calls found across partitions by shuffling small key columns only. The hash salt
  must be given.
- :func:`pareto_table`, :func:`pareto_by`: counts per partition, ranked by
  :func:`commlib.pareto.pareto_table_from_counts`.
- :func:`share_trend`, :func:`rising_factors`: counts per partition, tested by
  :func:`commlib.trends.share_trend_from_counts`.
- :func:`theme_sample`, :func:`fit_themes`, :func:`assign_themes`: themes fitted on the
  tickets with the smallest row hash (the same tickets on any partitioning) and
  assigned per partition by ``predict``.
- :func:`near_miss_alerts`, :func:`link_sources`: the pandas functions per partition,
  after a shuffle that puts each community (with its places) in one partition; the
  period grid and time range are the whole table's.
- A Dask frame given to :func:`commlib.build_report` (or ``commlib report --engine
  dask``) is cleaned here, then its sections are built on the gathered clean tickets.

>>> import dask.dataframe as dd, pandas as pd
>>> ddf = dd.from_pandas(pd.DataFrame({"category": ["快递", "噪音", "快递"]}), npartitions=2)
>>> pareto_table(ddf)["category"].tolist()
['快递', '噪音']

Private modules: ``_read``, ``_clean`` (the driver; what runs on one partition is in
:mod:`commlib.clean._parts`, shared with the in-process cleaning in pieces), ``_identity`` (identity columns over all partitions), ``_pareto``,
``_themes``, ``_community`` (places and the shuffle by community), ``_alerts``,
``_sources``, ``_trends``.
"""

from commlib.dask._alerts import near_miss_alerts
from commlib.dask._clean import DaskCleanResult, clean_tickets
from commlib.dask._pareto import pareto_by, pareto_table
from commlib.dask._read import read_tickets
from commlib.dask._sources import link_sources
from commlib.dask._themes import assign_themes, fit_themes, theme_sample
from commlib.dask._trends import rising_factors, share_trend

__all__ = [
    "DaskCleanResult",
    "assign_themes",
    "clean_tickets",
    "fit_themes",
    "link_sources",
    "near_miss_alerts",
    "pareto_by",
    "pareto_table",
    "read_tickets",
    "rising_factors",
    "share_trend",
    "theme_sample",
]
