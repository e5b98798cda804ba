"""The name evaluation's scoring (benchmarks/eval_privacy.py): a placeholder is located
exactly in the raw text, whatever characters it shares with the name it replaced."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _eval_privacy():
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("eval_privacy")
    finally:
        sys.path.remove(str(BENCH))


def test_a_name_holding_ming_is_scored_masked():
    score = _eval_privacy()._kept_and_names
    raw = "加工店系廖锦名所有，廖锦名是村民"
    kept, replaced = score(raw, "加工店系[姓名]所有，[姓名]是村民")
    assert replaced == [(4, 7), (10, 13)]
    assert not any(kept[4:7]) and not any(kept[10:13])
    assert all(kept[:4]) and all(kept[7:10])


def test_partial_masks_and_other_placeholders():
    score = _eval_privacy()._kept_and_names
    raw = "村民张名阳比，电话13812345678"
    kept, replaced = score(raw, "村民[姓名]比，电话[电话]")
    assert replaced == [(2, 5)]
    assert kept[5] and not any(kept[9:])
