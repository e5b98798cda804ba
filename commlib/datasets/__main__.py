"""Write the bundled sample: ``python -m commlib.datasets data/sample``."""

from __future__ import annotations

import argparse
import logging

from commlib.datasets._sample import write_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m commlib.datasets",
        description="Write the synthetic sample files (tickets, subsets, events).",
    )
    parser.add_argument("directory", help="folder to write into, e.g. data/sample")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_sample(args.directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
