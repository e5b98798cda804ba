"""Check service_levels on the Boston 311 year (2015) against a hand computation in pandas.

Run from the project root: ``python benchmarks/eval_service_levels.py [folder]``. Reads every
CSV of the folder (one per request type), uses SUBJECT as the department, OPEN_DT, CLOSED_DT
and TARGET_DT, and checks that the median days to close and the on-time share per
department equal a plain-pandas computation of the same definitions. Also prints how far
our on-time verdict agrees with Boston's own ``OnTime_Status``. Skips when the folder is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _realdata import realdata  # noqa: E402

from commlib.service import repeat_callers, service_levels

FOLDER = Path(sys.argv[1]) if len(sys.argv) > 1 else realdata("boston311_2015")
FMT = "%m/%d/%Y %I:%M:%S %p"


def main() -> None:
    files = sorted(FOLDER.glob("*.csv"))
    if not files:
        print(f"skip: no CSV files in {FOLDER}")
        return
    cols = [
        "CASE_ENQUIRY_ID",
        "OPEN_DT",
        "TARGET_DT",
        "CLOSED_DT",
        "OnTime_Status",
        "SUBJECT",
        "TYPE",
    ]
    raw = pd.concat([pd.read_csv(f, usecols=cols, dtype="str") for f in files], ignore_index=True)
    df = pd.DataFrame(
        {
            "ticket_id": raw["CASE_ENQUIRY_ID"],
            "created_at": pd.to_datetime(raw["OPEN_DT"], format=FMT, errors="coerce"),
            "closed_at": pd.to_datetime(raw["CLOSED_DT"], format=FMT, errors="coerce"),
            "due_at": pd.to_datetime(raw["TARGET_DT"], format=FMT, errors="coerce"),
            "department": raw["SUBJECT"],
            "category": raw["TYPE"],
        }
    )
    print(
        f"{len(df)} tickets from {len(files)} files; unreadable OPEN_DT: {int(df['created_at'].isna().sum())}"
    )
    start = time.perf_counter()
    ours = service_levels(df, by="department").set_index("department")
    print(f"service_levels: {time.perf_counter() - start:.2f} s, as_of {ours.attrs['as_of']}")

    # by hand, plain pandas
    as_of = max(df["created_at"].max(), df["closed_at"].max())
    days = (df["closed_at"] - df["created_at"]).dt.total_seconds() / 86400
    hand_median = days.groupby(df["department"]).median()
    has_due = df["due_at"].notna()
    closed = df["closed_at"].notna()
    decided = has_due & (closed | (df["due_at"] < as_of))
    on_time = closed & (df["closed_at"] <= df["due_at"])
    hand_share = on_time[decided].groupby(df.loc[decided, "department"]).mean()

    med_ok = np.allclose(
        ours["median_days_to_close"], hand_median.reindex(ours.index), equal_nan=True
    )
    share_ok = np.allclose(ours["on_time_share"], hand_share.reindex(ours.index), equal_nan=True)
    print(f"median days to close equal by hand: {med_ok}; on-time share equal by hand: {share_ok}")
    table = ours[
        [
            "tickets",
            "closed",
            "open",
            "median_days_to_close",
            "p90_days_to_close",
            "on_time_share",
            "on_time_n",
        ]
    ]
    table = table.assign(
        hand_median=hand_median.reindex(ours.index), hand_on_time=hand_share.reindex(ours.index)
    )
    pd.set_option("display.width", 250)
    print(table.round(3).to_string())

    status = raw["OnTime_Status"].str.upper()
    agree = (on_time[decided] == status[decided].eq("ONTIME")).mean()
    print(
        f"\nour on-time verdict agrees with Boston's OnTime_Status on {agree:.1%} of {int(decided.sum())} decided tickets"
    )
    print("Boston's own ONTIME share per department (all rows):")
    print(status.eq("ONTIME").groupby(df["department"]).mean().round(3).to_string())
    rc = repeat_callers(df.assign(caller_id=raw["TYPE"]), caller="caller_id")
    print(f"\n(repeat_callers smoke run on request types as callers: {len(rc)} flagged)")


if __name__ == "__main__":
    main()
