"""Time the automatic report on 100,000 generated tickets: file to HTML and XLSX.

Target (issue 8): 20 s or less on a two-core machine, from reading the export to both
files written. Prints the time of each step and each section, the total and the peak
resident memory. Run: ``python benchmarks/bench_report.py [N]``.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import commlib as cl  # noqa: E402
from commlib.report import build_report  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
TARGET_SECONDS = 20.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    print(f"bench_report: {N:,} generated tickets, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "tickets.csv"
        t = time.perf_counter()
        cl.make_tickets(N, seed=0, headers="12345").to_csv(source, index=False)
        print(f"  (generating the CSV, not timed: {time.perf_counter() - t:.1f} s)")
        base_mib = peak_mib()

        steps: dict[str, float] = {}
        t0 = time.perf_counter()
        t = time.perf_counter()
        raw = cl.read_tickets(source, columns="12345")
        steps["read_tickets"] = time.perf_counter() - t
        t = time.perf_counter()
        cleaned = cl.clean_tickets(raw)
        steps["clean_tickets"] = time.perf_counter() - t
        t = time.perf_counter()
        report = build_report(cleaned)
        steps["build_report"] = time.perf_counter() - t
        t = time.perf_counter()
        report.to_html(folder / "report.html")
        steps["to_html (+ privacy scan)"] = time.perf_counter() - t
        t = time.perf_counter()
        report.to_xlsx(folder / "report.xlsx")
        steps["to_xlsx (+ privacy scan)"] = time.perf_counter() - t
        total = time.perf_counter() - t0

        for name, seconds in steps.items():
            print(f"  {name:<28} {seconds:6.2f} s")
            if name == "build_report":
                for section, sec in report.timings.items():
                    print(f"    {section:<26} {sec:6.2f} s")
        size_html = (folder / "report.html").stat().st_size / 1024
        size_xlsx = (folder / "report.xlsx").stat().st_size / 1024
        print(f"  total                        {total:6.2f} s  (target {TARGET_SECONDS:.0f} s)")
        print(f"  files: HTML {size_html:,.0f} KiB, XLSX {size_xlsx:,.0f} KiB")
        print(f"  peak RSS {peak_mib():,.0f} MiB (after generating the input: {base_mib:,.0f} MiB)")
        print(f"  skipped sections: {report.skipped or 'none'}")


if __name__ == "__main__":
    main()
