"""link_sources and its result (part of commlib.attribution)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from commlib._compat import renamed_parameters
from commlib.attribution._entities import extract_entities
from commlib.attribution._kinds import _kind_column
from commlib.attribution._places import _place_kinds, _places, _road
from commlib.attribution._search import _gap_seconds, _prepared, _significance
from commlib.attribution._windows import (
    _DAY,
    _best_per_place,
    _null_max_scores,
    _window_scores,
)
from commlib.errors import CommlibError, require_columns

#: Why a ticket takes no part in the search (``mapping["set_aside"]``), in test order.
SET_ASIDE = ("no_date", "no_place", "no_category", "street", "workflow")


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
        nearby place naming the same entity), ``place_kind`` (``"address"``,
        ``"intersection"`` or ``"street"``), ``kind`` (the kind of problem counted),
        ``set_aside`` (why the ticket took no part: ``"no_date"``, ``"no_place"``,
        ``"no_category"``, ``"street"`` for a bare street name, ``"workflow"`` for a
        workflow type; missing when it took part) and ``source_id`` (missing when the
        ticket belongs to no listed source).
    null_scores : numpy.ndarray
        The top source score in each permutation of the null (places shuffled among
        visits within each community); empty when ``n_permutations=0``.
    params : dict
        The parameters used.
    null_candidates : numpy.ndarray
        The best score of every candidate place in every permutation of the null, pooled
        over permutations and communities, in ascending order (what ``q_value`` is
        computed from); empty when ``n_permutations=0``.
    """

    sources: pd.DataFrame
    mapping: pd.DataFrame
    null_scores: np.ndarray
    params: dict
    null_candidates: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))

    @property
    def strong(self) -> pd.DataFrame:
        """The sources that pass the permutation null at ``alpha`` (``strong`` is True)."""
        return self.sources[self.sources["strong"]]

    @property
    def set_aside(self) -> pd.Series:
        """Tickets that took no part in the search, counted by reason (never silent)."""
        reasons = self.mapping["set_aside"].dropna()
        return reasons.value_counts().reindex(list(SET_ASIDE), fill_value=0).rename("n")

    def joint_visits(
        self,
        df: pd.DataFrame,
        *,
        transfer_path: str | None = "transfer_path",
    ) -> pd.DataFrame:
        """What one joint visit per source would have saved in separate dispatches.

        A source becomes visible at the first of its tickets by which its place has
        ``min_tickets`` tickets of ``min_categories`` kinds (the thresholds given to
        :func:`link_sources`). Every later ticket was dispatched on its own, plus once
        per department it was wrongly routed through (``transfer_path``, departments
        separated by ``|``); one joint visit could have replaced them all.

        Parameters
        ----------
        df : pandas.DataFrame
            The tickets given to :func:`link_sources` (same index). Not modified.
        transfer_path : str, optional
            Column of the departments a ticket passed through before the one that
            handled it; without it, no transfers are counted.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``source_id``, in the order of :attr:`sources`: ``place``,
            ``visible`` (time the source could be seen), ``n_tickets``, ``n_after``
            (tickets after that), ``transfers`` (misroutes among them), ``dispatches``
            (``n_after + transfers``), ``saved`` (``dispatches - 1``, at least 0),
            ``n_departments`` and ``departments`` (handling the tickets after, most
            frequent first).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({
        ...     "created_at": pd.to_datetime(["2024-06-01", "2024-06-02", "2024-06-03",
        ...                                   "2024-06-05", "2024-06-06"]),
        ...     "category": ["噪音扰民", "环境卫生", "用电安全", "油烟扰民", "环境卫生"],
        ...     "department": ["派出所", "绿化市容所", "供电公司", "市场监管所", "绿化市容所"],
        ...     "transfer_path": [None, None, None, "城管执法中队", None],
        ...     "address_key": ["云岭西路123号"] * 5})
        >>> links = link_sources(df, n_permutations=0)
        >>> jv = links.joint_visits(df).loc["S1"]
        >>> str(jv["visible"].date()), int(jv["n_after"]), int(jv["dispatches"]), int(jv["saved"])
        ('2024-06-03', 2, 3, 2)
        """
        p = self.params
        date, department = p["date"], p["department"]
        cols = ["place", "visible", "n_tickets", "n_after", "transfers", "dispatches", "saved"]
        cols += ["n_departments", "departments"]
        linked = self.mapping["source_id"].notna().to_numpy()
        if not linked.any():
            return pd.DataFrame(columns=cols, index=pd.Index([], name="source_id", dtype="str"))
        pos = np.flatnonzero(linked)
        has_dep = department is not None and department in df.columns
        has_path = transfer_path is not None and transfer_path in df.columns
        m = pd.DataFrame(
            {
                "source_id": self.mapping["source_id"].iloc[pos].to_numpy(dtype=object),
                "time": pd.to_datetime(df[date]).iloc[pos].to_numpy(),
                "kind": self.mapping["kind"].iloc[pos].to_numpy(dtype=object),
                "department": df[department].iloc[pos].to_numpy(dtype=object) if has_dep else None,
                "path": (
                    df[transfer_path].iloc[pos].fillna("").astype("str").to_numpy(dtype=object)
                    if has_path
                    else ""
                ),
            }
        ).sort_values(["source_id", "time"], kind="stable")
        g = m.groupby("source_id", sort=False)
        n_so_far = g.cumcount() + 1
        k_so_far = (~m.duplicated(["source_id", "kind"])).groupby(m["source_id"]).cumsum()
        ready = (n_so_far >= p["min_tickets"]) & (k_so_far >= p["min_categories"])
        visible = m["time"].where(ready).groupby(m["source_id"]).min()
        m["after"] = m["time"].to_numpy() > visible.reindex(m["source_id"]).to_numpy()
        path = m["path"].astype("str")
        m["transfers"] = (path.str.count(r"\|") + (path != "")).where(m["after"], 0)
        after = m[m["after"]]
        ids = self.sources["source_id"].astype("str")
        out = pd.DataFrame(index=pd.Index(ids, name="source_id"))
        out["place"] = self.sources["place"].to_numpy()
        out["visible"] = visible.reindex(ids).to_numpy()
        out["n_tickets"] = g.size().reindex(ids).to_numpy()
        out["n_after"] = after.groupby("source_id").size().reindex(ids, fill_value=0).to_numpy()
        out["transfers"] = m.groupby("source_id")["transfers"].sum().reindex(ids).to_numpy()
        out["dispatches"] = out["n_after"] + out["transfers"]
        out["saved"] = np.maximum(out["dispatches"] - 1, 0)
        if has_dep:
            deps = after.dropna(subset=["department"])
            vc = deps.groupby(["source_id", "department"]).size().rename("n").reset_index()
            vc = vc.sort_values(["source_id", "n", "department"], ascending=[True, False, True])
            lists = vc.groupby("source_id")["department"].agg(list).reindex(ids)
            out["n_departments"] = lists.map(lambda v: len(v) if isinstance(v, list) else 0)
            out["departments"] = lists.map(lambda v: v if isinstance(v, list) else [])
        else:
            out["n_departments"] = 0
            out["departments"] = [[] for _ in range(len(out))]
        return out[cols]

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
    total = place.value_counts()
    # only the rows naming an entity become Python strings, not every ticket's place
    frame = pd.DataFrame(
        {
            "pos": np.flatnonzero(has),
            "place": place.iloc[np.flatnonzero(has)].to_numpy(dtype=object),
            "entity": entity.iloc[np.flatnonzero(has)].to_numpy(dtype=object),
        }
    )
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
    homes = frame[frame["home"]]
    movers = frame[~frame["home"] & frame["group"].isin(homes["group"])]
    if homes.empty or movers.empty:
        return place, moved
    # one sorted run of times per (group, home place); a mover is compared with each home
    # of its group by two binary searches, so no (mover, home ticket) pair is listed
    homes = homes.assign(anchor=homes["place"].astype("str")).sort_values(
        ["group", "anchor", "t"], kind="stable"
    )
    runs = homes[["group", "anchor"]].drop_duplicates().reset_index(drop=True)
    run_code = pd.MultiIndex.from_frame(runs).get_indexer(
        pd.MultiIndex.from_frame(homes[["group", "anchor"]])
    )
    t0 = float(frame["t"].min())
    span = float(frame["t"].max()) - t0 + 2 * width + 1
    hkey = run_code * span + (homes["t"].to_numpy() - t0)
    first_run = runs.reset_index().groupby("group")["index"].agg(["min", "size"])
    m_group = movers["group"].to_numpy()
    r_lo = first_run["min"].reindex(m_group).to_numpy()
    r_n = first_run["size"].reindex(m_group).to_numpy()
    total_pairs = int(r_n.sum())
    mover_idx = np.repeat(np.arange(len(movers)), r_n)
    run = np.repeat(r_lo, r_n) + (np.arange(total_pairs) - np.repeat(np.cumsum(r_n) - r_n, r_n))
    mkey = run * span + (movers["t"].to_numpy()[mover_idx] - t0)
    n = np.searchsorted(hkey, mkey + width, side="right") - np.searchsorted(
        hkey, mkey - width, side="left"
    )
    tally = pd.DataFrame(
        {
            "mover": movers["pos"].to_numpy()[mover_idx],
            "anchor": runs["anchor"].to_numpy()[run],
            "n": n,
        }
    )
    tally = tally[tally["n"] > 0]
    if tally.empty:
        return place, moved
    best = tally.sort_values(["mover", "n", "anchor"], ascending=[True, False, True])
    best = best.drop_duplicates("mover")
    # only the moved rows change: the other places stay Arrow strings, never objects
    new_place = place.astype("str").rename("place")  # a copy
    new_place.iloc[best["mover"].to_numpy()] = best["anchor"].to_numpy()
    moved[best["mover"].to_numpy()] = True
    return new_place, moved


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
    kinds=None,
    periods=None,
    visit_gap: str | pd.Timedelta = "1h",
    caller: str | None = None,
    control: str = "fdr",
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
       An intersection (INTERSECTION of X & Y, X & Y, X / Y, 路口, 交叉口) is a place; a
       bare street name without a house number (WASHINGTON ST, 云岭西路) is not, and its
       tickets are set aside with the reason ``"street"`` (see :attr:`SourceLinks.set_aside`).
    2. **Windows.** For every ticket, the window ``[its time, its time + window)`` at its
       place holds ``n`` tickets in ``k`` distinct kinds of problem (the categories, or
       their groups with ``kinds=``) handled by ``d`` distinct departments. The counts
       come from cumulative sums and difference arrays over the tickets sorted by place
       and time, never from a list of (window, ticket) pairs: time and memory grow
       linearly with the number of tickets.
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
       kept), which destroys any link between place and burst. Each community shuffles
       with its own random stream (a ``numpy.random.SeedSequence`` keyed by its name), so
       the null of a community is the same whatever else is in the table. ``p_value`` is the share
       of permutations (counting the observed one) whose *top* score reaches the
       source's score, so it already accounts for searching every place and window;
       ``q_value`` is the permutation false discovery rate at the source's score (null
       candidates per permutation scoring at least as high, over observed ones),
       computed over all communities at the end; ``strong`` is ``q_value <= alpha``
       (``control="fdr"``) or ``p_value <= alpha`` (``"fwer"``). Random tickets give no
       strong source. The null moves each visit to the time of another visit of the
       same community and kind (see ``visit_gap``), so kinds keep their places and
       seasons.

    Work per step is vectorised (group codes, ``searchsorted`` windows, ``bincount``);
    the cost grows linearly with the number of tickets (about 0.4 GB at 800,000).

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
    visit_gap : str or Timedelta, default "1h"
        Tickets at one place by one caller each within this of the one before are one
        visit: one piece of evidence, counting once towards ``min_tickets`` and unable to
        show more kinds or departments than there are visits (a caller's sweep of five
        types in ten minutes is one visit). None: every ticket is its own visit.
    caller : str, optional
        Who reported: default ``caller_id``, else ``channel`` when present.
    control : {"fdr", "fwer"}, default "fdr"
        ``"fdr"``: ``strong`` when ``q_value <= alpha``, a permutation false discovery
        rate over all candidates (a screening list: about ``alpha`` of the strong
        sources may be chance). ``"fwer"``: ``strong`` when ``p_value <= alpha`` against
        the top null score of each permutation (no false source at all with
        probability ``1 - alpha``; finds almost nothing on a city's year).
    kinds : None, "auto", dict or DataFrame, optional
        What counts as a different kind of problem. None: each category is its own
        kind. ``"auto"``: near-synonym request types of one department count once and
        workflow types (inspections, call logs, surveys, comments, 回访, 咨询) are set
        aside (``"workflow"``), as :func:`problem_kinds` decides; use it on 311 data.
        A dict ``{category: kind}`` (or a table with ``category`` and ``kind``) sets it
        yourself; a missing kind sets the category aside, an unnamed category is its
        own kind. ``min_categories`` then counts kinds.
    periods : PeriodIndex or (first day, last day), optional
        The time range the rates are computed over. Default: from the first to the last
        ticket. Fix it when the table is one part of a larger one (a month, a district)
        so that the scores agree with those computed on the whole.

    Returns
    -------
    SourceLinks
        ``.sources``: ``source_id``, ``place``, ``entity`` (most named, if at least two
        tickets name it), ``entity_share``, ``community``, ``n_tickets``, ``n_kinds``
        (``k``, the kinds of problem scored), ``n_categories`` (distinct request types),
        ``n_departments``, ``categories``, ``kinds``, ``departments`` (lists, most
        frequent first), ``first``, ``last``, ``days``, ``expected`` (lambda),
        ``surprise`` (S), ``score``, ``p_value``, ``strong``, ``joined`` (tickets moved
        in by entity), ``examples`` (list of masked texts). ``.mapping``: ticket to
        source, with why a ticket was set aside. ``.null_scores``: top score per
        permutation. :meth:`SourceLinks.joint_visits` counts the dispatches one joint
        visit per source would have saved.

    Raises
    ------
    commlib.errors.MissingColumnsError
        If ``date`` or ``category`` (or a place) is missing.

    See Also
    --------
    source_timeline : draw one source's tickets over time.
    problem_kinds : the request-type groups ``kinds="auto"`` uses.

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
    gap = _gap_seconds(visit_gap)
    if control not in ("fdr", "fwer"):
        raise CommlibError(f'control must be "fdr" or "fwer", got {control!r}.')
    if caller is None:
        caller = next((c for c in ("caller_id", "channel") if c in df.columns), None)
    elif caller not in df.columns:
        require_columns(df, [caller], where="link_sources (caller=)")
    has_dep = department is not None and department in df.columns
    has_text = text is not None and text in df.columns
    has_comm = community is not None and community in df.columns

    places = _places(df, place, community or "community", merge_aliases and has_comm)
    kind = _kind_column(df, kinds, category, department if has_dep else None)
    place_kind = _place_kinds(places)
    entity = (
        extract_entities(df, column=text, lexicon=lexicon)
        if has_text
        else pd.Series(np.nan, index=df.index, dtype="str", name="entity")
    )
    when = pd.to_datetime(df[date])
    # a small code per ticket (not a unicode array of 44 bytes a ticket)
    reason = np.select(
        [
            when.isna().to_numpy(),
            places.isna().to_numpy(),
            df[category].isna().to_numpy(),
            (place_kind == "street").to_numpy(),
            kind.isna().to_numpy(),
        ],
        list(range(len(SET_ASIDE))),
        default=-1,
    ).astype(np.int8)
    keep = reason < 0
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
        places = places.astype("str").rename("place")  # a copy
        changed = np.flatnonzero(mv)
        if len(changed):
            places.iloc[sub[changed]] = new_pl.iloc[changed].to_numpy()
        moved[sub] = mv

    mapping = pd.DataFrame(index=df.index)
    if "ticket_id" in df.columns:
        mapping["ticket_id"] = df["ticket_id"]
    mapping["place"] = places
    mapping["entity"] = entity
    mapping["joined"] = moved
    mapping["place_kind"] = place_kind
    mapping["kind"] = kind.astype("str")
    mapping["set_aside"] = pd.Series(
        np.array([*SET_ASIDE, None], dtype=object)[reason], index=df.index, dtype="str"
    )
    mapping["source_id"] = pd.Series(np.nan, index=df.index, dtype="str")
    params = {
        "window": str(window),
        "min_tickets": min_tickets,
        "min_categories": min_categories,
        "prior_days": prior_days,
        "n_permutations": n_permutations,
        "alpha": alpha,
        "random_state": random_state,
        "date": date,
        "category": category,
        "department": department if has_dep else None,
        "kinds": kinds if kinds is None or isinstance(kinds, str) else "mapping",
        "periods": periods,
        "visit_gap": None if visit_gap is None else str(visit_gap),
        "caller": caller,
        "control": control,
    }

    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return SourceLinks(_empty_sources(), mapping, np.zeros(0), params)
    prep = _prepared(
        df,
        places,
        kind,
        rows,
        secs_all,
        department=department if has_dep else None,
        community=community if has_comm else None,
        caller=caller,
        gap=gap,
        periods=periods,
    )
    w = _window_scores(prep, prep.place_codes, width, prior_days)
    best = _best_per_place(prep.place_codes, w, min_tickets, min_categories)
    if len(best) == 0:
        return SourceLinks(_empty_sources(), mapping, np.zeros(0), params)
    ranked = best[np.argsort(-w["score"][best], kind="stable")]
    # the ranked windows' figures only: the null runs without every window's arrays
    w = {key: values[ranked] for key, values in w.items()}
    if n_permutations > 0:
        null, null_cands, _ = _null_max_scores(
            prep, width, prior_days, min_tickets, min_categories, n_permutations, random_state
        )
    else:
        null, null_cands = np.zeros(0), np.zeros(0)
    null_cands = np.sort(null_cands)  # pooled: the order of the places is no result

    ids = np.array([f"S{i + 1}" for i in range(len(ranked))], dtype=object)
    # members of each chosen window
    counts = w["end"] - ranked
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
            "kind": kind.iloc[member_pos].to_numpy(dtype=object),
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
    sources["n_visits"] = w["n_ind"].astype(np.int64)
    sources["n_kinds"] = w["k"]
    sources["n_categories"] = (
        members.groupby("source_id")["category"].nunique().reindex(ids).to_numpy()
    )
    sources["n_departments"] = w["d"] if has_dep else np.nan
    sources["categories"] = cats.reindex(ids).to_numpy()
    sources["kinds"] = _ranked_lists("kind").reindex(ids).to_numpy()
    sources["departments"] = deps.reindex(ids).to_numpy() if has_dep else None
    first = members.groupby("source_id")["time"].min().reindex(ids)
    last = members.groupby("source_id")["time"].max().reindex(ids)
    sources["first"] = first.to_numpy()
    sources["last"] = last.to_numpy()
    sources["days"] = ((last - first).dt.total_seconds() / _DAY).round(1).to_numpy()
    sources["expected"] = w["lam"]
    sources["surprise"] = w["surprise"]
    sources["score"] = w["score"]
    sig = _significance(sources["score"].to_numpy(), null, null_cands, alpha, control)
    sources["p_value"], sources["q_value"], sources["strong"] = sig
    sources["joined"] = members.groupby("source_id")["joined"].sum().reindex(ids).to_numpy()
    sources["examples"] = examples.reindex(ids).to_numpy() if examples is not None else None
    sources["source_id"] = sources["source_id"].astype("str")
    sources["place"] = sources["place"].astype("str")
    sources["entity"] = sources["entity"].astype("str")
    return SourceLinks(sources, mapping, null, params, null_cands)


def _examples(members: pd.DataFrame, n_examples: int) -> pd.Series:
    """Up to ``n_examples`` masked texts per source, one per category first."""
    from commlib.privacy import mask_as_checked

    m = members.dropna(subset=["text"]).copy()
    m = m[m["text"].astype(str).str.len() > 0]
    if m.empty or n_examples <= 0:
        return pd.Series(dtype=object)
    m["has_entity"] = m["entity"].notna()
    m = m.sort_values(["source_id", "has_entity", "time"], ascending=[True, False, True])
    m["first_of_cat"] = ~m.duplicated(["source_id", "category"])
    m = m.sort_values(["source_id", "first_of_cat", "time"], ascending=[True, False, True])
    m = m.groupby("source_id", sort=False).head(n_examples)
    m["masked"] = mask_as_checked(m["text"].astype("str")).to_numpy()
    return m.groupby("source_id", sort=False)["masked"].agg(list)


def _empty_sources() -> pd.DataFrame:
    cols = [
        "source_id",
        "place",
        "entity",
        "entity_share",
        "community",
        "n_tickets",
        "n_visits",
        "n_kinds",
        "n_categories",
        "n_departments",
        "categories",
        "kinds",
        "departments",
        "first",
        "last",
        "days",
        "expected",
        "surprise",
        "score",
        "p_value",
        "q_value",
        "strong",
        "joined",
        "examples",
    ]
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out["strong"] = out["strong"].astype(bool)
    return out
