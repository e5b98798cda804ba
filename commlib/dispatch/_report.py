"""dispatch_report and its confusion chart: measure a dispatcher, human or model."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_function

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------- the report
@dataclass(frozen=True)
class DispatchReport:
    """Result of :func:`dispatch_report`.

    Attributes
    ----------
    summary : pandas.Series
        ``n_tickets``, ``top1_accuracy``, ``top{k}_accuracy``, ``macro_f1``, and with a
        transfer path ``bounced_before`` (share of tickets that went through another
        department first), ``would_bounce`` (share whose top-1 suggestion is wrong) and
        ``bounced_fixed`` (share of the bounced tickets the router sends right first).
    per_department : pandas.DataFrame
        ``department``, ``support``, ``predicted``, ``precision``, ``recall``, ``f1``,
        ``top{k}_recall``, largest support first.
    confusion : pandas.DataFrame
        Counts, true department in rows, top-1 suggestion in columns.
    confused_pairs : pandas.DataFrame
        Department pairs most often mixed up in either direction: ``department_a``,
        ``department_b``, ``a_as_b``, ``b_as_a``, ``n`` and ``share`` (of the two
        departments' tickets).
    k : int
    """

    summary: pd.Series
    per_department: pd.DataFrame
    confusion: pd.DataFrame
    confused_pairs: pd.DataFrame
    k: int


def _suggestions(pred, classes, k):
    """Predictions -> (top-1 labels, top-k labels array)."""
    if isinstance(pred, pd.DataFrame):
        if all(pd.api.types.is_numeric_dtype(t) for t in pred.dtypes):
            classes = np.asarray(pred.columns.astype(str), dtype=object)
            pred = pred.to_numpy(dtype=float)
        else:
            pred = pred.astype(str).to_numpy(dtype=object)
    elif isinstance(pred, pd.Series):
        pred = pred.astype(str).to_numpy(dtype=object)
    pred = np.asarray(pred)
    if pred.ndim == 2 and pred.dtype.kind in "fc":
        if classes is None:
            raise ValueError(
                "Pass classes=router.classes_ with a probability array (or a DataFrame "
                "whose columns are the departments)."
            )
        classes = np.asarray(classes, dtype=object)
        if len(classes) != pred.shape[1]:
            raise ValueError(
                f"classes has {len(classes)} names but the probabilities have "
                f"{pred.shape[1]} columns."
            )
        order = np.argsort(-pred, axis=1, kind="stable")[:, :k]
        top = classes[order]
    elif pred.ndim == 2:
        top = pred.astype(object)[:, :k]
    elif pred.ndim == 1:
        top = pred.astype(object)[:, None]
    else:
        raise ValueError(f"Predictions must be 1-d or 2-d, got {pred.ndim} dimensions.")
    return top[:, 0].astype(str).astype(object), top.astype(str).astype(object)


def dispatch_report(
    y_true,
    proba_or_topk,
    *,
    classes=None,
    transfer_path=None,
    k: int = 3,
    n_pairs: int = 10,
) -> DispatchReport:
    """Measure how well tickets are (or would be) dispatched.

    Use it on the router's suggestions for tickets it has not seen, to decide whether
    to trust them, and to find department pairs that are often confused: there the
    duty list itself may be unclear.

    Parameters
    ----------
    y_true : array-like of str
        The department that finally handled each ticket.
    proba_or_topk : array-like or DataFrame
        Either probabilities (``router.predict_proba(X)`` with ``classes``, or a
        DataFrame whose columns are departments), or suggested departments best
        first (``router.predict_top_k(X, k)``), or a single suggestion per ticket.
    classes : array-like of str, optional
        Department of each probability column (``router.classes_``).
    transfer_path : array-like of str, optional
        The departments each ticket went through before the final one,
        ``"|"``-separated, empty when it went straight there (the ``transfer_path``
        column of cleaned tickets). Adds the bounce shares to the summary.
    k : int, default 3
        Size of the top-k accuracy.
    n_pairs : int, default 10
        Pairs kept in ``confused_pairs``.

    Returns
    -------
    DispatchReport

    Examples
    --------
    >>> y = ["物业公司", "物业公司", "房管办", "派出所"]
    >>> top = [["物业公司", "房管办"], ["房管办", "物业公司"], ["物业公司", "房管办"],
    ...        ["派出所", "物业公司"]]
    >>> rep = dispatch_report(y, top, k=2, transfer_path=["", "派出所", "", ""])
    >>> rep.summary[["top1_accuracy", "top2_accuracy", "bounced_before", "would_bounce"]].tolist()
    [0.5, 1.0, 0.25, 0.5]
    >>> rep.confused_pairs[["department_a", "department_b", "n"]].values.tolist()
    [['物业公司', '房管办', 2]]
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    if not (isinstance(k, int | np.integer) and k >= 1):
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    y = pd.Series(y_true).astype(str).to_numpy(dtype=object)
    top1, top = _suggestions(proba_or_topk, classes, int(k))
    if len(top1) != len(y):
        raise ValueError(f"y_true has {len(y)} tickets but the predictions have {len(top1)}.")
    hit1 = top1 == y
    hitk = (top == y[:, None]).any(axis=1)
    labels = sorted(set(y.tolist()) | set(top1.tolist()))
    macro = f1_score(y, top1, labels=labels, average="macro", zero_division=0)
    summary = {
        "n_tickets": len(y),
        "top1_accuracy": float(hit1.mean()) if len(y) else np.nan,
        f"top{k}_accuracy": float(hitk.mean()) if top.shape[1] >= k else np.nan,
        "macro_f1": float(macro),
    }
    if transfer_path is not None:
        tp = pd.Series(transfer_path).fillna("").astype(str).str.strip().to_numpy(dtype=object)
        if len(tp) != len(y):
            raise ValueError(f"transfer_path has {len(tp)} values but y_true has {len(y)}.")
        bounced = tp != ""
        summary["bounced_before"] = float(bounced.mean())
        summary["would_bounce"] = float((~hit1).mean())
        summary["bounced_fixed"] = float(hit1[bounced].mean()) if bounced.any() else np.nan

    p, r, f, s = precision_recall_fscore_support(
        y, top1, labels=labels, average=None, zero_division=0
    )
    yk = pd.Series(hitk).groupby(y).mean()
    per = pd.DataFrame(
        {
            "department": labels,
            "support": s,
            "predicted": pd.Series(top1).value_counts().reindex(labels, fill_value=0).to_numpy(),
            "precision": p,
            "recall": r,
            "f1": f,
            f"top{k}_recall": yk.reindex(labels).to_numpy(),
        }
    )
    per = per.sort_values(["support", "department"], ascending=[False, True]).reset_index(drop=True)
    order = per["department"].tolist()
    conf = pd.crosstab(
        pd.Categorical(y, categories=order), pd.Categorical(top1, categories=order), dropna=False
    )
    conf.index.name, conf.columns.name = "true", "suggested"
    C = conf.to_numpy()
    support = C.sum(axis=1)
    rows = []
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            nij = int(C[i, j] + C[j, i])
            if nij:
                rows.append(
                    {
                        "department_a": order[i],
                        "department_b": order[j],
                        "a_as_b": int(C[i, j]),
                        "b_as_a": int(C[j, i]),
                        "n": nij,
                        "share": nij / max(1, support[i] + support[j]),
                    }
                )
    pairs = pd.DataFrame(
        rows, columns=["department_a", "department_b", "a_as_b", "b_as_a", "n", "share"]
    )
    pairs = pairs.sort_values(["n", "share"], ascending=False, kind="stable").head(n_pairs)
    return DispatchReport(
        summary=pd.Series(summary, name="value"),
        per_department=per,
        confusion=conf,
        confused_pairs=pairs.reset_index(drop=True),
        k=int(k),
    )


def dispatch_confusion_chart(
    report, *, normalize=True, max_departments=None, ax=None, lang: str = "zh"
):
    """Draw the confusion matrix of a dispatch report as a heat map.

    (Called ``plot_dispatch_confusion`` before 0.2; that name still works with a
    warning.)

    Parameters
    ----------
    report : DispatchReport or pandas.DataFrame
        A report, or its ``confusion`` table.
    normalize : bool, default True
        Show each true department's row as shares (recall on the diagonal).
    max_departments : int, optional
        Keep only the departments with the most tickets.
    ax : matplotlib Axes, optional
        Draw here; default a new figure.
    lang : {"zh", "en"}, default "zh"
        Language of the title and axis labels (department names are data).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> rep = dispatch_report(["物业公司", "房管办"], ["物业公司", "物业公司"])
    >>> dispatch_confusion_chart(rep).get_title()
    '派单混淆矩阵（按行占比）'
    >>> dispatch_confusion_chart(rep, lang="en").get_xlabel()
    'suggested department'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    conf = report.confusion if isinstance(report, DispatchReport) else report
    if max_departments is not None:
        conf = conf.iloc[:max_departments, :max_departments]
    values = conf.to_numpy(dtype=float)
    if normalize:
        values = values / np.maximum(values.sum(axis=1, keepdims=True), 1)
    if ax is None:
        size = max(5.0, 0.45 * len(conf) + 2)
        _, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.set_xticks(range(conf.shape[1]), [str(c) for c in conf.columns], rotation=60, ha="right")
    ax.set_yticks(range(conf.shape[0]), [str(c) for c in conf.index])
    ax.set_xlabel(t("dispatch.axis.suggested", lang))
    ax.set_ylabel(t("dispatch.axis.true", lang))
    ax.set_title(t("dispatch.title.share" if normalize else "dispatch.title.count", lang))
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


plot_dispatch_confusion = renamed_function(dispatch_confusion_chart, "plot_dispatch_confusion")
