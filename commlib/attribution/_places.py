"""Places: building aliases, streets and intersections (part of commlib.attribution)."""

from __future__ import annotations

import pandas as pd

from commlib.errors import require_columns

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
            keys = _on_uniques(
                keys, lambda u: u.replace(dict(zip(table["alias"], table["place"], strict=True)))
            )
    return keys.rename("place")


def _on_uniques(keys: pd.Series, fn) -> pd.Series:
    """Apply a string function to the distinct keys only (a city has few places)."""
    import numpy as np

    codes, uniques = pd.factorize(keys)
    out = fn(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
    values = np.where(codes >= 0, out[np.maximum(codes, 0)] if len(out) else None, None)
    return pd.Series(values, index=keys.index, dtype="str", name=keys.name)


def _road(keys: pd.Series) -> pd.Series:
    """Street part of a place key: 云岭西路58弄5号 -> 云岭西路; 123 MAIN ST -> MAIN ST."""
    zh = keys.str.extract(r"^(.+?[路街道巷里])(?:\d+弄)?\d+号", expand=False)
    en = keys.str.extract(r"^\d+[A-Z]?\s+(.+)$", expand=False)
    return zh.fillna(en)


_INTERSECTION = (
    r"(?i)^\s*intersection\b|\S\s*[&/]\s*\S|路口|交叉口|十字路|丁字路|[路街道]与.+[路街道]"
)
_EN_STREET = (
    r"(?i)\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|way|pl|place|hwy|highway|"
    r"ln|lane|ct|court|ter|terrace|pkwy|parkway|sq|square|row|pk|park)\b"
)
_ZH_STREET = r"^[^\d号弄幢栋楼室]*(?:路|街|大道|大街|公路|巷|胡同)$"


def _place_kinds(keys: pd.Series) -> pd.Series:
    """What each place key names: ``"address"``, ``"intersection"`` or ``"street"``.

    An intersection (INTERSECTION of X & Y, X & Y, X / Y, X路与Y路交叉口, X路口) is a
    place. A bare street name (WASHINGTON ST BOSTON MA, 云岭西路: no house number) is
    not: tickets there may be a kilometre apart. Anything else (a house number, a
    compound, a building, a shop) is an address. Missing keys stay missing.
    """
    return _on_uniques(keys, _place_kinds_of)


def _place_kinds_of(keys: pd.Series) -> pd.Series:
    text = keys.astype("str")
    ascii_key = text.str.isascii().fillna(False)
    # a house number leads an English address; a Chinese one has 号/弄/幢/栋 or digits
    has_number = text.str.contains(r"^\s*\d", regex=True) | (
        ~ascii_key & text.str.contains(r"\d|号|弄|幢|栋", regex=True)
    )
    crossing = text.str.contains(_INTERSECTION, regex=True)
    en_street = text.str.contains(_EN_STREET, regex=True) & ~has_number
    zh_street = text.str.strip().str.contains(_ZH_STREET, regex=True)
    kind = pd.Series("address", index=keys.index, dtype="str")
    kind = kind.mask(en_street | zh_street, "street").mask(crossing, "intersection")
    return kind.mask(text.isna())
