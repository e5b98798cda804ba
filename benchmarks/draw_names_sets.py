"""Draw fresh messages for a name-labelling set (prints ids; the texts stay in realdata).

Used for ``heldout6`` .. ``heldout9`` of ``benchmarks/data/pii_names_eval.csv``:
``python benchmarks/draw_names_sets.py SEED N_REPLIES N_HOT [--random N] [--exclude-extra IDS]``.
Ids already in the label file are excluded; the rest of each file is sorted, shuffled
with ``random.Random(SEED)``, and two thirds of each file's share are the first shuffled
ids holding a likely name (a surname + official title or 先生/女士/小姐, or a 2-3
character token jieba tags ``nr``/``nrt``/``nrfg`` starting with a surname, in the
message or, for the replies file, in the reply), one third the first of the rest.
``--random N`` adds an unstratified slice (printed after a ``# random`` line): the first
``N`` ids of both files pooled (sorted, shuffled with ``random.Random(SEED + 1)``) that
are neither excluded nor drawn above, so a figure is not only measured on name-rich text.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _realdata import realdata  # noqa: E402

from commlib.privacy._rules import _OFFICIAL_TITLES, _surnames  # noqa: E402

REAL = realdata("tipdm2020_messages")


def clip(text) -> str:
    """The labelled text: whitespace removed, first 600 characters."""
    return "" if pd.isna(text) else re.sub(r"\s+", "", str(text))[:600]


def likely_name(text: str) -> bool:
    import jieba.posseg

    doubles, singles = _surnames()
    sur = "".join(sorted(set(singles)))
    titles = "|".join(map(re.escape, (*_OFFICIAL_TITLES, "先生", "女士", "小姐")))
    if re.search(f"[{sur}](?:{titles})", text):
        return True
    for p in jieba.posseg.cut(text):
        if p.flag in ("nr", "nrt", "nrfg") and 2 <= len(p.word) <= 3 and p.word[0] in sur:
            return True
    return False


def draw(seed: int, n_replies: int, n_hot: int, exclude: set[int]) -> list[tuple[int, str]]:
    out = []
    for name, n in (("messages_with_replies.xlsx", n_replies), ("messages_hot_issues.xlsx", n_hot)):
        frame = pd.read_excel(REAL / name, engine="openpyxl")
        has_reply = "答复意见" in frame
        ids = sorted(int(i) for i in frame["留言编号"] if int(i) not in exclude)
        random.Random(seed).shuffle(ids)
        rows = frame.set_index("留言编号")
        k_likely = round(n * 2 / 3)
        likely, rest = [], []
        for i in ids:
            text = clip(rows.at[i, "留言详情"])
            if has_reply:
                text += "|" + clip(rows.at[i, "答复意见"])
            (likely if likely_name(text) else rest).append(i)
            if len(likely) >= k_likely and len(rest) >= n - k_likely:
                break
        out += [(i, name) for i in likely[:k_likely] + rest[: n - k_likely]]
    return out


if __name__ == "__main__":
    seed, n_rep, n_hot = (int(a) for a in sys.argv[1:4])
    extra = set()
    if "--exclude-extra" in sys.argv:
        extra = {int(x) for x in sys.argv[sys.argv.index("--exclude-extra") + 1].split(",")}
    labels = pd.read_csv(ROOT / "benchmarks" / "data" / "pii_names_eval.csv")
    exclude = set(labels["message_id"].astype(int)) | extra
    drawn = draw(seed, n_rep, n_hot, exclude)
    for i, name in drawn:
        print(i, name)
    if "--random" in sys.argv:
        n_random = int(sys.argv[sys.argv.index("--random") + 1])
        taken = exclude | {i for i, _ in drawn}
        pool = []
        for name in ("messages_with_replies.xlsx", "messages_hot_issues.xlsx"):
            ids = pd.read_excel(REAL / name, engine="openpyxl")["留言编号"]
            pool += [(int(i), name) for i in ids if int(i) not in taken]
        pool.sort()
        random.Random(seed + 1).shuffle(pool)
        print("# random")
        for i, name in pool[:n_random]:
            print(i, name)
