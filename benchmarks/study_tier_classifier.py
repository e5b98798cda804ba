"""Would a learned classifier lift the Heinrich tiers' recall on real messages? (issue 14)

The tier rules (:func:`commlib.heinrich.severity_tiers`) are precise on fresh real
messages (0.83-0.90 over six blind sets) but find only about a third of the hazards and
injuries (recall 0.20-0.51): most misses are untiered messages that tell a near miss in
everyday words. This study asks whether a classifier trained on the hand-labelled messages
of ``benchmarks/data/heinrich_labels.csv`` could tier those, at what cost in precision.

Design: leave one labelled set out. For each set ``heldoutN``, a TF-IDF + logistic
regression (class-balanced) is trained on every other labelled message (label: any tier
or none) and scores the held-out set's messages the rules leave untiered; those at or
above a probability threshold are called near misses (the tier of nearly all the
untiered hazards the readers found). Precision and recall are weighted by the sampling
design, as in ``eval_heinrich.py``, and compared with the rules alone on the same set.
The rules have been refined on most of these sets, so the "rules alone" figures are
optimistic; the question is only how much the classifier adds.

Run: ``python benchmarks/study_tier_classifier.py [--features char|word]`` (needs the
real messages in ``../shared/realdata/tipdm2020_messages/``; about a minute).

Measured (session 14, ``--features char``, 14 sets heldout2-15, 508 untiered labelled
messages of which 53 are hazards): AUC 0.86 over the untiered messages. Mean over the
sets, rules alone precision 0.910 / recall 0.700; with the classifier at threshold 0.6:
0.801 / 0.827, at 0.7: 0.861 / 0.740, at 0.8: 0.906 / 0.726. Among the untiered messages
the classifier's calls are right 51% of the time at 0.6 (it finds 53% of the hazards the
rules leave) and 55% at 0.7 (21%). Word features (jieba): AUC 0.84, the same picture.
Not adopted: the threshold that keeps precision at the 0.80 target adds little recall
even on sets the rules were refined on, a classifier trained on one board's messages is
exactly the tuning to one file the project avoids, and its vocabulary would carry
fragments of real messages into the package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_heinrich as E  # noqa: E402

THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)


def _vectoriser(kind: str):
    from sklearn.feature_extraction.text import TfidfVectorizer

    if kind == "char":
        return TfidfVectorizer(
            analyzer="char", ngram_range=(2, 3), min_df=2, sublinear_tf=True, max_features=50_000
        )
    import rjieba

    return TfidfVectorizer(
        tokenizer=rjieba.cut, token_pattern=None, min_df=2, sublinear_tf=True, ngram_range=(1, 2)
    )


def main(argv=None) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from commlib.heinrich import severity_tiers

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(E.realdata_dir()))
    ap.add_argument("--features", choices=("char", "word"), default="char")
    args = ap.parse_args(argv)
    folder = Path(args.data) / "tipdm2020_messages"
    if not folder.exists():
        raise SystemExit(f"{folder} not found: this study needs the real messages; pass --data.")
    messages = E.read_messages(folder)
    tiers = severity_tiers(messages)
    messages["pred"] = tiers["tier"].astype(object).fillna("none").to_numpy()
    messages["doc"] = messages["title"] + "。" + messages["text"]
    lab = pd.read_csv(E.LABELS).merge(
        messages, left_on=["file", "留言编号"], right_on=["file", "id"]
    )
    lab["pos"] = (lab["label"] != "none").astype(int)
    sets = [s for s in lab["set"].unique() if s.startswith("heldout")]
    rows, pooled = [], []
    for held in sets:
        train, test = lab[lab["set"] != held], lab[lab["set"] == held]
        vec = _vectoriser(args.features)
        clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        clf.fit(vec.fit_transform(train["doc"]), train["pos"])
        p = clf.predict_proba(vec.transform(test["doc"]))[:, 1]
        weight = (test["stratum_size"] / test["stratum_sampled"]).to_numpy()
        truth, rules = test["label"].to_numpy(object), test["pred"].to_numpy(object)
        untiered = rules == "none"
        pooled.append(pd.DataFrame({"p": p[untiered], "pos": test["pos"].to_numpy()[untiered]}))
        base = E.scores(truth, rules, weight)
        for th in THRESHOLDS:
            pred = rules.copy()
            pred[untiered & (p >= th)] = "near_miss"
            sc = E.scores(truth, pred, weight)
            rows.append(
                (held, th, base["precision"], base["recall"], sc["precision"], sc["recall"])
            )
    res = pd.DataFrame(rows, columns=["set", "threshold", "p_rules", "r_rules", "p_with", "r_with"])
    print(f"features: {args.features}; sets: {', '.join(sets)}")
    print("mean over the sets (weighted precision / recall):")
    print(res.groupby("threshold")[["p_rules", "r_rules", "p_with", "r_with"]].mean().round(3))
    pool = pd.concat(pooled)
    print(
        f"\nuntiered labelled messages: {len(pool)}, hazards among them {int(pool['pos'].sum())}; "
        f"AUC {roc_auc_score(pool['pos'], pool['p']):.3f}"
    )
    for th in THRESHOLDS:
        called = pool[pool["p"] >= th]
        right = float(called["pos"].mean()) if len(called) else np.nan
        found = called["pos"].sum() / pool["pos"].sum()
        print(
            f"  threshold {th}: {len(called)} called, {right:.2f} right, {found:.2f} of the hazards"
        )


if __name__ == "__main__":
    main()
