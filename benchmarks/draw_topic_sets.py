"""Draw real TipDM messages for a topic-labelling set (prints keys; the texts stay in realdata).

``python benchmarks/draw_topic_sets.py SEED N --sets K [--write DIR]``: the messages of
both TipDM files (7,142: ``messages_hot_issues.xlsx`` and ``messages_with_replies.xlsx``)
as keys ``H<留言编号>`` / ``R<留言编号>``, minus the keys already in
``benchmarks/data/topic_labels.csv``, sorted, shuffled with ``random.Random(SEED)``; the
first ``N * K`` keys are cut into ``K`` sets of ``N``. ``--write DIR`` also writes, for a
labeller, ``DIR/set<i>/messages.jsonl`` (key, subject, first 400 characters of the
message, whitespace removed): outside the repository, never committed.

Labels go to ``benchmarks/data/topic_labels.csv`` (set, key, topic): one of the seven
first-level topics of the board's own classification (``TOPICS``), chosen by a labeller
who saw only the messages and the written guide. ``benchmarks/eval_topics.py`` scores
themes and routing against them.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _realdata import realdata  # noqa: E402

LABELS = HERE / "data" / "topic_labels.csv"
FILES = {"H": "messages_hot_issues.xlsx", "R": "messages_with_replies.xlsx"}
#: The seven first-level topics of the board's classification (2020 TipDM cup, problem C).
TOPICS = ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生")


def clip(text, n: int = 400) -> str:
    return "" if pd.isna(text) else re.sub(r"\s+", "", str(text))[:n]


def read_messages() -> pd.DataFrame:
    """Every message of both files as the publisher wrote it: key, subject, text."""
    frames = []
    for prefix, name in FILES.items():
        f = pd.read_excel(realdata("tipdm2020_messages", name), engine="openpyxl")
        frames.append(
            pd.DataFrame(
                {
                    "key": [f"{prefix}{int(i)}" for i in f["留言编号"]],
                    "subject": f["留言主题"],
                    "text": f["留言详情"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates("key").reset_index(drop=True)


def messages() -> pd.DataFrame:
    """Every message of both files, as a labeller sees it: key, subject, text (clipped)."""
    frame = read_messages()
    return frame.assign(
        subject=frame["subject"].map(lambda s: clip(s, 100)), text=frame["text"].map(clip)
    )


def labelled_keys() -> set[str]:
    if not LABELS.exists():
        return set()
    return set(pd.read_csv(LABELS)["key"])


def draw(seed: int, n: int, sets: int, frame: pd.DataFrame) -> list[list[str]]:
    done = labelled_keys()
    keys = sorted(k for k in frame["key"] if k not in done)
    random.Random(seed).shuffle(keys)
    if len(keys) < n * sets:
        raise SystemExit(f"only {len(keys)} unlabelled messages left; asked for {n * sets}")
    return [keys[i * n : (i + 1) * n] for i in range(sets)]


def main() -> None:
    args = sys.argv[1:]
    if not realdata("tipdm2020_messages").exists():
        print("skip: no tipdm2020_messages folder in the real data")
        return
    seed, n = int(args[0]), int(args[1])
    sets = int(args[args.index("--sets") + 1]) if "--sets" in args else 1
    out = Path(args[args.index("--write") + 1]) if "--write" in args else None
    frame = messages()
    drawn = draw(seed, n, sets, frame)
    rows = frame.set_index("key")
    for i, keys in enumerate(drawn, 1):
        print(f"# set {i}: " + " ".join(keys))
        if out is not None:
            d = out / f"set{i}"
            d.mkdir(parents=True, exist_ok=True)
            with open(d / "messages.jsonl", "w", encoding="utf-8") as fh:
                for k in keys:
                    rec = {"key": k, "subject": rows.at[k, "subject"], "text": rows.at[k, "text"]}
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
