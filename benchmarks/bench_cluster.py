"""Time and size TicketClusterer on 1,000,000 generated tickets, next to the plain pipeline.

Stages (wall time each): tokenize + count (rjieba, all cores), TF-IDF, LSA (SVD learnt
on 50,000 tickets, applied to all), MiniBatchKMeans (k = 30), description (c-TF-IDF,
representatives, names). Peak memory is ``ru_maxrss`` of this process plus that of the
worker processes (their ``VmHWM``; tracemalloc misses NumPy and Rust memory); the
upper bound of the whole job adds them up as if all peaked at once.

In the same run, the plain pipeline (``TfidfVectorizer(tokenizer=jieba.lcut)`` +
``KMeans(30)``) is timed on 100,000 of the tickets and the per-ticket ratio printed.
Tokenizer throughput (characters per second) of rjieba and jieba is measured on a
20,000-ticket slice.

Generated texts are cached in the temp directory; generate them in a separate command
first so that the generator's memory is not counted:

    python benchmarks/bench_cluster.py --generate --n 1000000
    python benchmarks/bench_cluster.py --n 1000000

CPU seconds are printed next to wall time (per stage for this process, plus the
tokenizing workers): on a shared machine wall time mostly measures the neighbours.

Measured (load average 7-8 on the shared 2-core machine, before/after in the same
window, 200,000 tickets, k = 30): wall 35.4 -> 19.7 s, CPU 17.9 -> 10.0 s; k-means stage
19.0 -> 3.7 s (CPU 9.7 -> 2.0: one BLAS/OpenMP thread, refinement rounds on a sample
above 200,000), describe 5.0 -> 2.2 s; same labels. 1,000,000 tickets after (load 2.5-3):
61.4 s wall, 52.7 CPU-s (tokenize 19.7 s, of it 11.2 CPU-s in the two workers; k-means
32.1 s, 25.2 CPU-s: MiniBatchKMeans draws each batch with an O(n) weighted choice),
2.6 GB in this process; 3.1x faster (2.9x less CPU) per ticket than the plain pipeline
on 100,000. Then k-means learnt on the 200,000 rows the refinement draws (load 0.8-1):
1,000,000 tickets in 17.4 s wall, 23.0 CPU-s (tokenize 8.6 s, 11.0 CPU-s in the two
workers; tfidf 0.6, lsa 3.4, k-means 2.5, describe 2.1 s), 1.6 GB in this process;
7.0x faster (6.2x less CPU) per ticket than the plain pipeline on 100,000. Targets (10 s,
10x) not met: tokenizing alone is 8.6 s.

Then (same labels, load 1.2; before measured the same hour at load 0.8): 19.4 -> 17.1 s
wall, CPU 25.5 -> 23.6 s, this process 13.4 -> 10.9 CPU-s. Each tokenizing worker now
builds its chunk's n-grams and counts (the merge left to this process went from 3.4 to
0.7 CPU-s), unit rows are made in place (sklearn's ``normalize`` copied the 1,000,000 x
100 matrix), the refinement's sums reuse one float64 copy instead of one per round, and
the tokenizer filters segments with one dictionary lookup each. Tokenize 9.9 -> 7.5 s;
rjieba's segmenting alone is about 7.2 CPU-s of it (3.6 s on two cores), so 10 s
at a million tickets is not reachable by trimming commlib's own code.

Then (session 16, two runs each, load 0.8-1.0): 13.5 -> 11.7 s wall, CPU 18.9 -> 16.8 s;
9.5x faster per ticket than the plain pipeline on 100,000 (8.2x before). Three changes:
the tokenizing workers unpickle the letter-place cutter from ``commlib._textinput``
instead of ``commlib.cluster`` (which imported scikit-learn and matplotlib in each
worker: tokenize 6.4 -> 5.8 s); the theme names' check for personal names tags with
rjieba, as the privacy rules do, instead of loading jieba's tagger (describe 1.8 ->
1.5 s; the same theme names and top terms on the real TipDM messages at k = 20 and
auto, the bundled sample and 200,000 generated tickets); the cosine refinement learns
on 100,000 rows instead of 200,000 (k-means 2.3 -> 1.1 s; NMI over eight seeds in
``commlib/cluster/_helpers.py``). Still over 10 s: tokenizing is 5.8 s (rjieba alone
about 6.5 CPU-s per million tickets, 3.3 s on two cores) and the stages after it run
on one core.

Then (session 18, load 0.4-0.8): the same code ran 18.5-20.0 s on this machine, whose
speed had changed (session 16's commit 062d16e: 18.5 s the same hour). System time was
most of the stages after tokenizing: NumPy asks for huge pages for every array of 4 MiB
and more, and on this virtual machine a huge page's first touch can stall (400 MB of
``np.ones``: 4.0 s once, 0.07 s when pages are at hand, 0.16 s on ordinary pages).
``TicketClusterer.fit`` and ``predict`` now turn the hint off inside
(``commlib._util.small_pages``; a user's own ``NUMPY_MADVISE_HUGEPAGE`` wins): the
stages after tokenizing on cached counts 12.6-12.9 -> 6.2-6.3 s (same labels), the whole
run 20.0 -> 13.2 s wall (tokenize 6.9, tfidf 0.8, lsa 2.0, k-means 1.1, describe 2.1),
10.0x faster per ticket than the plain pipeline on 100,000 (which keeps NumPy's default)
in the same run, 8.0x less CPU. Then the workers look each distinct segment up once
(tokenize 6.9 -> 6.4 s, workers 12.1 -> 11.2 CPU-s) and each row's centre dot and
squared length come from one float64 copy (describe 2.1 -> 1.7 s): 12.4 s wall, 18.1
CPU-s, 10.7x faster per ticket than the plain pipeline in the same run, 8.5x less CPU.

Targets on a 2-core machine (issue 16): 1,000,000 tickets in <= 10 s with both cores
tokenizing, peak <= 4 GB, >= 10x faster per ticket than the plain pipeline.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def cache_path(n: int) -> Path:
    return Path(tempfile.gettempdir()) / f"commlib_bench_tickets_{n}.txt"


def generate(n: int) -> Path:
    import commlib as cl

    path = cache_path(n)
    chunk = 100_000
    with open(path, "w", encoding="utf-8") as fh:
        for i, start in enumerate(range(0, n, chunk)):
            df = cl.make_tickets(min(chunk, n - start), random_state=i)
            for t in df["text"].fillna("").to_numpy(dtype=object):
                fh.write(str(t).replace("\r", " ").replace("\n", " ") + "\n")
    return path


def load(n: int) -> list[str]:
    path = cache_path(n)
    if not path.exists():
        print(f"(no cache: generating {n} tickets in this process; peak memory includes it)")
        generate(n)
    return path.read_text(encoding="utf-8").splitlines()


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's live child processes (the loky
    tokenizing workers stay alive between calls, so ``RUSAGE_CHILDREN`` misses them)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for task in Path("/proc/self/task").iterdir():
        kids = (task / "children").read_text().split() if (task / "children").exists() else []
        for pid in kids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class StageClock:
    """Stands in for the estimator module's ``time``: each clock read also notes this
    process's CPU time, so each stage (read at its start and end) gets its CPU seconds."""

    def __init__(self):
        self.cpu = []

    def perf_counter(self) -> float:
        self.cpu.append(time.process_time())
        return time.perf_counter()

    def stage_cpu(self, stages) -> list:
        if len(self.cpu) != 2 * len(stages):
            return [float("nan")] * len(stages)
        return [b - a for a, b in zip(self.cpu[::2], self.cpu[1::2], strict=True)]


def rss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def chars_per_second(texts, backend: str) -> float:
    from commlib.text import Tokenizer

    tok = Tokenizer(backend=backend)
    tok("预热")
    t0 = time.perf_counter()
    for t in texts:
        tok(t)
    return sum(map(len, texts)) / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--k", type=int, default=30)
    ap.add_argument("--plain-n", type=int, default=100_000)
    ap.add_argument("--generate", action="store_true", help="only write the text cache")
    ap.add_argument(
        "--auto-k",
        action="store_true",
        help="only compare the fit with n_clusters='auto' against the fit at --k "
        "(target: auto costs at most ~3x the fixed-k fit at 100,000 tickets)",
    )
    args = ap.parse_args()
    if args.generate:
        print(f"wrote {generate(args.n)}")
        return

    import jieba

    jieba.setLogLevel(logging.WARNING)
    from commlib.cluster import TicketClusterer
    from commlib.text import available_backends

    texts = load(args.n)
    n_chars = sum(map(len, texts))
    print(
        f"{len(texts):,} tickets, {n_chars / len(texts):.1f} characters each; "
        f"{len(os.sched_getaffinity(0))} cores; load average {os.getloadavg()[0]:.1f}"
    )
    base = rss_mb(resource.RUSAGE_SELF)
    if args.auto_k:
        return auto_k_cost(texts, args.k)

    # ---- commlib on all tickets
    import commlib.cluster._estimator as est

    clock = StageClock()
    est.time = clock
    t0, c0, w0 = time.perf_counter(), time.process_time(), children_cpu()
    try:
        tc = TicketClusterer(args.k, n_components=100, min_cluster_size=0, progress=False)
        tc.fit(texts)
    finally:
        est.time = time
    total = time.perf_counter() - t0
    cpu_self, cpu_workers = time.process_time() - c0, children_cpu() - w0
    print(f"\nTicketClusterer(k={args.k}) on {len(texts):,} tickets (wall; CPU of this process)")
    stage_cpu = clock.stage_cpu(tc.timings_)
    for (stage, sec), cpu in zip(tc.timings_.items(), stage_cpu, strict=True):
        extra = f" + workers {cpu_workers:.1f} s" if stage == "tokenize" else ""
        print(f"  {stage:<10} {sec:7.1f} s   CPU {cpu:5.1f} s{extra}")
    print(
        f"  {'total':<10} {total:7.1f} s   ({len(texts) / total:,.0f} tickets/s, "
        f"{n_chars / total / 1e6:.2f} M chars/s)"
    )
    cpu = cpu_self + cpu_workers
    print(
        f"  CPU        {cpu:7.1f} s   (this process {cpu_self:.1f} s, tokenizing workers "
        f"{cpu_workers:.1f} s; wall / CPU shows how busy the machine was)"
    )
    print(f"  vocabulary {len(tc.vocabulary_):,} terms; largest theme: {tc.names_[0]}")

    # Workers' own peaks: VmHWM of each child process (peak RSS since its exec), read
    # before they are shut down; ru_maxrss of children would also count the pages a
    # forked child shares with this process before exec.
    workers = []
    for task in Path("/proc/self/task").iterdir():
        kids = (task / "children").read_text().split() if (task / "children").exists() else []
        for pid in kids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            hwm = [line for line in status.splitlines() if line.startswith("VmHWM")]
            if hwm:
                workers.append(int(hwm[0].split()[1]) / 1024)
    self_peak = rss_mb(resource.RUSAGE_SELF)
    print(
        f"  peak memory: this process {self_peak:,.0f} MB (of which texts loaded: "
        f"{base:,.0f} MB); worker peaks {', '.join(f'{w:,.0f}' for w in workers) or 'n/a'} MB;"
        f" upper bound of the whole job {self_peak + sum(workers):,.0f} MB"
    )

    # ---- plain pipeline on a slice, same run
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    m = min(args.plain_n, len(texts))
    sub = texts[:m]
    jieba.initialize()
    t0, c0 = time.perf_counter(), time.process_time()
    X = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None).fit_transform(sub)
    t_vec = time.perf_counter() - t0
    KMeans(args.k, random_state=0).fit(X)
    t_plain, c_plain = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"\nplain TfidfVectorizer(jieba.lcut) + KMeans({args.k}) on {m:,} tickets: "
        f"{t_plain:.1f} s (vectorize {t_vec:.1f} s), CPU {c_plain:.1f} s"
    )
    ratio = (t_plain / m) / (total / len(texts))
    print(
        f"per-ticket wall: plain {t_plain / m * 1e6:.0f} us, commlib {total / len(texts) * 1e6:.0f}"
        f" us -> commlib is {ratio:.1f}x faster per ticket"
    )
    print(
        f"per-ticket CPU: plain {c_plain / m * 1e6:.0f} us, commlib {cpu / len(texts) * 1e6:.0f}"
        f" us -> {(c_plain / m) / (cpu / len(texts)):.1f}x less CPU per ticket"
    )

    # ---- tokenizer throughput
    sl = texts[:20_000]
    print("\nsegmenter throughput (one core, with commlib's filtering):")
    for backend in available_backends():
        print(f"  {backend:<7} {chars_per_second(sl, backend) / 1e6:.2f} M chars/s")
    print(
        f"\nload average at the end {os.getloadavg()[0]:.1f} (2 means both cores busy "
        f"with other work too)"
    )


def auto_k_cost(texts, k):
    """Time the fit at a fixed k and with n_clusters='auto' on the same tickets."""
    from commlib.cluster import TicketClusterer

    times = {}
    for label, n_clusters in ((f"k={k}", k), ("auto", "auto")):
        t0 = time.perf_counter()
        tc = TicketClusterer(n_clusters, min_cluster_size=0, progress=False).fit(texts)
        times[label] = time.perf_counter() - t0
        print(f"  {label:<6} {times[label]:7.1f} s  (k = {tc.n_clusters_})")
    print(f"  auto / fixed = {times['auto'] / times[f'k={k}']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
