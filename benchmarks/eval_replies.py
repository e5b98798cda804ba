"""Real-data reading of reply_quality on the TipDM 2020 cup's replies (task 3).

Run from the project root: ``python benchmarks/eval_replies.py [path]``. Groups the replies
by the district code in the message title (the file has no department column), prints the
per-district summary, the copy-paste sets, the weakest replies and the time taken.
Skips with a message when the file is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from _realdata import realdata  # noqa: E402

from commlib.replies import reply_quality

PATH = Path(
    sys.argv[1]
    if len(sys.argv) > 1
    else realdata("tipdm2020_messages", "messages_with_replies.xlsx")
)


def main() -> None:
    if not PATH.exists():
        print(f"skip: {PATH} not found")
        return
    raw = pd.read_excel(PATH, engine="openpyxl")
    title = raw["留言主题"].astype("str")
    df = pd.DataFrame(
        {
            "ticket_id": raw["留言编号"],
            "title": title,
            "text": raw["留言详情"],
            "reply": raw["答复意见"],
            "created_at": pd.to_datetime(raw["留言时间"], errors="coerce", format="mixed"),
            "reply_at": pd.to_datetime(raw["答复时间"], errors="coerce", format="mixed"),
            "department": title.str.extract(r"([A-Z]\d{1,2}[区县]|[A-Z]市)", expand=False),
        }
    )
    start = time.perf_counter()
    res = reply_quality(df)
    took = time.perf_counter() - start
    r = res.replies
    pd.set_option("display.width", 250, "display.max_colwidth", 120)
    print(f"{len(df)} messages, {int(r['quality'].notna().sum())} replies, {took:.1f} s")
    print("reply dates unreadable:", int(df["reply_at"].isna().sum()))
    print(
        r[["working_days", "relevance", "completeness", "interpretability", "quality"]]
        .describe()
        .round(3)
        .to_string()
    )
    print("\nshare of replies with each part:")
    print(
        r[["greeting", "answer", "basis", "action", "contact", "actions", "offices", "dates"]]
        .mean()
        .round(3)
        .to_string()
    )
    print(
        f"\nreplies in copy-paste sets: {int(r['copy_group'].notna().sum())} in {len(res.copies)} sets"
    )
    print(res.copies.head(8).to_string())
    print("\nper group:")
    print(res.summary.round(3).to_string())
    print("\nweakest:")
    print(res.weakest.round(3).to_string())
    low_rel = r.nsmallest(5, "relevance")
    print("\nlowest relevance:")
    for _, row in low_rel.iterrows():
        i = df.index[df["ticket_id"] == row["ticket_id"]][0]
        print(
            f"  {row['relevance']:.3f} | {df.at[i, 'title'][:40]} | {str(df.at[i, 'reply']).strip()[:120]}"
        )


if __name__ == "__main__":
    main()
