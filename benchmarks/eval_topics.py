"""Themes and routing on real Chinese messages with hand-labelled topics (issue 14, items 1, 2, 7).

Labels: ``benchmarks/data/topic_labels.csv`` (set, key, topic, sure), drawn with
``python benchmarks/draw_topic_sets.py`` from the 7,142 messages of both TipDM files and
labelled blind (each labeller saw only the messages and a written guide) with the
board's seven first-level topics. Keys only; the texts stay in ``../shared/realdata``.

1. **Themes.** ``TicketClusterer`` is fitted on all 7,142 messages (subject + message;
   it never sees a label) and scored on the labelled ones: at the true k (7) and with
   ``n_clusters="auto"`` (the chosen k, which the issue wants between 5 and 14 for seven
   topics). NMI and adjusted Rand against the topics; themes below ``min_cluster_size``
   (-1) count as one label. Next to it, in the same run, the plain pipeline a new user
   writes: ``TfidfVectorizer(tokenizer=jieba.lcut)`` + ``KMeans(7)``, and scikit-learn's
   documented LSA recipe with the same features as commlib's (min_df 2, max_df 0.5,
   sublinear TF, ``TruncatedSVD(100)``, ``Normalizer``, ``KMeans(7, n_init=10)``). Mean
   over seeds.
2. **Routing.** Stratified 5-fold cross-validation on the labelled messages: macro-F1 of
   ``TicketRouter`` (text only) against plain ``TfidfVectorizer`` + ``LinearSVC`` with and
   without jieba, same folds.

``topic_labels_second.csv``: a second labeller on two of the sets (160 messages), for
the agreement printed first.

Measured (session 18, seeds 0-2, 640 labelled; first run with the labels, code of
46c1aaa): TicketClusterer k = 7 NMI 0.389 (ARI 0.251), plain jieba TF-IDF + KMeans(7)
0.176 (0.054); auto chose k = 9, 9, 5 (NMI 0.375); routing macro-F1 TicketRouter 0.730,
jieba + LinearSVC 0.611, plain TF-IDF + LinearSVC 0.147. Then 23 function words missing
from the Chinese stop list (该, 将, 此, 各, 均 ...; 该 and 将 had named themes) were
added: k = 7 NMI 0.393 (0.379 / 0.372 / 0.427 by seed), auto k = 9, 8, 5 (0.387),
routing 0.734. scikit-learn's LSA recipe in the same run: NMI 0.297 (0.308 / 0.294 /
0.291). Second labeller: same topic on 158 of 160 (kappa 0.983). The NMI target
of issue 14 (0.50 at the true k) is not met: 城乡建设 (housing, property, planning,
village affairs; 40% of the labels) is spread over several themes, and roads sit between
城乡建设 and 交通运输.

Run: ``python benchmarks/eval_topics.py [--seeds 0 1 2] [--no-auto]``. Skips with a
message when the real data or the labels are absent.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import metrics

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # this checkout's commlib

from _realdata import realdata  # noqa: E402
from draw_topic_sets import LABELS, TOPICS, read_messages  # noqa: E402


def corpus() -> pd.DataFrame:
    """All messages of both files: key and text (subject + message, whitespace removed)."""
    frame = read_messages()
    text = frame["subject"].fillna("").astype(str) + "。" + frame["text"].fillna("").astype(str)
    return pd.DataFrame({"key": frame["key"], "text": text.map(lambda s: re.sub(r"\s+", "", s))})


def _scores(truth, labels) -> dict:
    return {
        "nmi": metrics.normalized_mutual_info_score(truth, labels),
        "ari": metrics.adjusted_rand_score(truth, labels),
    }


def _jieba_cut(text):
    import jieba

    return jieba.lcut(text)


def themes(df: pd.DataFrame, lab: np.ndarray, truth: np.ndarray, seeds, auto: bool) -> None:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    from commlib.cluster import TicketClusterer

    k = len(TOPICS)
    texts = df["text"].tolist()
    rows = []
    for seed in seeds:
        t0 = time.perf_counter()
        tc = TicketClusterer(k, random_state=seed, progress=False).fit(texts)
        rows.append(
            {"pipeline": f"TicketClusterer(k={k})", "seed": seed, "k": k}
            | _scores(truth, tc.labels_[lab])
            | {"fit_s": time.perf_counter() - t0}
        )
        t0 = time.perf_counter()
        X = TfidfVectorizer(tokenizer=_jieba_cut, token_pattern=None).fit_transform(texts)
        km = KMeans(k, n_init="auto", random_state=seed).fit(X)
        rows.append(
            {"pipeline": f"plain jieba TF-IDF + KMeans({k})", "seed": seed, "k": k}
            | _scores(truth, km.labels_[lab])
            | {"fit_s": time.perf_counter() - t0}
        )
        t0 = time.perf_counter()
        X = TfidfVectorizer(
            tokenizer=_jieba_cut, token_pattern=None, min_df=2, max_df=0.5, sublinear_tf=True
        ).fit_transform(texts)
        Z = make_pipeline(TruncatedSVD(100, random_state=seed), Normalizer(copy=False))
        km = KMeans(k, n_init=10, random_state=seed).fit(Z.fit_transform(X))
        rows.append(
            {"pipeline": f"plain jieba TF-IDF + LSA(100) + KMeans({k})", "seed": seed, "k": k}
            | _scores(truth, km.labels_[lab])
            | {"fit_s": time.perf_counter() - t0}
        )
        if auto:
            t0 = time.perf_counter()
            ta = TicketClusterer("auto", random_state=seed, progress=False).fit(texts)
            rows.append(
                {"pipeline": "TicketClusterer(auto)", "seed": seed, "k": ta.n_clusters_}
                | _scores(truth, ta.labels_[lab])
                | {"fit_s": time.perf_counter() - t0}
            )
            if seed == seeds[0]:
                print(f"auto k (seed {seed}): chose {ta.n_clusters_}; k_scores_:")
                print(ta.k_scores_.to_string(index=False))
        print(f"  seed {seed} done", flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(
        table.groupby("pipeline", sort=False)[["k", "nmi", "ari", "fit_s"]]
        .mean()
        .to_string(float_format=lambda v: f"{v:.3f}")
    )


def routing(texts: pd.Series, y: np.ndarray, folds: int = 5) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from commlib.dispatch import TicketRouter

    X = pd.DataFrame({"text": texts.to_numpy(dtype=object), "category": None})
    models = {
        "plain TfidfVectorizer + LinearSVC": lambda: make_pipeline(TfidfVectorizer(), LinearSVC()),
        "jieba TfidfVectorizer + LinearSVC": lambda: make_pipeline(
            TfidfVectorizer(tokenizer=_jieba_cut, token_pattern=None), LinearSVC()
        ),
        "TicketRouter (text only)": lambda: TicketRouter(use_category=False),
    }
    split = list(StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
    for name, make in models.items():
        f1s = []
        for train, test in split:
            model = make()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if isinstance(model, TicketRouter):
                    model.fit(X.iloc[train], y[train])
                    pred = model.predict(X.iloc[test])
                else:
                    model.fit(X["text"].iloc[train], y[train])
                    pred = model.predict(X["text"].iloc[test])
            f1s.append(f1_score(y[test], pred, average="macro", zero_division=0))
        print(f"  {name:38s} macro-F1 {np.mean(f1s):.3f} (fold sd {np.std(f1s):.3f})")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--no-auto", action="store_true")
    ap.add_argument("--no-routing", action="store_true")
    args = ap.parse_args(argv)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if not realdata("tipdm2020_messages").exists():
        print("skip: no tipdm2020_messages folder in the real data")
        return
    if not LABELS.exists():
        print(f"skip: no labels in {LABELS}")
        return
    labels = pd.read_csv(LABELS)
    df = corpus()
    pos = pd.Series(np.arange(len(df)), index=df["key"])
    labels = labels[labels["key"].isin(pos.index)]
    lab = pos[labels["key"]].to_numpy()
    truth = labels["topic"].to_numpy(dtype=object)
    counts = labels["topic"].value_counts()
    print(
        f"{len(df):,} messages, {len(labels):,} labelled ({labels['set'].nunique()} sets, "
        f"{int((labels['sure'] == 0).sum())} close calls): "
        + ", ".join(f"{t} {counts.get(t, 0)}" for t in TOPICS)
    )
    second = LABELS.with_name("topic_labels_second.csv")
    if second.exists():
        other = pd.read_csv(second).merge(labels, on="key", suffixes=("_2", ""))
        print(
            f"second labeller on {len(other)} of them: same topic "
            f"{(other['topic'] == other['topic_2']).mean():.3f}, Cohen's kappa "
            f"{metrics.cohen_kappa_score(other['topic'], other['topic_2']):.3f}, NMI "
            f"{metrics.normalized_mutual_info_score(other['topic'], other['topic_2']):.3f}"
        )
    themes(df, lab, truth, args.seeds, not args.no_auto)
    if not args.no_routing:
        print(f"routing, 5 folds on the {len(labels):,} labelled messages:")
        routing(df["text"].iloc[lab].reset_index(drop=True), truth)


if __name__ == "__main__":
    main()
