"""Match needs (需求清单) to services (服务清单), with the reason for each suggestion.

:func:`match_needs` ranks the services on a service list for every need by the text
similarity of what the need asks for and what the service can do, lists the words they
share so a social worker can see why a match was suggested, flags services asked for
by more needs than their capacity, and lists needs no service meets as gaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib.errors import require_columns

logger = logging.getLogger(__name__)

#: Default score below which a need counts as unmet (a gap). On the bundled sample the
#: needs the services list really covers score 0.135 or more with their best service,
#: and the planted gaps (legal advice, translation, a playground) score below 0.125.
GAP_THRESHOLD = 0.13


@dataclass(frozen=True)
class NeedMatches:
    """Result of :func:`match_needs`.

    Attributes
    ----------
    matches : pandas.DataFrame
        One row per need and suggested service, best first: ``need_id``, ``rank``
        (1 = best), ``service_id``, ``name``, ``score`` (0-1), ``shared_terms`` (the
        words behind the score, most important first), ``reason`` (a sentence) and
        ``met`` (score at or above the threshold). Only services with a score above 0
        are listed.
    gaps : pandas.DataFrame
        The needs whose best score is below the threshold, with ``best_score`` and
        ``best_service``: what nobody on the list can meet yet.
    load : pandas.DataFrame
        One row per service: ``service_id``, ``name``, ``capacity``, ``demand``
        (needs for which it is the best met match) and ``over_capacity``.
    threshold : float
        The gap threshold used.
    """

    matches: pd.DataFrame
    gaps: pd.DataFrame
    load: pd.DataFrame
    threshold: float


def match_needs(
    needs: pd.DataFrame,
    services: pd.DataFrame,
    *,
    top_k: int = 3,
    threshold: float = GAP_THRESHOLD,
    need_text: str = "description",
    service_text: tuple[str, ...] = ("name", "description"),
    need_id: str = "need_id",
    service_id: str = "service_id",
    capacity: str | None = "capacity",
    tokenizer=None,
    lang: str = "zh",
) -> NeedMatches:
    """Rank services for each need and list unmet needs as gaps.

    The score is the cosine similarity of TF-IDF vectors, averaged over two views of
    the text: words from :class:`commlib.text.Tokenizer` (which keeps governance terms
    such as 飞线充电 whole and one-character words such as 漏) and character bigrams
    (which still match when two texts write the same thing in different words, e.g.
    独居老人 and 独居的老人). IDF is learnt on the needs and services together, so words
    every entry uses weigh little. Shared words are the reason shown.

    Parameters
    ----------
    needs : pandas.DataFrame
        The needs list (see :func:`commlib.ledger.read_ledger`).
    services : pandas.DataFrame
        The services list.
    top_k : int, default 3
        Services suggested per need.
    threshold : float, default :data:`GAP_THRESHOLD`
        A need whose best score is below this is a gap. 0.13 separates the needs the
        sample's service list covers from the planted unmet ones; check it on your own
        lists by reading ``gaps`` and the lowest-scoring ``matches``.
    need_text : str, default "description"
        Column with what each need asks for.
    service_text : tuple of str, default ("name", "description")
        Columns joined to describe what each service can do.
    need_id, service_id : str
        Id columns.
    capacity : str or None, default "capacity"
        Column with how many needs (households, cases) a service can take. When
        present, ``load`` counts for each service the needs it is the best met match
        for and flags it over capacity. None ignores capacity.
    tokenizer : commlib.text.Tokenizer, optional
        Word tokenizer; default ``Tokenizer()``.
    lang : {"zh", "en"}, default "zh"
        Language of the ``reason`` column (and the separator of ``shared_terms``).

    Returns
    -------
    NeedMatches
        ``matches``, ``gaps``, ``load`` and ``threshold``.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"need_id": ["N1", "N2"],
    ...                       "description": ["独居老人希望有人定期上门探访", "希望有英语翻译"]})
    >>> services = pd.DataFrame({"service_id": ["S1", "S2"],
    ...                          "name": ["老伙伴志愿队", "助餐点"],
    ...                          "description": ["结对探访独居老人，每周上门", "老年人午餐助餐"],
    ...                          "capacity": [1, 50]})
    >>> res = match_needs(needs, services, top_k=1)
    >>> res.matches[["need_id", "service_id", "shared_terms"]].values.tolist()
    [['N1', 'S1', '上门、探访、独居、老人']]
    >>> res.gaps["need_id"].tolist()
    ['N2']
    >>> match_needs(needs, services, top_k=1, lang="en").matches["reason"].tolist()
    ['shared words: 上门, 探访, 独居, 老人']
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from commlib.text import Tokenizer

    if not (isinstance(top_k, int | np.integer) and top_k >= 1):
        raise ValueError(f"top_k must be a positive integer, got {top_k!r}.")
    service_text = (service_text,) if isinstance(service_text, str) else tuple(service_text)
    require_columns(needs, [need_id, need_text], where="the needs list (需求清单)")
    require_columns(services, [service_id, *service_text], where="the services list (服务清单)")

    n_text = needs[need_text].fillna("").astype(str).to_numpy(dtype=object)
    s_text = (
        services[list(service_text)]
        .fillna("")
        .astype(str)
        .agg("，".join, axis=1)
        .to_numpy(dtype=object)
    )
    corpus = np.concatenate([n_text, s_text]).tolist()
    n_needs = len(n_text)
    tok = tokenizer if tokenizer is not None else Tokenizer()
    word = TfidfVectorizer(
        tokenizer=tok, token_pattern=None, lowercase=False, sublinear_tf=True
    ).fit(corpus)
    char = TfidfVectorizer(
        tokenizer=Tokenizer("char"),
        token_pattern=None,
        lowercase=False,
        ngram_range=(2, 2),
        sublinear_tf=True,
    ).fit(corpus)
    wn, ws = word.transform(n_text.tolist()), word.transform(s_text.tolist())
    cn, cs = char.transform(n_text.tolist()), char.transform(s_text.tolist())
    score = 0.5 * (wn @ ws.T).toarray() + 0.5 * (cn @ cs.T).toarray()

    k = min(top_k, score.shape[1])
    order = np.argsort(-score, axis=1, kind="stable")[:, :k]
    sep = t("matching.terms_sep", check_lang(lang))
    vocab = np.asarray(word.get_feature_names_out(), dtype=object)
    wn, ws = wn.tocsr(), ws.tocsr()
    sids = services[service_id].astype(str).to_numpy(dtype=object)
    names = (
        services["name"].astype(str).to_numpy(dtype=object) if "name" in services.columns else sids
    )
    nids = needs[need_id].astype(str).to_numpy(dtype=object)
    records = []
    for i in range(n_needs):
        need_row = wn.getrow(i)
        for r, j in enumerate(order[i]):
            if score[i, j] <= 0:
                break
            prod = need_row.multiply(ws.getrow(j)).tocoo()
            top = prod.col[np.lexsort((vocab[prod.col].astype(str), -prod.data))][:5]
            shared = sep.join(vocab[top].tolist())
            reason = (
                t("matching.reason.shared", lang, terms=shared)
                if shared
                else t("matching.reason.similar", lang)
            )
            records.append(
                {
                    "need_id": nids[i],
                    "rank": r + 1,
                    "service_id": sids[j],
                    "name": names[j],
                    "score": float(round(score[i, j], 4)),
                    "shared_terms": shared,
                    "reason": reason,
                    "met": bool(score[i, j] >= threshold),
                }
            )
    matches = pd.DataFrame(
        records,
        columns=[
            "need_id",
            "rank",
            "service_id",
            "name",
            "score",
            "shared_terms",
            "reason",
            "met",
        ],
    )

    best = order[:, 0] if score.shape[1] else np.zeros(n_needs, dtype=np.intp)
    best_score = score[np.arange(n_needs), best] if score.shape[1] else np.zeros(n_needs)
    gap_mask = best_score < threshold
    gaps = needs.loc[gap_mask].copy()
    gaps["best_score"] = np.round(best_score[gap_mask], 4)
    best_name = pd.Series(names[best] if score.shape[1] else [None] * n_needs, dtype="object")
    gaps["best_service"] = best_name.where(best_score > 0).to_numpy()[gap_mask]
    gaps = gaps.reset_index(drop=True)

    demand = np.bincount(best[~gap_mask], minlength=len(services))
    load = pd.DataFrame({"service_id": sids, "name": names, "demand": demand})
    if capacity is not None and capacity in services.columns:
        cap = pd.to_numeric(services[capacity], errors="coerce").to_numpy(dtype=float)
        load.insert(2, "capacity", pd.array(cap, dtype="Float64").astype("Int64"))
        load["over_capacity"] = demand > np.nan_to_num(cap, nan=np.inf)
    else:
        load["over_capacity"] = False
    logger.info(
        "match_needs: %d needs, %d services, %d gaps", n_needs, len(services), int(gap_mask.sum())
    )
    return NeedMatches(matches=matches, gaps=gaps, load=load, threshold=float(threshold))
