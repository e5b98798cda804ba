"""Source links of a Dask frame: :func:`commlib.link_sources` per community partition."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib.dask._community import (
    GROUP,
    PLACE,
    POS,
    aliases_and_offsets,
    in_order,
    merged_places,
    regroup,
    shared_arg,
)
from commlib.errors import CommlibError, require_columns

_IDX = "_idx"


def _kept(part, opts: dict, aliases: dict, kinds):
    """The alias-merged places, and which rows take part in the search (as link_sources)."""
    from commlib.attribution._kinds import _kind_column
    from commlib.attribution._places import _place_kinds

    places = merged_places(part, opts["place"], aliases)
    kind = _kind_column(part, kinds, opts["category"], opts["department"])
    keep = (
        part[opts["date"]].notna().to_numpy()
        & places.notna().to_numpy()
        & part[opts["category"]].notna().to_numpy()
        & (_place_kinds(places) != "street").fillna(True).to_numpy()
        & kind.notna().to_numpy()
    )
    return places, keep


def _facts(part, opts: dict, aliases: dict, kinds):
    """(place, community) pairs of a partition, and the first and last date searched."""
    places, keep = _kept(part, opts, aliases, kinds)
    comm = opts["community"]
    has = places.notna().to_numpy()
    c = part[comm].fillna("").astype(str).to_numpy()[has] if comm else ""
    pairs = pd.DataFrame({"p": places.to_numpy()[has], "c": c}).drop_duplicates()
    when = part[opts["date"]][keep]
    return pairs, (when.min(), when.max()) if len(when) else None


def _components(pairs: list[pd.DataFrame]) -> tuple[dict, dict]:
    """Places and communities joined when a ticket links them: ``{place: group}``, ``{community: group}``.

    A place's tickets and a community's tickets must meet in one partition: a place's
    rate counts all its tickets (and its callers' visits), a community's prior all its
    places, and the null moves visits among the times of its community's visits. The groups are the connected components of
    the graph of places and communities.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = pd.concat(pairs).drop_duplicates()
    p_codes, p_labels = pd.factorize(edges["p"])
    c_codes, c_labels = pd.factorize(edges["c"])
    n_p, n = len(p_labels), len(p_labels) + len(c_labels)
    graph = coo_matrix((np.ones(len(edges)), (p_codes, n_p + c_codes)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    comp = comp.astype(str)
    return dict(zip(p_labels, comp[:n_p], strict=True)), dict(
        zip(c_labels, comp[n_p:], strict=True)
    )


def _prep(part, offset, opts, aliases, kinds, place_group, comm_group, columns):
    """The columns link_sources reads, the row's group, global position and index."""
    places, _ = _kept(part, opts, aliases, kinds)
    out = part[columns].reset_index(drop=True)
    out[PLACE] = places.to_numpy()
    out[POS] = np.arange(offset, offset + len(part), dtype=np.int64)
    out[_IDX] = part.index.to_numpy()
    comm = opts["community"]
    group = out[PLACE].map(place_group)
    if comm:
        by_comm = out[comm].fillna("").astype(str).map(comm_group)
        group = group.fillna(by_comm)
    out[GROUP] = group.fillna("").astype("str")
    return out


def _run(part, dtypes: dict, kwargs: dict):
    """link_sources on one regrouped partition, and the order of its places in the table."""
    from commlib.attribution import link_sources

    if len(part) == 0:
        return None
    part = in_order(part, dtypes)
    idx = part[_IDX].to_numpy()
    part = part.drop(columns=[_IDX, GROUP]).set_index(POS)
    res = link_sources(part, place=PLACE, **kwargs)
    m = res.mapping
    first = m.loc[m["set_aside"].isna()].reset_index().groupby("place")[POS].min()
    null, cands = res.null_scores, res.null_candidates
    if len(res.sources) == 0 and kwargs["n_permutations"] > 0 and len(first):
        null, cands = _null_without_sources(part, res, kwargs)
    return res.sources, m, null, cands, first, idx


def _null_without_sources(part: pd.DataFrame, res, kwargs: dict):
    """The permutation null of a partition where no source was found.

    :func:`commlib.link_sources` skips the null when it finds no source; on the whole
    table this partition's permutations still count (their top scores and, for the
    false discovery rate, every candidate's). The search is rebuilt from the
    partition's mapping (places after joining, kinds, rows set aside) by the helper
    link_sources builds its own with. Returns (top score per permutation, candidates).
    """
    from commlib.attribution._search import _gap_seconds, _prepared
    from commlib.attribution._windows import _null_max_scores

    m = res.mapping
    rows = np.flatnonzero(m["set_aside"].isna().to_numpy())
    when = part[kwargs["date"]]
    secs_all = (when - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy()
    prep = _prepared(
        part,
        m["place"],
        m["kind"],
        rows,
        secs_all,
        department=kwargs["department"],
        community=kwargs["community"],
        caller=kwargs["caller"],
        gap=_gap_seconds(kwargs["visit_gap"]),
        periods=kwargs["periods"],
    )
    null, cands, _ = _null_max_scores(
        prep,
        pd.Timedelta(kwargs["window"]).total_seconds(),
        kwargs["prior_days"],
        kwargs["min_tickets"],
        kwargs["min_categories"],
        kwargs["n_permutations"],
        kwargs["random_state"],
    )
    return null, cands


def link_sources(
    ddf,
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
):
    """:func:`commlib.link_sources` of a Dask frame, one group of communities at a time.

    A place's score reads its own tickets (a visit, one caller's tickets within
    ``visit_gap``, is always at one place) and its community's; the permutation null
    moves each visit to the time of another visit of its community and kind, each
    community with its own random stream. So the rows are given their place as on the
    whole table (building aliases and, with ``kinds="auto"``, the kinds learned from
    all partitions), and shuffled so that each group of places and communities linked
    by a ticket lives in one partition, where the pandas function runs on the whole
    table's time range (``periods=``). The sources are then ranked together, the nulls
    combined (the top score of each permutation is the largest over the groups; every
    group's null candidates are pooled, as the false discovery rate counts the whole
    table's) and the p-values, q-values, ``strong`` and source ids set as on one
    machine, by the pandas function's own step. The result equals the pandas path's on
    the same rows, for times in whole seconds (finer times may move the time range in
    the last bit).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Clean tickets; ``date`` must be a datetime column.
    window, min_tickets, min_categories, place, category, department, text, community,
    date, merge_aliases, lexicon, join_entities, home_share, prior_days, n_permutations,
    alpha, n_examples, random_state, kinds, periods, visit_gap, caller, control
        As in :func:`commlib.link_sources`.

    Returns
    -------
    commlib.attribution.SourceLinks
        As :func:`commlib.link_sources` (pandas frames; ``mapping`` has one row per
        ticket, in the Dask frame's order and with its index).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-06-03", "2024-06-05", "2024-06-08",
    ...                                   "2024-06-10", "2024-09-01", "2024-03-01"]),
    ...     "category": ["噪音扰民", "环境卫生", "用电安全", "油烟扰民", "噪音扰民", "停车管理"],
    ...     "text": ["面馆半夜吵", "面摊污水横流", "小面店私拉电线", "面馆油烟直排", "装修吵", "乱停车"],
    ...     "address_key": ["云岭西路123号"] * 4 + ["兰亭苑3号"] * 2})
    >>> links = link_sources(dd.from_pandas(df, npartitions=2), n_permutations=0)
    >>> top = links.sources.iloc[0]
    >>> top["source_id"], top["place"], int(top["n_tickets"])
    ('S1', '云岭西路123号', 4)
    """
    import dask

    from commlib.attribution import SourceLinks
    from commlib.attribution._link import _empty_sources
    from commlib.dask._clean import _check_dask

    _check_dask(ddf, "link_sources")
    meta = ddf._meta
    require_columns(meta, [date, category], where="link_sources")
    if place not in meta.columns and not (place == "address_key" and "address" in meta.columns):
        require_columns(meta, [place], where="link_sources")
    if not pd.api.types.is_datetime64_any_dtype(meta[date]):
        raise TypeError(
            f"link_sources on Dask needs {date!r} as datetimes, got dtype "
            f"{meta[date].dtype}: clean the tickets first (commlib.dask.clean_tickets)."
        )
    if control not in ("fdr", "fwer"):
        raise CommlibError(f'control must be "fdr" or "fwer", got {control!r}.')
    if caller is None:
        caller = next((c for c in ("caller_id", "channel") if c in meta.columns), None)
    elif caller not in meta.columns:
        require_columns(meta, [caller], where="link_sources (caller=)")
    has_dep = department is not None and department in meta.columns
    has_text = text is not None and text in meta.columns
    has_comm = community is not None and community in meta.columns
    dep, comm = (department if has_dep else None), (community if has_comm else None)
    opts = {"place": place, "category": category, "department": dep, "date": date}
    opts["community"] = comm
    table_kinds = kinds
    if isinstance(kinds, str) and kinds == "auto":
        from commlib.attribution import problem_kinds

        cols = [category] + ([dep] if dep else [])
        table_kinds = problem_kinds(ddf[cols].compute(), category=category, department=dep)

    # 1. building aliases from the whole table
    aliases, offsets = aliases_and_offsets(ddf, place, comm, merge_aliases)

    # 2. groups of places and communities, and the whole table's time range
    facts = dask.compute(
        *[dask.delayed(_facts)(p, opts, shared_arg(aliases), table_kinds) for p in ddf.to_delayed()]
    )
    pairs = [f[0] for f in facts if len(f[0])]
    spans = [f[1] for f in facts if f[1] is not None]
    place_group, comm_group = _components(pairs) if pairs else ({}, {})
    grid = periods
    if grid is None and spans:
        grid = (min(s[0] for s in spans), max(s[1] for s in spans))

    # 3. link_sources on each group
    wanted = [date, category, dep, comm, caller, "repeat_of", "ticket_id"]
    wanted += [text] if has_text else []
    columns = [c for c in dict.fromkeys(wanted) if c is not None and c in meta.columns]
    args = (opts, aliases, table_kinds, place_group, comm_group, columns)
    parts, dtypes = regroup(ddf, _prep, offsets, args)
    kwargs = {
        "window": window,
        "min_tickets": min_tickets,
        "min_categories": min_categories,
        "category": category,
        "department": dep,
        "text": text if has_text else None,
        "community": comm,
        "date": date,
        "merge_aliases": False,
        "lexicon": lexicon,
        "join_entities": join_entities,
        "home_share": home_share,
        "prior_days": prior_days,
        "n_permutations": n_permutations,
        "alpha": alpha,
        "n_examples": n_examples,
        "random_state": random_state,
        "kinds": table_kinds,
        "periods": grid,
        "visit_gap": visit_gap,
        "caller": caller,
        "control": control,
    }
    done = [d for d in dask.compute(*[dask.delayed(_run)(p, dtypes, kwargs) for p in parts]) if d]
    if not done:  # no rows at all: the pandas function on the empty frame
        from commlib.attribution import link_sources as pandas_link_sources

        kwargs.update(place=place, kinds=kinds, periods=periods, department=department)
        kwargs.update(text=text, community=community, merge_aliases=merge_aliases)
        return pandas_link_sources(meta, **kwargs)
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
        "department": dep,
        "kinds": kinds if kinds is None or isinstance(kinds, str) else "mapping",
        "periods": periods,
        "visit_gap": None if visit_gap is None else str(visit_gap),
        "caller": caller,
        "control": control,
    }
    return _gather(done, meta.index, params, SourceLinks, _empty_sources)


def _gather(done, index_meta, params, SourceLinks, empty):
    """One result from the groups': sources ranked together, nulls combined, ids renumbered.

    The top score of each permutation is the largest over the groups; the candidates of
    every permutation are pooled over the groups; p-values, q-values (the false
    discovery rate counts every candidate of the table) and ``strong`` then come from
    the pandas function's own step.
    """
    from commlib.attribution._search import _significance

    mappings, found = [], []
    for k, (sources, mapping, _null, _cands, first, idx) in enumerate(done):
        mappings.append((mapping, idx))
        if len(sources):
            rank = sources["place"].map(first).to_numpy()
            found.append(sources.assign(_rank=rank, _part=k))
    nulls = [d[2] for d in done if len(d[2])]
    null = np.max(np.vstack(nulls), axis=0) if found and nulls else np.zeros(0)
    cands = np.zeros(0)
    if len(null):
        cands = np.sort(np.concatenate([d[3] for d in done if len(d[2])]))
    renumber: dict = {}
    if found:
        sources = pd.concat(found, ignore_index=True)
        order = np.lexsort((sources["_rank"].to_numpy(), -sources["score"].to_numpy()))
        sources = sources.iloc[order].reset_index(drop=True)
        new_ids = pd.Series([f"S{i + 1}" for i in range(len(sources))], dtype="str")
        for k, old, new in zip(sources["_part"], sources["source_id"], new_ids, strict=True):
            renumber[(k, old)] = new
        sources["source_id"] = new_ids
        sig = _significance(
            sources["score"].to_numpy(), null, cands, params["alpha"], params["control"]
        )
        sources["p_value"], sources["q_value"], sources["strong"] = sig
        sources = sources.drop(columns=["_rank", "_part"])
    else:
        sources = empty()
    parts = []
    for k, (mapping, idx) in enumerate(mappings):
        ids = mapping["source_id"]
        if ids.notna().any():
            lookup = {old: renumber[(k, old)] for old in ids.dropna().unique()}
            mapping = mapping.assign(source_id=ids.map(lookup).astype("str"))
        parts.append(mapping.assign(**{_IDX: idx}))
    mapping = pd.concat(parts).sort_index(kind="stable")
    index = pd.Index(mapping[_IDX].to_numpy(), name=index_meta.name, dtype=index_meta.dtype)
    mapping = mapping.drop(columns=_IDX).set_axis(index, axis=0)
    return SourceLinks(sources, mapping, null, params, cands)
