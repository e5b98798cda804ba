"""Real-data reading of hot_issues on the TipDM 2020 cup's message board (task 2).

Run from the project root: ``python benchmarks/eval_hot_issues.py [path]``. Prints the
top 10 issues with their key terms and representative (masked) titles, and the time taken.
Skips with a message when the file is absent (it is not shipped: ../shared/realdata/).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from _realdata import realdata  # noqa: E402

from commlib.hotissues import hot_issues

PATH = Path(
    sys.argv[1] if len(sys.argv) > 1 else realdata("tipdm2020_messages", "messages_hot_issues.xlsx")
)


def main() -> None:
    if not PATH.exists():
        print(f"skip: {PATH} not found")
        return
    raw = pd.read_excel(PATH, engine="openpyxl")
    df = pd.DataFrame(
        {
            "ticket_id": raw["留言编号"],
            "caller_id": raw["留言用户"],
            "title": raw["留言主题"],
            "created_at": pd.to_datetime(raw["留言时间"], errors="coerce", format="mixed"),
            "text": raw["留言详情"],
            "likes": raw["点赞数"],
            "dislikes": raw["反对数"],
        }
    )
    start = time.perf_counter()
    res = hot_issues(df)
    took = time.perf_counter() - start
    iss = res.issues
    print(
        f"{len(df)} messages, {len(iss)} issues of >= 3 messages, "
        f"{int(res.members['issue_id'].notna().sum())} messages in issues, {took:.1f} s"
    )
    pd.set_option("display.width", 250, "display.max_colwidth", 60)
    print(res.to_tipdm("zh", top=10).to_string(index=False))
    for _, row in iss.head(10).iterrows():
        ids = res.members.loc[res.members["issue_id"] == row["issue_id"], "ticket_id"]
        titles = df.set_index("ticket_id").loc[ids, "title"].head(8).tolist()
        print(
            f"\n#{row['rank']} heat {row['heat']:.2f} n={row['tickets']} callers={row['callers']} "
            f"likes={row['likes']:.0f} place={row['place']} terms={'/'.join(row['terms'])}"
        )
        for title in titles:
            print("   ", title)


if __name__ == "__main__":
    main()
