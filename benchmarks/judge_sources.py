"""Would a person agree? Blind judgements of link_sources' places on the real Boston year.

``link_sources(kinds="auto", n_permutations=19, random_state=0)`` on the 2015 Boston 311
year (as ``benchmarks/eval_sources.py``) ranks 1,082 candidate places. Thirty of them are
judged: the 15 best by score and 15 drawn at random (``random.Random(20261302)``) from
the rest, shown in a shuffled order (``random.Random(20261303)``) with their requests
(time, type, department, channel), neither rank nor score. Each judge answers, per
place, whether it is a single source behind several kinds of problem (``yes``/``no``/
``unsure``; guide in :data:`GUIDE`). If the ranking means something, the best-ranked
places are judged sources more often than the others.

``python benchmarks/judge_sources.py --write DIR`` writes ``DIR/cases.jsonl`` for the
judges (outside the repository); ``python benchmarks/judge_sources.py`` scores the
judgements in ``benchmarks/data/source_judgements.csv`` (a hash of the place, the judge,
the judgement: no place or request text). Skips with a message when the real data or
the judgements are absent.

Measured (session 18, two judges who saw only the cases and the guide; code of
53a103c): the judges agree on 27 of 30 places. The 15 best-ranked places were judged
sources in 13 of 30 judgements (0.43), the 15 others in 7 of 30 (0.23); both judges
say yes to 6 of the 15 best (ranks 4, 5, 10, 12, 14, 15: a knocked-down pole with its
signs and lights, a storm's fallen tree with broken sidewalk and lights, a traffic
signal failure at one junction) and to 3 of the 15 others (ranks 217, 384, 617: two
building sites and a restaurant with rodents). All 15 best have q = 0.088, none under
the default alpha of 0.05: on this year the ranking finds real sources about twice as
often as chance picks, but the statistic cannot call them "strong".
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # this checkout's commlib

import eval_sources  # noqa: E402
from _realdata import realdata  # noqa: E402

JUDGEMENTS = HERE / "data" / "source_judgements.csv"
GUIDE = (
    "Would you, as a city analyst, call this place a single source behind several kinds "
    "of problem: one underlying cause or site that makes people file requests of "
    "different types (yes), or unrelated routine requests sharing an address, one "
    "problem under several labels, everyday noise of a busy place (no), or unsure?"
)


def place_key(place: str) -> str:
    return hashlib.sha1(str(place).encode("utf-8")).hexdigest()[:12]


def cases():
    from commlib.attribution import link_sources

    df = eval_sources.load(realdata("boston311_2015"))
    if df is None:
        return None, None
    links = link_sources(df, kinds="auto", n_permutations=19, random_state=0)
    s = links.sources.reset_index(drop=True)
    rest = list(range(15, len(s)))
    random.Random(20261302).shuffle(rest)
    order = list(range(15)) + sorted(rest[:15])
    random.Random(20261303).shuffle(order)
    out = []
    for n, i in enumerate(order, 1):
        row = s.iloc[i]
        members = links.mapping.index[links.mapping["source_id"] == row["source_id"]]
        m = df.loc[members, ["created_at", "category", "department", "channel"]]
        out.append(
            {
                "case": f"C{n:02d}",
                "key": place_key(row["place"]),
                "rank": i + 1,
                "group": "top15" if i < 15 else "random_rest",
                "q": float(row["q_value"]),
                "place": row["place"],
                "tickets": [
                    f"{r.created_at:%Y-%m-%d %H:%M}  {r.category}  ({r.department}; via {r.channel})"
                    for r in m.sort_values("created_at").itertuples()
                ],
            }
        )
    return pd.DataFrame(out), len(s)


def main() -> None:
    args = sys.argv[1:]
    table, n = cases()
    if table is None:
        print("skip: no Boston 311 CSV files in the real data")
        return
    if "--write" in args:
        folder = Path(args[args.index("--write") + 1])
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "cases.jsonl", "w", encoding="utf-8") as fh:
            for r in table[["case", "place", "tickets"]].to_dict("records"):
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{len(table)} cases of {n} candidates written to {folder}")
        return
    if not JUDGEMENTS.exists():
        print(f"skip: no judgements in {JUDGEMENTS}")
        return
    j = pd.read_csv(JUDGEMENTS).merge(table[["key", "rank", "group", "q"]], on="key")
    print(f"{n:,} candidates; {j['key'].nunique()} places judged by {j['judge'].nunique()} judges")
    wide = j.pivot(index="key", columns="judge", values="judgement")
    judges = list(wide.columns)
    if len(judges) >= 2:
        same = (wide[judges[0]] == wide[judges[1]]).mean()
        print(f"judges {judges[0]} and {judges[1]} agree on {same:.2f} of the places")
    counts = j.groupby(["group", "judgement"]).size().unstack(fill_value=0)
    print(counts.to_string())
    share = j.assign(yes=j["judgement"] == "yes").groupby("group")["yes"].mean()
    print("share judged a source (yes):", share.round(2).to_dict())
    both = wide.apply(lambda r: ", ".join(r.astype(str)), axis=1).rename("judgements")
    shown = table.set_index("key")[["rank", "q", "place"]].join(both).sort_values("rank")
    print("places by rank (q is the permutation FDR; judges' answers):")
    for r in shown.itertuples():
        print(f"  {r.rank:5d}  q={r.q:.3f}  {r.judgements:14s}  {r.place}")


if __name__ == "__main__":
    main()
