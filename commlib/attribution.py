"""Root-cause attribution: find the one source behind tickets that look unrelated.

A noodle stall draws complaints about noise, sewage, illegal wiring, cooking fumes and
blocked pavement; each goes to a different department, and nobody sees that they share
one cause. This module links such tickets to a *source*: a place (``address_key``, with
differently written addresses of one building merged) and, where the texts name one, an
entity (面馆, 烧烤店, 工地, 快递点 ...). A source stands out when many tickets of many
distinct categories, handled by many departments, arrive at one place in a short window
that the place's own history does not explain.

- :func:`link_sources` ranks sources and maps tickets to them (:class:`SourceLinks`).
- :func:`source_timeline` draws one source's tickets by category over time.
- :func:`extract_entities` and :func:`entity_lexicon` find the named shop, stall or site
  in each text, from a bundled, extensible word list (``resources/entity_words.csv``).
- :func:`place_aliases` learns which compound-style addresses (枫林新村7号) are the
  same building as a road-style one (青枫路350弄7号), from the tickets themselves.

Everything here works on English 311 data too: ``complaint_type`` is the category,
``agency`` the department and ``Incident Address`` the address.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Mapping
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib._util import missing_label
from commlib.errors import CommlibError, require_columns

logger = logging.getLogger(__name__)

__all__ = [
    "SourceLinks",
    "entity_lexicon",
    "extract_entities",
    "link_sources",
    "place_aliases",
    "source_timeline",
]

_DAY = 86_400.0


# --------------------------------------------------------------------------------------
# entities
# --------------------------------------------------------------------------------------


@functools.cache
def _bundled_lexicon() -> tuple[tuple[str, str], ...]:
    ref = resources.files("commlib.resources").joinpath("entity_words.csv")
    with ref.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, comment="#", dtype=str, skip_blank_lines=True)
    return tuple(zip(table["word"].str.strip(), table["entity"].str.strip(), strict=True))


def entity_lexicon() -> dict[str, str]:
    """Return the bundled entity words as ``{word as written: canonical entity}``.

    The words come from ``commlib/resources/entity_words.csv``: shops, stalls and sites
    residents name in complaints (面馆, 烧烤店, 工地, 快递点, restaurant, bar ...), with
    the spellings of one kind of place mapped to one name (小面摊, 面摊, 卖面的 -> 面馆).
    Extend it with your own words and pass the result to :func:`extract_entities` or
    :func:`link_sources`.

    Returns
    -------
    dict
        A new dict; changing it does not change the bundled list.

    Examples
    --------
    >>> lex = entity_lexicon()
    >>> lex["小面摊"], lex["面馆"], lex["烧烤摊"]
    ('面馆', '面馆', '烧烤店')
    >>> mine = {**lex, "牛肉面": "面馆"}
    """
    return dict(_bundled_lexicon())


def _lexicon_dict(lexicon) -> dict[str, str]:
    if lexicon is None:
        return entity_lexicon()
    if isinstance(lexicon, str | PathLike):
        table = pd.read_csv(lexicon, comment="#", dtype=str)
        require_columns(table, ["word", "entity"], where=f"entity lexicon {lexicon}")
        return dict(zip(table["word"].str.strip(), table["entity"].str.strip(), strict=True))
    if isinstance(lexicon, pd.DataFrame):
        require_columns(lexicon, ["word", "entity"], where="entity lexicon")
        return dict(zip(lexicon["word"].astype(str), lexicon["entity"].astype(str), strict=True))
    if isinstance(lexicon, Mapping):
        return {str(k): str(v) for k, v in lexicon.items()}
    return {str(w): str(w) for w in lexicon}


def _word_regex(word: str) -> str:
    esc = re.escape(word)
    # ASCII words need word boundaries ("bar" must not match "barrier").
    if word.isascii() and word[:1].isalnum():
        return rf"\b{esc}\b"
    return esc


#: Generic pattern for shops named with a determiner: 那家小面店, 这家烧烤摊, 一家足浴店.
_GENERIC_ENTITY = r"(?:那家|这家|一家|那个|这个)([\u4e00-\u9fff]{1,4}?(?:店|馆|摊|铺|厂|档))"


def extract_entities(
    df: pd.DataFrame,
    *,
    column: str = "text",
    lexicon=None,
    patterns: bool = True,
) -> pd.Series:
    """Find the shop, stall or site each ticket text names, as one canonical name.

    Use it to see *what* residents complain about at a place (面馆, 工地, 快递点), so
    tickets about one stall can be linked even when their categories differ.
    The longest lexicon word in a text wins (小面摊 before 面摊); its canonical name is
    returned. With ``patterns=True``, a text no word matches is also searched for a
    shop named with a determiner (那家/这家/一家 + up to four characters + 店/馆/摊/铺/
    厂/档), returned as written after the determiner.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    column : str, default "text"
        Text column.
    lexicon : dict, DataFrame, path or list, optional
        ``{word: entity}``, a table with ``word`` and ``entity`` columns, a CSV path, or
        a list of words (each its own entity). Default: :func:`entity_lexicon`.
        Matching is case-insensitive.
    patterns : bool, default True
        Also use the generic determiner pattern.

    Returns
    -------
    pandas.Series
        Canonical entity per ticket (``str`` dtype, missing where none is named),
        same index as ``df``, named ``entity``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["楼下小面摊半夜很吵", "那家小面店私拉电线",
    ...                             "Loud music from the bar", "楼上漏水"]})
    >>> extract_entities(df).tolist()
    ['面馆', '面馆', 'bar', nan]
    >>> extract_entities(df, lexicon={"漏水": "水管"}).tolist()
    [nan, '小面店', nan, '水管']
    """
    require_columns(df, [column], where="extract_entities")
    words = _lexicon_dict(lexicon)
    # work on positions: a duplicated index must not break the reindexing below
    text = df[column].astype("str").reset_index(drop=True)
    out = pd.Series(np.nan, index=df.index, dtype="str", name="entity")
    if len(df) == 0:
        return out
    out = out.reset_index(drop=True)
    if words:
        ordered = sorted(words, key=len, reverse=True)
        regex = "(" + "|".join(_word_regex(w) for w in ordered) + ")"
        found = text.str.extract(regex, flags=re.IGNORECASE, expand=False)
        lookup = {w.lower(): e for w, e in words.items()}
        out = found.str.lower().map(lookup).astype("str").rename("entity")
    if patterns:
        todo = out.isna()
        if todo.any():
            generic = text[todo].str.extract(_GENERIC_ENTITY, expand=False)
            out = out.mask(todo, generic.reindex(out.index))
    return out.astype("str").rename("entity").set_axis(df.index)


# --------------------------------------------------------------------------------------
# places
# --------------------------------------------------------------------------------------

_KEY_NUMBER = r"^(?P<prefix>.+?)(?P<num>\d+)号$"


def place_aliases(
    df: pd.DataFrame, *, column: str = "address_key", community: str = "community"
) -> pd.DataFrame:
    """Learn which compound-style keys name the same building as a road-style key.

    Residents write one building as 枫林新村7号楼 or as 青枫路350弄7号; after
    :func:`commlib.address_key` these are still two keys (枫林新村7号, 青枫路350弄7号).
    A key ``<compound>N号`` is an alias of a key ``<road>N号`` when the tickets at both
    carry that compound in ``community`` (most often), the compound's name is the key's
    prefix, and exactly one road-style key of that compound has number N. Ambiguous
    cases are left alone. Nothing is assumed about street names: the pairs are learned
    from the tickets.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with ``column`` and ``community``. Not modified.
    column : str, default "address_key"
        The place-key column.
    community : str, default "community"
        Compound column. Without it no alias is found.

    Returns
    -------
    pandas.DataFrame
        One row per alias: ``alias``, ``place`` (the road-style key it maps to),
        ``community``. Empty when there is none.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "address_key": ["枫林新村7号", "青枫路350弄7号", "青枫路350弄8号", "枫林新村9号"],
    ...     "community": ["枫林新村"] * 4})
    >>> place_aliases(df).to_numpy().tolist()
    [['枫林新村7号', '青枫路350弄7号', '枫林新村']]
    """
    empty = pd.DataFrame(
        {
            "alias": pd.Series(dtype="str"),
            "place": pd.Series(dtype="str"),
            "community": pd.Series(dtype="str"),
        }
    )
    require_columns(df, [column], where="place_aliases")
    if community not in df.columns or len(df) == 0:
        return empty
    pairs = df[[column, community]].dropna()
    if pairs.empty:
        return empty
    mode = (
        pairs.groupby([column, community], observed=True)
        .size()
        .rename("n")
        .reset_index()
        .sort_values([column, "n"], ascending=[True, False], kind="stable")
        .drop_duplicates(column)
    )
    parts = mode[column].astype("str").str.extract(_KEY_NUMBER)
    mode = mode.assign(prefix=parts["prefix"], num=parts["num"]).dropna(subset=["num"])
    comm = mode[community].astype("str").str.replace(r"(居委会?|居民区)$", "", regex=True)
    is_compound = mode["prefix"].astype("str") == comm
    compound = mode[is_compound].assign(_c=comm[is_compound])
    road = mode[~is_compound].assign(_c=comm[~is_compound])
    cand = compound.merge(road, on=["_c", "num"], suffixes=("", "_road"))
    unique = cand.groupby(column)[f"{column}_road"].transform("nunique") == 1
    cand = cand[unique]
    if cand.empty:
        return empty
    return pd.DataFrame(
        {
            "alias": cand[column].astype("str").to_numpy(),
            "place": cand[f"{column}_road"].astype("str").to_numpy(),
            "community": cand["_c"].astype("str").to_numpy(),
        }
    )


def _places(df: pd.DataFrame, column: str, community: str, merge_aliases: bool) -> pd.Series:
    """The place of each ticket: ``column`` with learned building aliases merged."""
    if column == "address_key" and column not in df.columns and "address" in df.columns:
        from commlib.clean import address_key

        keys = address_key(df["address"])
    else:
        require_columns(df, [column], where="the place column")
        keys = df[column]
    keys = keys.astype("str")
    if merge_aliases and community in df.columns:
        table = place_aliases(df.assign(**{column: keys}), column=column, community=community)
        if len(table):
            keys = keys.replace(dict(zip(table["alias"], table["place"], strict=True)))
    return keys.rename("place")


def _road(keys: pd.Series) -> pd.Series:
    """Street part of a place key: 云岭西路58弄5号 -> 云岭西路; 123 MAIN ST -> MAIN ST."""
    zh = keys.str.extract(r"^(.+?[路街道巷里])(?:\d+弄)?\d+号", expand=False)
    en = keys.str.extract(r"^\d+[A-Z]?\s+(.+)$", expand=False)
    return zh.fillna(en)


# --------------------------------------------------------------------------------------
# window machinery (vectorised)
# --------------------------------------------------------------------------------------


def _window_pairs(group: np.ndarray, secs: np.ndarray, width: float):
    """For rows sorted by (group, time): each row's window [t, t + width) in its group.

    Returns ``end`` (exclusive row index per start row) and the flattened pairs
    ``starts``/``members`` (row indices) of all windows.
    """
    n = len(group)
    span = float(secs.max() - secs.min()) if n else 0.0
    big = span + 2.0 * width + 1.0
    key = group.astype(np.float64) * big + (secs - (secs.min() if n else 0.0))
    end = np.searchsorted(key, key + width, side="left")
    counts = end - np.arange(n)
    total = int(counts.sum())
    starts = np.repeat(np.arange(n), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return end, starts, starts + offsets


def _prev_same(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Row index of the previous row with the same (group, value), or -1."""
    idx = pd.Series(np.arange(len(group)))
    prev = idx.groupby([group, values], sort=False).shift(1)
    return prev.fillna(-1).to_numpy(dtype=np.int64)


def _distinct_in_windows(starts, members, prev, n) -> np.ndarray:
    new = prev[members] < starts
    return np.bincount(starts[new], minlength=n)


def _poisson_surprise(n: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """-log10 P(Poisson(lam) >= n), the burst surprise."""
    from scipy.special import pdtrc  # P(Poisson(lam) > k); scipy.special loads fast

    lam = np.maximum(lam, 1e-12)
    n = np.asarray(n, dtype=np.float64)
    tail = np.where(n > 0, pdtrc(np.maximum(n - 1, 0), lam), 1.0)
    return np.maximum(-np.log10(np.maximum(tail, 1e-300)), 0.0)


@dataclasses.dataclass(frozen=True)
class _Prepared:
    order: np.ndarray  # positions into df, sorted by (place, time)
    place_codes: np.ndarray  # sorted
    places: np.ndarray  # code -> place label
    secs: np.ndarray  # sorted
    cat: np.ndarray
    dep: np.ndarray | None
    weight: np.ndarray  # 1 for independent tickets, 0 for repeat calls
    comm_codes: np.ndarray  # per row, sorted order
    span_days: float


def _window_scores(p: _Prepared, place_codes: np.ndarray, width: float, prior_days: float):
    """Per window (one per start row): n, k, d, lambda, surprise, score."""
    n_rows = len(place_codes)
    # rows must be sorted by (place, time) for the given codes
    end, starts, members = _window_pairs(place_codes, p.secs, width)
    prev_c = _prev_same(place_codes, p.cat)
    k = _distinct_in_windows(starts, members, prev_c, n_rows)
    if p.dep is not None:
        prev_d = _prev_same(place_codes, p.dep)
        d = _distinct_in_windows(starts, members, prev_d, n_rows)
    else:
        d = k
    n_all = end - np.arange(n_rows)
    n_ind = np.bincount(starts, weights=p.weight[members], minlength=n_rows)
    # empirical-Bayes rate of the place, from its tickets outside the window
    total = np.bincount(place_codes, weights=p.weight)[place_codes]
    width_days = width / _DAY
    t_out = max(p.span_days - width_days, width_days)
    # neighbourhood prior: tickets per place per day in the place's community
    comm_total = np.bincount(p.comm_codes, weights=p.weight)
    first_row = np.r_[True, place_codes[1:] != place_codes[:-1]]
    comm_places = np.bincount(p.comm_codes[first_row], minlength=len(comm_total))
    r0 = comm_total / np.maximum(comm_places, 1) / max(p.span_days, width_days)
    r0_row = r0[p.comm_codes]
    rate = (np.maximum(total - n_ind, 0.0) + prior_days * r0_row) / (t_out + prior_days)
    lam = rate * width_days
    surprise = _poisson_surprise(n_ind, lam)
    score = surprise * (k + d) / 2.0
    return {
        "end": end,
        "n": n_all,
        "n_ind": n_ind,
        "k": k,
        "d": d,
        "lam": lam,
        "surprise": surprise,
        "score": score,
    }


def _best_per_place(place_codes, w, min_tickets, min_categories):
    ok = (w["n"] >= min_tickets) & (w["k"] >= min_categories)
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return rows
    frame = pd.DataFrame({"place": place_codes[rows], "score": w["score"][rows], "row": rows})
    frame = frame.sort_values(["place", "score", "row"], ascending=[True, False, True])
    return frame.drop_duplicates("place")["row"].to_numpy()


def _null_max_scores(
    p: _Prepared, width, prior_days, min_tickets, min_categories, n_permutations, random_state
):
    """Max source score when places are shuffled among tickets within each community."""
    rng = np.random.default_rng(random_state)
    n = len(p.place_codes)
    by_comm = np.argsort(p.comm_codes, kind="stable")
    out = np.zeros(n_permutations)
    for b in range(n_permutations):
        shuffled = np.lexsort((rng.random(n), p.comm_codes))
        perm_place = np.empty(n, dtype=p.place_codes.dtype)
        perm_place[by_comm] = p.place_codes[shuffled]
        order = np.lexsort((p.secs, perm_place))
        q = dataclasses.replace(
            p,
            secs=p.secs[order],
            cat=p.cat[order],
            dep=None if p.dep is None else p.dep[order],
            weight=p.weight[order],
            comm_codes=p.comm_codes[order],
        )
        codes = perm_place[order]
        w = _window_scores(q, codes, width, prior_days)
        best = _best_per_place(codes, w, min_tickets, min_categories)
        out[b] = w["score"][best].max() if len(best) else 0.0
    return out


# --------------------------------------------------------------------------------------
# link_sources
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SourceLinks:
    """What :func:`link_sources` returns.

    Attributes
    ----------
    sources : pandas.DataFrame
        One row per candidate source, strongest first (see :func:`link_sources`).
    mapping : pandas.DataFrame
        One row per input ticket (same index as the input): ``ticket_id`` (if the input
        has it), ``place``, ``entity``, ``joined`` (True when the ticket was moved to a
        nearby place naming the same entity) and ``source_id`` (missing when the ticket
        belongs to no listed source).
    null_scores : numpy.ndarray
        The top source score in each permutation of the null (places shuffled among
        tickets within each community); empty when ``n_permutations=0``.
    params : dict
        The parameters used.
    """

    sources: pd.DataFrame
    mapping: pd.DataFrame
    null_scores: np.ndarray
    params: dict

    @property
    def strong(self) -> pd.DataFrame:
        """The sources whose score beats the permutation null (``strong`` is True)."""
        return self.sources[self.sources["strong"]]

    def __repr__(self) -> str:
        n_strong = int(self.sources["strong"].sum()) if len(self.sources) else 0
        return (
            f"SourceLinks({len(self.sources)} candidate sources, {n_strong} strong; "
            f"{int(self.mapping['source_id'].notna().sum())} tickets linked)"
        )


def _join_entities(
    place: pd.Series,
    entity: pd.Series,
    secs: np.ndarray,
    width,
    min_tickets,
    home_share,
    community: pd.Series | None = None,
):
    """Move tickets naming an entity to the nearby place where that entity is at home.

    An entity E is *at home* at place A when at least ``min_tickets`` of A's tickets
    name it and they are at least ``home_share`` of A's tickets (a stall's own address).
    A ticket naming E from a place where E is not at home moves to the home of E on the
    same road (see ``_road``) and in the same community (when known) that has the most
    tickets naming E within +/- ``width`` of it (at least one). Shops that are each other's neighbours stay apart, since each is
    the home of its own entity. Returns the new places and a moved mask.
    """
    n_all = len(place)
    moved = np.zeros(n_all, dtype=bool)
    has = entity.notna().to_numpy() & place.notna().to_numpy()
    if has.sum() < 2:
        return place, moved
    pl = place.to_numpy(dtype=object)
    ent = entity.to_numpy(dtype=object)
    total = place.value_counts()
    frame = pd.DataFrame({"pos": np.flatnonzero(has), "place": pl[has], "entity": ent[has]})
    frame["road"] = _road(frame["place"].astype("str")).to_numpy(dtype=object)
    if community is not None:
        # a long road crosses many compounds: nearby means the same road in the same one
        comm = community.fillna("").astype(str).to_numpy(dtype=object)[frame["pos"].to_numpy()]
        frame["road"] = frame["road"].where(frame["road"].isna(), frame["road"] + "\x1e" + comm)
    frame = frame[frame["road"].notna()]
    if frame.empty:
        return place, moved
    n_named = frame.groupby(["place", "entity"])["pos"].transform("size").to_numpy()
    share = n_named / total.reindex(frame["place"]).to_numpy()
    frame["home"] = (n_named >= min_tickets) & (share >= home_share)
    frame["group"] = pd.factorize(frame["road"].astype(str) + "\x1f" + frame["entity"].astype(str))[
        0
    ]
    frame["t"] = secs[frame["pos"].to_numpy()]
    homes = frame[frame["home"]].sort_values(["group", "t"])
    movers = frame[~frame["home"] & frame["group"].isin(homes["group"])]
    if homes.empty or movers.empty:
        return place, moved
    t0 = float(frame["t"].min())
    span = float(frame["t"].max()) - t0 + 2 * width + 1
    hkey = homes["group"].to_numpy() * span + (homes["t"].to_numpy() - t0)
    mkey = movers["group"].to_numpy() * span + (movers["t"].to_numpy() - t0)
    lo = np.searchsorted(hkey, mkey - width, side="left")
    hi = np.searchsorted(hkey, mkey + width, side="right")
    counts = hi - lo
    if counts.sum() == 0:
        return place, moved
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pairs = pd.DataFrame(
        {
            "mover": np.repeat(movers["pos"].to_numpy(), counts),
            "anchor": homes["place"].to_numpy()[np.repeat(lo, counts) + offsets],
        }
    )
    tally = pairs.groupby(["mover", "anchor"]).size().rename("n").reset_index()
    best = tally.sort_values(["mover", "n", "anchor"], ascending=[True, False, True])
    best = best.drop_duplicates("mover")
    new_place = pl.copy()
    new_place[best["mover"].to_numpy()] = best["anchor"].to_numpy()
    moved[best["mover"].to_numpy()] = True
    return pd.Series(new_place, index=place.index, dtype="str", name="place"), moved


@renamed_parameters(time="date")
def link_sources(
    df: pd.DataFrame,
    *,
    window: str | pd.Timedelta = "14D",
    min_tickets: int = 3,
    min_categories: int = 2,
    place: str = "address_key",
    category: str = "category",
    department: str | None = "department",
    text: str | None = "text",
    community: str | None = "community",
    date: str = "created_at",
    merge_aliases: bool = True,
    lexicon=None,
    join_entities: bool = True,
    home_share: float = 0.3,
    prior_days: float = 30.0,
    n_permutations: int = 19,
    alpha: float = 0.05,
    n_examples: int = 3,
    random_state: int | None = 0,
) -> SourceLinks:
    """Link tickets that point at one source, and rank the sources.

    Use it to find the stall, site or shop behind tickets that look unrelated (noise,
    sewage, illegal wiring) and that several departments are handling separately.

    How it works, in four steps:

    1. **Place.** Each ticket's place is its ``address_key`` with building aliases
       merged (:func:`place_aliases`). An entity (:func:`extract_entities`) is *at
       home* at a place where at least ``min_tickets`` tickets, and at least
       ``home_share`` of the place's tickets, name it (the stall's own address). A
       ticket naming the entity from elsewhere on the same road (in the same
       community, when there is a ``community`` column) joins the home that
       is named most within +/- ``window`` of it: a resident of No. 58 calling about
       "the noodle stall downstairs" is linked to the stall at No. 123, while two
       neighbouring restaurants, each the home of its own mentions, stay apart.
    2. **Windows.** For every ticket, the window ``[its time, its time + window)`` at its
       place holds ``n`` tickets in ``k`` distinct categories handled by ``d`` distinct
       departments.
    3. **Score.** The place's expected count in a window of this length is
       ``lambda = w * (c_out + m * r0) / (T_out + m)``: an empirical-Bayes blend of the
       place's own rate outside the window (``c_out`` tickets in ``T_out`` days) and the
       neighbourhood's rate ``r0`` (tickets per place per day in its community), weighted
       by ``m = prior_days`` (30: a month of the neighbourhood's rate, so a place with
       a long quiet history counts as quiet). Repeat calls (``repeat_of`` filled by
       :func:`commlib.clean_tickets`) do not count towards ``n`` here. The burst surprise
       is ``S = -log10 P(Poisson(lambda) >= n)``, and

       ``score = S * (k + d) / 2``

       so a source scores high when the burst is unlikely for that place *and* spans
       many categories and departments. Each place keeps its best window with
       ``n >= min_tickets`` and ``k >= min_categories``.
    4. **Null.** The whole search is repeated ``n_permutations`` times with places
       shuffled among tickets within each community (times, categories and departments
       kept), which destroys any link between place and burst. ``p_value`` is the share
       of permutations (counting the observed one) whose *top* score reaches the
       source's score, so it already accounts for searching every place and window;
       ``strong`` is ``p_value <= alpha``. Random tickets give no strong source.

    Work per step is vectorised (group codes, ``searchsorted`` windows, ``bincount``);
    the cost grows with the number of tickets times the tickets per window.

    Parameters
    ----------
    df : pandas.DataFrame
        Clean tickets (:func:`commlib.clean_tickets`). Not modified. Needs ``date``,
        ``category`` and ``place`` (or ``address``, from which the key is built).
    window : str or Timedelta, default "14D"
        Length of the burst window.
    min_tickets, min_categories : int, default 3 and 2
        Smallest window listed as a source.
    place : str, default "address_key"
        Place column.
    category, department, text, community, date : str
        Column names. ``department``, ``text`` and ``community`` may be None or absent:
        without departments ``d = k``; without text no entity is used; without
        community the whole table is one neighbourhood.
    merge_aliases : bool, default True
        Merge compound-style and road-style keys of one building.
    lexicon : optional
        Entity words, as for :func:`extract_entities`.
    join_entities : bool, default True
        Step 1's joining of nearby tickets naming the same entity.
    home_share : float, default 0.3
        Share of a place's tickets that must name an entity for the place to be its home.
    prior_days : float, default 30
        Weight of the neighbourhood rate, in days of the place's own history.
    n_permutations : int, default 19
        Permutations of the null; 0 skips it (``p_value`` missing, ``strong`` False).
        19 permutations resolve p down to 0.05; use 99 or more for finer p-values.
    alpha : float, default 0.05
        Level for ``strong``.
    n_examples : int, default 3
        Representative tickets per source (one per category first), masked with
        :func:`commlib.mask_pii`.
    random_state : int, optional
        Seed of the permutations.

    Returns
    -------
    SourceLinks
        ``.sources``: ``source_id``, ``place``, ``entity`` (most named, if at least two
        tickets name it), ``entity_share``, ``community``, ``n_tickets``,
        ``n_categories``, ``n_departments``, ``categories``, ``departments`` (lists,
        most frequent first), ``first``, ``last``, ``days``, ``expected`` (lambda),
        ``surprise`` (S), ``score``, ``p_value``, ``strong``, ``joined`` (tickets moved
        in by entity), ``examples`` (list of masked texts). ``.mapping``: ticket to
        source. ``.null_scores``: top score per permutation.

    Raises
    ------
    commlib.errors.MissingColumnsError
        If ``date`` or ``category`` (or a place) is missing.

    See Also
    --------
    source_timeline : draw one source's tickets over time.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-06-03", "2024-06-05", "2024-06-08",
    ...                                   "2024-06-10", "2024-09-01", "2024-03-01"]),
    ...     "category": ["噪音扰民", "环境卫生", "用电安全", "油烟扰民", "噪音扰民", "停车管理"],
    ...     "department": ["城管执法中队", "绿化市容所", "供电公司", "市场监管所", "派出所", "交警中队"],
    ...     "text": ["面馆半夜吵", "面摊污水横流", "小面店私拉电线", "面馆油烟直排", "装修吵", "乱停车"],
    ...     "address": ["云岭西路123号", "云岭西路123号底商", "云岭西路一二三号",
    ...                 "云岭西路１２３号门口", "兰亭苑3号楼", "兰亭苑3号楼"]})
    >>> links = link_sources(df, n_permutations=0)
    >>> top = links.sources.iloc[0]
    >>> top["place"], top["entity"], int(top["n_categories"]), int(top["n_departments"])
    ('云岭西路123号', '面馆', 4, 4)
    >>> links.mapping["source_id"].tolist()[:4]
    ['S1', 'S1', 'S1', 'S1']
    """
    require_columns(df, [date, category], where="link_sources")
    if place not in df.columns and not (place == "address_key" and "address" in df.columns):
        require_columns(df, [place], where="link_sources")
    width = pd.Timedelta(window).total_seconds()
    if width <= 0:
        raise CommlibError(f"window must be positive, got {window!r}.")
    has_dep = department is not None and department in df.columns
    has_text = text is not None and text in df.columns
    has_comm = community is not None and community in df.columns

    places = _places(df, place, community or "community", merge_aliases and has_comm)
    entity = (
        extract_entities(df, column=text, lexicon=lexicon)
        if has_text
        else pd.Series(np.nan, index=df.index, dtype="str", name="entity")
    )
    when = pd.to_datetime(df[date])
    keep = when.notna().to_numpy() & places.notna().to_numpy() & df[category].notna().to_numpy()
    secs_all = np.full(len(df), np.nan)
    secs_all[keep] = (when[keep] - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy()
    moved = np.zeros(len(df), dtype=bool)
    if join_entities and has_text:
        sub = np.flatnonzero(keep)
        new_pl, mv = _join_entities(
            places.iloc[sub].reset_index(drop=True),
            entity.iloc[sub].reset_index(drop=True),
            secs_all[sub],
            width,
            min_tickets,
            home_share,
            df[community].iloc[sub].reset_index(drop=True) if has_comm else None,
        )
        pl_arr = places.to_numpy(dtype=object).copy()
        pl_arr[sub] = new_pl.to_numpy(dtype=object)
        places = pd.Series(pl_arr, index=df.index, dtype="str", name="place")
        moved[sub] = mv

    mapping = pd.DataFrame(index=df.index)
    if "ticket_id" in df.columns:
        mapping["ticket_id"] = df["ticket_id"]
    mapping["place"] = places
    mapping["entity"] = entity
    mapping["joined"] = moved
    mapping["source_id"] = pd.Series(np.nan, index=df.index, dtype="str")
    params = {
        "window": str(window),
        "min_tickets": min_tickets,
        "min_categories": min_categories,
        "prior_days": prior_days,
        "n_permutations": n_permutations,
        "alpha": alpha,
        "random_state": random_state,
    }

    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return SourceLinks(_empty_sources(), mapping, np.zeros(0), params)
    pcodes, plabels = pd.factorize(places.iloc[rows])
    secs = secs_all[rows]
    order = np.lexsort((secs, pcodes))
    pos = rows[order]  # positions into df, sorted by (place, time)
    cat_codes = pd.factorize(df[category].iloc[pos])[0]
    dep_codes = pd.factorize(df[department].iloc[pos])[0] if has_dep else None
    if "repeat_of" in df.columns:
        weight = df["repeat_of"].iloc[pos].isna().to_numpy().astype(np.float64)
    else:
        weight = np.ones(len(pos))
    if has_comm:
        comm_codes = pd.factorize(df[community].iloc[pos].fillna(""))[0]
    else:
        comm_codes = np.zeros(len(pos), dtype=np.int64)
    span_days = float(secs.max() - secs.min()) / _DAY + 1.0
    prep = _Prepared(
        order=pos,
        place_codes=pcodes[order],
        places=np.asarray(plabels, dtype=object),
        secs=secs[order],
        cat=cat_codes,
        dep=dep_codes,
        weight=weight,
        comm_codes=comm_codes,
        span_days=span_days,
    )
    w = _window_scores(prep, prep.place_codes, width, prior_days)
    best = _best_per_place(prep.place_codes, w, min_tickets, min_categories)
    if len(best) == 0:
        return SourceLinks(_empty_sources(), mapping, np.zeros(0), params)
    null = (
        _null_max_scores(
            prep, width, prior_days, min_tickets, min_categories, n_permutations, random_state
        )
        if n_permutations > 0
        else np.zeros(0)
    )

    scores = w["score"][best]
    ranked = best[np.argsort(-scores, kind="stable")]
    ids = np.array([f"S{i + 1}" for i in range(len(ranked))], dtype=object)
    # members of each chosen window
    counts = w["end"][ranked] - ranked
    member_rows = np.repeat(ranked, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    member_ids = np.repeat(ids, counts)
    member_pos = prep.order[member_rows]
    members = pd.DataFrame(
        {
            "source_id": member_ids,
            "pos": member_pos,
            "category": df[category].iloc[member_pos].to_numpy(dtype=object),
            "department": (
                df[department].iloc[member_pos].to_numpy(dtype=object) if has_dep else None
            ),
            "entity": entity.iloc[member_pos].to_numpy(dtype=object),
            "time": when.iloc[member_pos].to_numpy(),
            "joined": moved[member_pos],
            "text": (df[text].iloc[member_pos].to_numpy(dtype=object) if has_text else None),
        }
    )
    # by position: labels would hit every row of a duplicated index
    mapping.iloc[member_pos, mapping.columns.get_loc("source_id")] = member_ids

    def _ranked_lists(col):
        vc = members.groupby(["source_id", col], sort=False).size().rename("n").reset_index()
        vc = vc.sort_values(["source_id", "n", col], ascending=[True, False, True])
        return vc.groupby("source_id", sort=False)[col].agg(list)

    cats = _ranked_lists("category")
    deps = _ranked_lists("department") if has_dep else None
    ent = members.dropna(subset=["entity"])
    ent_counts = ent.groupby(["source_id", "entity"]).size().rename("n").reset_index()
    ent_top = ent_counts.sort_values(["source_id", "n", "entity"], ascending=[True, False, True])
    ent_top = ent_top.drop_duplicates("source_id").set_index("source_id")
    size = members.groupby("source_id").size()
    examples = _examples(members, n_examples) if has_text else None

    sources = pd.DataFrame({"source_id": ids})
    sources["place"] = prep.places[prep.place_codes[ranked]]
    top_entity = ent_top["entity"].where(ent_top["n"] >= 2).reindex(ids)
    sources["entity"] = top_entity.to_numpy()
    sources["entity_share"] = (ent_top["n"].reindex(ids).fillna(0) / size.reindex(ids)).to_numpy()
    if has_comm:
        comm = members.assign(c=df[community].iloc[members["pos"]].to_numpy(dtype=object))
        comm = comm.dropna(subset=["c"]).groupby(["source_id", "c"]).size().rename("n")
        comm = comm.reset_index().sort_values(["source_id", "n"], ascending=[True, False])
        comm = comm.drop_duplicates("source_id").set_index("source_id")["c"]
        sources["community"] = comm.reindex(ids).to_numpy()
    sources["n_tickets"] = counts
    sources["n_categories"] = w["k"][ranked]
    sources["n_departments"] = w["d"][ranked] if has_dep else np.nan
    sources["categories"] = cats.reindex(ids).to_numpy()
    sources["departments"] = deps.reindex(ids).to_numpy() if has_dep else None
    first = members.groupby("source_id")["time"].min().reindex(ids)
    last = members.groupby("source_id")["time"].max().reindex(ids)
    sources["first"] = first.to_numpy()
    sources["last"] = last.to_numpy()
    sources["days"] = ((last - first).dt.total_seconds() / _DAY).round(1).to_numpy()
    sources["expected"] = w["lam"][ranked]
    sources["surprise"] = w["surprise"][ranked]
    sources["score"] = w["score"][ranked]
    if len(null):
        ge = (null[None, :] >= sources["score"].to_numpy()[:, None]).sum(axis=1)
        sources["p_value"] = (1 + ge) / (1 + len(null))
        sources["strong"] = sources["p_value"] <= alpha
    else:
        sources["p_value"] = np.nan
        sources["strong"] = False
    sources["joined"] = members.groupby("source_id")["joined"].sum().reindex(ids).to_numpy()
    sources["examples"] = examples.reindex(ids).to_numpy() if examples is not None else None
    sources["source_id"] = sources["source_id"].astype("str")
    sources["place"] = sources["place"].astype("str")
    sources["entity"] = sources["entity"].astype("str")
    return SourceLinks(sources, mapping, null, params)


def _examples(members: pd.DataFrame, n_examples: int) -> pd.Series:
    """Up to ``n_examples`` masked texts per source, one per category first."""
    from commlib.privacy import mask_pii

    m = members.dropna(subset=["text"]).copy()
    m = m[m["text"].astype(str).str.len() > 0]
    if m.empty or n_examples <= 0:
        return pd.Series(dtype=object)
    m["has_entity"] = m["entity"].notna()
    m = m.sort_values(["source_id", "has_entity", "time"], ascending=[True, False, True])
    m["first_of_cat"] = ~m.duplicated(["source_id", "category"])
    m = m.sort_values(["source_id", "first_of_cat", "time"], ascending=[True, False, True])
    m = m.groupby("source_id", sort=False).head(n_examples)
    m["masked"] = mask_pii(m["text"].astype("str")).to_numpy()
    return m.groupby("source_id", sort=False)["masked"].agg(list)


def _empty_sources() -> pd.DataFrame:
    cols = [
        "source_id",
        "place",
        "entity",
        "entity_share",
        "community",
        "n_tickets",
        "n_categories",
        "n_departments",
        "categories",
        "departments",
        "first",
        "last",
        "days",
        "expected",
        "surprise",
        "score",
        "p_value",
        "strong",
        "joined",
        "examples",
    ]
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out["strong"] = out["strong"].astype(bool)
    return out


# --------------------------------------------------------------------------------------
# chart
# --------------------------------------------------------------------------------------


@renamed_parameters(time="date")
def source_timeline(
    df: pd.DataFrame,
    source,
    *,
    mapping: pd.DataFrame | None = None,
    place: str = "address_key",
    category: str = "category",
    department: str | None = "department",
    date: str = "created_at",
    pad: str | pd.Timedelta = "14D",
    merge_aliases: bool = True,
    ax=None,
    lang: str = "zh",
):
    """Draw one source's tickets by category over time, coloured by department.

    Use it to show, on one chart, that complaints of different kinds at one place came
    together in a short burst and went to different departments.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    source : pandas.Series, str
        A row of :attr:`SourceLinks.sources` (its ``place``, ``first`` and ``last`` are
        used) or a place key.
    mapping : pandas.DataFrame, optional
        :attr:`SourceLinks.mapping`; with it, tickets moved to the source by entity
        joining are included.
    place, category, department, date : str
        Column names.
    pad : str or Timedelta, default "14D"
        Time shown before the first and after the last ticket of the source.
    merge_aliases : bool, default True
        As in :func:`link_sources` (used when ``mapping`` is not given).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made otherwise.
    lang : {"zh", "en"}, default "zh"
        Language of the title, axis labels and legend (categories and departments are
        data and stay as they are).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-06-03", "2024-06-05", "2024-06-08"]),
    ...     "category": ["噪音扰民", "环境卫生", "用电安全"],
    ...     "department": ["城管执法中队", "绿化市容所", "供电公司"],
    ...     "address": ["云岭西路123号"] * 3})
    >>> ax = source_timeline(df, "云岭西路123号")
    >>> sorted(t.get_text() for t in ax.get_yticklabels())
    ['噪音扰民', '环境卫生', '用电安全']
    >>> source_timeline(df, "云岭西路123号", lang="en").get_title()
    '云岭西路123号: 3 tickets in 3 categories'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    require_columns(df, [date, category], where="source_timeline")
    if isinstance(source, pd.Series):
        key = str(source["place"])
        first = pd.Timestamp(source["first"]) if "first" in source else None
        last = pd.Timestamp(source["last"]) if "last" in source else None
    else:
        key, first, last = str(source), None, None
    if mapping is not None:
        places = mapping["place"].reindex(df.index)
    else:
        places = _places(df, place, "community", merge_aliases)
    rows = df[(places == key).to_numpy()]
    when = pd.to_datetime(rows[date])
    pad_td = pd.Timedelta(pad)
    lo = (first if first is not None else when.min()) - pad_td
    hi = (last if last is not None else when.max()) + pad_td
    inside = when.between(lo, hi)
    rows, when = rows[inside.to_numpy()], when[inside]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * max(rows[category].nunique(), 3) + 1.5))
    if rows.empty:
        ax.set_title(t("attribution.no_tickets", lang, place=key))
        return ax
    cats = rows[category].value_counts().index.tolist()
    ypos = rows[category].map({c: i for i, c in enumerate(cats)}).to_numpy()
    has_dep = department is not None and department in rows.columns
    groups = (
        rows[department].fillna(missing_label(lang)) if has_dep else pd.Series("", index=rows.index)
    )
    palette = plt.get_cmap("tab10")
    for i, (dep, idx) in enumerate(groups.groupby(groups, sort=True).groups.items()):
        sel = rows.index.get_indexer(idx)
        ax.scatter(
            when.to_numpy()[sel],
            ypos[sel],
            s=70,
            color=palette(i % 10),
            label=dep if has_dep else None,
            zorder=3,
            edgecolor="white",
        )
    if first is not None and last is not None:
        ax.axvspan(
            first, last, color="#F5B7B1", alpha=0.35, zorder=1, label=t("attribution.window", lang)
        )
    ax.set_yticks(range(len(cats)), cats)
    ax.set_ylim(-0.7, len(cats) - 0.3)
    ax.set_xlabel(t("attribution.axis.time", lang))
    ax.set_ylabel(t("attribution.axis.category", lang))
    ax.set_title(t("attribution.title", lang, place=key, n=len(rows), k=len(cats)))
    if has_dep:
        ax.legend(
            title=t("attribution.legend", lang),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            frameon=False,
        )
    ax.figure.autofmt_xdate()
    return ax
