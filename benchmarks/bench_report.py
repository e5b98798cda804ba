"""Time and size the automatic report on generated tickets: file to HTML and XLSX.

Targets (issue 8 and issue 16): 100k tickets in 20 s on a two-core machine; the whole
report at 2,000,000 tickets within 3 GB peak (1.5 GB per million) and time(2M) /
time(1M) <= 2.3. For each size given on the command line it prints the time of each step
and each section (wall and CPU seconds of the whole process tree: cleaning runs joblib
worker processes), the peak resident memory of the process tree (this process and its
workers, sampled every 0.1 s with psutil) overall and per section, and at the end the
ratio of the times between consecutive sizes.

Run: ``python benchmarks/bench_report.py [N ...]`` (default 100000), e.g.
``python benchmarks/bench_report.py 200000 1000000 2000000``. Each size runs in its own
child process, one after the other, so one size's memory does not inflate the next.
Inputs are generated once into ``$COMMLIB_BENCH_DIR`` (default a temporary folder) as
Parquet with the 12345 headers; generating is not timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
# the commlib of this checkout, not the one the virtual environment was installed from
# (a worktree's benchmark measured the main checkout's code before)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS_100K = 20.0
TARGET_MIB_PER_MILLION = 1536.0
TARGET_RATIO = 2.3


class TreeSampler:
    """Sample the resident memory of this process and its children every ``every`` s.

    ``label`` names the step running now; :attr:`peaks` holds the peak per label.
    """

    def __init__(self, every: float = 0.1):
        import psutil

        self._proc = psutil.Process()
        self.every = every
        self.label = "start"
        self.peak = 0
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        import psutil

        total = 0
        procs = [self._proc]
        try:
            procs += self._proc.children(recursive=True)
        except psutil.Error:
            pass
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def cpu(self) -> float:
        """CPU seconds of this process and its children, live and finished."""
        import psutil

        t = self._proc.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        try:
            for c in self._proc.children(recursive=True):
                ct = c.cpu_times()
                total += ct.user + ct.system
        except psutil.Error:
            pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self.rss()
            self.peak = max(self.peak, rss)
            self.peaks[self.label] = max(self.peaks.get(self.label, 0), rss)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def generate(n: int, folder: Path) -> Path:
    path = folder / f"tickets_{n}.parquet"
    if not path.exists():
        import commlib as cl

        t = time.perf_counter()
        cl.make_tickets(n, random_state=0, headers="12345").to_parquet(path, index=False)
        print(f"  (generated {path.name} in {time.perf_counter() - t:.0f} s, not timed)")
    return path


def run_one(path: Path, out: Path) -> dict:
    """Read, clean, build, write: one size, in this process. Returns the figures."""
    from commlib._util import small_pages, use_system_allocator
    from commlib.clean._pieces import clean_read_pieces
    from commlib.io._pieces import read_pieces
    from commlib.report import build_report
    from commlib.report._model import UNREAD_COLUMNS, _dictionary_encoded, _without_unread

    steps: dict[str, tuple[float, float]] = {}
    sections: dict[str, tuple[float, float]] = {}
    with TreeSampler() as s:
        base = s.rss()
        t0, c0 = time.perf_counter(), s.cpu()

        def step(name, fn, *args, **kwargs):
            s.label = name
            t, c = time.perf_counter(), s.cpu()
            value = fn(*args, **kwargs)
            steps[name] = (time.perf_counter() - t, s.cpu() - c)
            return value

        # as `commlib report FILE` does: the headers are mapped and checked first, then
        # the Parquet file is read batch by batch while it is cleaned (clean_tickets's
        # results on read_tickets's table; the raw table is never held whole)
        use_system_allocator()  # as the CLI does before cleaning
        plan = step("read_tickets", read_pieces, path, columns="12345")
        cleaned = step("clean_tickets", clean_read_pieces, plan, leave_out=UNREAD_COLUMNS)
        del plan
        cleaned = _without_unread(cleaned)  # columns no section reads, as the CLI does
        size0 = cleaned.tickets.memory_usage(deep=True).sum()
        # repeated text columns as dictionaries, as the CLI does
        cleaned = step("dictionary_encode", _dictionary_encoded, cleaned)
        size1 = cleaned.tickets.memory_usage(deep=True).sum()
        sizes = (int(size0), int(size1))
        marks: list[tuple[str, float, float]] = []

        def progress(line: str) -> None:
            marks.append((line, time.perf_counter(), s.cpu()))
            s.label = "section: " + line
            # live on stderr: a run stopped midway still shows how far it went
            print(
                f"  [{time.perf_counter() - t0:7.1f} s, {s.cpu() - c0:7.1f} CPU s, now "
                f"{s.rss() / 1024**2:,.0f} MiB, peak {s.peak / 1024**2:,.0f} MiB] {line}",
                file=sys.stderr,
                flush=True,
            )

        with small_pages():  # as the CLI builds the sections (NumPy's huge-page hint off)
            report = step("build_report", build_report, cleaned, progress=progress)
        del cleaned
        step("to_html (+ privacy scan)", report.to_html, out / "report.html")
        step("to_xlsx (+ privacy scan)", report.to_xlsx, out / "report.xlsx")
        wall, cpu = time.perf_counter() - t0, s.cpu() - c0
    # section CPU from the progress marks (wall seconds come from the report itself)
    ends = marks[1:] + [(None, *_end_of_build(steps, marks))]
    for sec, (line, _, c), (_, _, c_next) in zip(report.sections, marks, ends, strict=False):
        sections[sec.id] = (sec.seconds, c_next - c, s.peaks.get("section: " + line, 0))
    return {
        "rows": report.meta["rows"],
        "wall": wall,
        "cpu": cpu,
        "peak": s.peak,
        "base": base,
        "steps": {k: (*v, s.peaks.get(k, 0)) for k, v in steps.items()},
        "sections": sections,
        "skipped": report.skipped,
        "clean_bytes": sizes,
    }


def _end_of_build(steps, marks):
    # the last section ends where build_report ended: approximate with its total
    wall, cpu = steps["build_report"]
    first_t, first_c = marks[0][1], marks[0][2]
    return first_t + wall, first_c + cpu


def show(n: int, r: dict) -> None:
    mib = 1024**2
    print(f"== {n:,} generated tickets ({r['rows']:,} reported)")
    print(f"  {'step':<28} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
    for name, (wall, cpu, peak) in r["steps"].items():
        print(f"  {name:<28} {wall:8.1f} {cpu:8.1f} {peak / mib:9,.0f}")
        if name == "build_report":
            for sec, (w, c, p) in r["sections"].items():
                print(f"    {sec:<26} {w:8.1f} {c:8.1f} {p / mib:9,.0f}")
    per_m = r["peak"] / mib / (n / 1e6)
    print(
        f"  total {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU; peak RSS of the process tree "
        f"{r['peak'] / mib:,.0f} MiB ({per_m:,.0f} MiB per million; target "
        f"{TARGET_MIB_PER_MILLION:,.0f}); before reading {r['base'] / mib:,.0f} MiB"
    )
    print(f"  skipped sections: {r['skipped'] or 'none'}")
    if "clean_bytes" in r:
        a, b = r["clean_bytes"]
        print(
            f"  clean tickets (deep memory_usage): {a / mib:,.0f} MiB as text, "
            f"{b / mib:,.0f} MiB with channel/category/department/status as dictionaries"
        )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    if os.environ.get("_COMMLIB_BENCH_CHILD"):
        path, n = Path(os.environ["_COMMLIB_BENCH_CHILD"]), sizes[0]
        with tempfile.TemporaryDirectory() as out:
            r = run_one(path, Path(out))
        print("RESULT " + json.dumps(r), flush=True)
        return
    print(f"bench_report: sizes {sizes}, {os.cpu_count()} cores")
    folder = os.environ.get("COMMLIB_BENCH_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(folder or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = {}
        for n in sizes:
            path = generate(n, folder)
            env = dict(os.environ, _COMMLIB_BENCH_CHILD=str(path))
            proc = subprocess.run(
                [sys.executable, __file__, str(n)],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
            if proc.returncode or not line:
                print(f"== {n:,}: the run failed (exit {proc.returncode})")
                continue
            results[n] = json.loads(line[0][len("RESULT ") :])
            show(n, results[n])
    done = sorted(results)
    for a, b in zip(done, done[1:], strict=False):
        ra, rb = results[a], results[b]
        target = f"; target <= {TARGET_RATIO}" if b == 2 * a else ""
        print(
            f"time({b:,}) / time({a:,}) = {rb['wall'] / ra['wall']:.2f} wall, "
            f"{rb['cpu'] / ra['cpu']:.2f} CPU (sizes x{b / a:.1f}{target})"
        )


if __name__ == "__main__":
    main()
