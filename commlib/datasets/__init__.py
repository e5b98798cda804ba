"""Synthetic 12345-hotline tickets: the generator and the bundled sample.

``make_tickets`` writes raw, dirty work orders for one fictional Shanghai block, with
four stories planted for the notebooks to find; ``make_events`` lists the dated
interventions and incidents behind them. ``load_sample`` reads the files bundled in
``data/sample/`` (or regenerates them when commlib is installed without the data) and
``write_sample`` writes them (``python -m commlib.datasets data/sample``).
Every record is invented; no real resident is described.
"""

from __future__ import annotations

from commlib.datasets._generator import make_events, make_tickets
from commlib.datasets._sample import SAMPLE_NAMES, load_sample, write_sample

__all__ = ["SAMPLE_NAMES", "load_sample", "make_events", "make_tickets", "write_sample"]
