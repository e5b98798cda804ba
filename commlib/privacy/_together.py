"""Names found in one text of a record, masked in every text of that record.

A reply names the person the message named, often without the context that let the
name step find it there (the message says 村民陈云，; the reply says 电话联系陈云所获得的信息).
:func:`spread_names` reads which strings the name step replaced in each text of a row
and replaces them in the row's other texts too, under the rule that spreads a name
inside one text (``_structure.spreads``).
"""

from __future__ import annotations

from commlib.privacy import _names as _n
from commlib.privacy._model import DEFAULT_NAMES
from commlib.privacy._structure import placeholder_groups, rewrite, spreads, widen_repeated


def replaced_names(raw: str, masked: str) -> set[str]:
    """The strings of ``raw`` that ``masked`` shows as ``[姓名]`` (a text the masker
    changed otherwise, normalised punctuation, gives nothing).

    >>> sorted(replaced_names("村民陈云，电话0000-00000000", "村民[姓名]，电话[电话]"))
    ['陈云']
    """
    if _n._NAME not in masked:
        return set()
    groups = placeholder_groups(raw, masked)
    return {raw[a:b] for a, b, kind in groups or () if kind == _n._NAME and b > a}


def restore_names(raw: str, masked: str, keep: set[str]) -> str:
    """``masked`` with each ``[姓名]`` that replaced a string of ``keep`` written back as
    that string of ``raw``.

    >>> restore_names("在楚雅门口，电话0000-00000000", "在[姓名]门口，电话[电话]", {"楚雅"})
    '在楚雅门口，电话[电话]'
    """
    groups = placeholder_groups(raw, masked) if _n._NAME in masked else None
    if groups is None:
        return masked
    return rewrite(
        raw, [(a, b, raw[a:b] if k == _n._NAME and raw[a:b] in keep else k) for a, b, k in groups]
    )


#: Last characters of estates and places (华悦城, 梅溪西): a string the name step masked
#: that ends with one is not carried into another text, where it names the place.
_PLACE_END = frozenset("城苑园府庭湾居邸阁轩墅廷汇坊里寓舍馆店行厦东西南北")


def _spreads_across(name: str) -> bool:
    return name[-1] not in _PLACE_END and spreads(name)


def spread_names(raw_rows: list[list], masked_rows: list[list], *, place=None) -> list[list]:
    """Per row, mask in every text the names the name step found in any of its texts.

    ``raw_rows`` and ``masked_rows`` hold one list of texts per row (None for a missing
    text). Only names that would spread inside one text spread across texts: two or
    more characters shaped like a full name, and no everyday dictionary word.
    ``place(text, name)``, when given, tells whether a text reads ``name`` as a place
    or an organisation: such a name is not carried to the row's other texts.
    """
    out = []
    for raws, maskeds in zip(raw_rows, masked_rows, strict=True):
        found: set[str] = set()
        for raw, masked in zip(raws, maskeds, strict=True):
            if isinstance(raw, str) and isinstance(masked, str):
                found |= replaced_names(raw, masked)
        names = sorted((x for x in found if _spreads_across(x)), key=len, reverse=True)
        if place is not None:
            names = [x for x in names if not _a_place(maskeds, x, place)]
        if not names:
            out.append(maskeds)
            continue
        # a name cut short in one text and masked whole in another: 与[姓名]自和 in a
        # reply, 谢平自 masked in its message
        whole = frozenset(x for x in names if len(x) == 3)
        new = []
        for raw, masked in zip(raws, maskeds, strict=True):
            if isinstance(masked, str):
                if whole and isinstance(raw, str):
                    masked = widen_repeated(raw, masked, whole)
                for name in names:
                    masked = masked.replace(name, _n._NAME)
            new.append(masked)
        out.append(new)
    return out


#: Rounds of spreading and masking again (a round that changes nothing ends it).
MAX_ROUNDS = 4


def spread_columns(raw: list, masked: list, *, kinds=None, names: str = DEFAULT_NAMES) -> list:
    """:func:`spread_names` over columns: each row's texts across ``raw`` / ``masked``.

    ``raw`` and ``masked`` hold one pandas Series per text column (same index, in the
    same order). Only rows where some masked text holds ``[姓名]`` are read (a vectorised
    test picks them); the returned list holds the masked Series with those rows updated,
    the others untouched (the same objects when no row changes). ``kinds`` and
    ``names`` are the masker's, used again on the texts a spread name changes.
    """
    import numpy as np
    import pandas as pd

    from commlib.privacy import mask_pii

    if len(masked) < 2:
        return list(masked)
    from commlib.privacy._model import reads_as_place, resolve_names

    # with the model, a name one text masks is not carried where a text of the row
    # reads it as a place (杜路花/PER|设计 in a message, 北临杜路花 ... 杜路花/LOC in its reply)
    place = None if resolve_names(names) == "rules" else reads_as_place
    has = np.zeros(len(masked[0]), dtype=bool)
    for col in masked:
        has |= col.str.contains(_n._NAME, regex=False).to_numpy(dtype=bool, na_value=False)
    rows = np.flatnonzero(has)
    if not len(rows):
        return list(masked)

    def cells(series):
        return [None if pd.isna(v) else v for v in series.iloc[rows].tolist()]

    raw_cells = [cells(c) for c in raw]
    new_cells = [cells(c) for c in masked]
    raw_rows = [list(r) for r in zip(*raw_cells, strict=True)]
    spread = [list(r) for r in zip(*new_cells, strict=True)]
    # A spread name gives its neighbours new context (木工班[姓名]、何华孝: a name listed
    # next to a masked one), which the masker reads as a name: mask the changed texts
    # again and spread what that finds, until nothing changes, so that nothing find_pii
    # sees survives (real TipDM replies showed it).
    for _ in range(MAX_ROUNDS):
        before = spread
        spread = spread_names(raw_rows, spread, place=place)
        changed = [
            (i, k)
            for i, (a, b) in enumerate(zip(before, spread, strict=True))
            for k in range(len(a))
            if a[k] != b[k]
        ]
        if not changed:
            break
        again = mask_pii(
            pd.Series([spread[i][k] for i, k in changed], dtype="str"), kinds=kinds, names=names
        ).tolist()
        for (i, k), text in zip(changed, again, strict=True):
            spread[i][k] = text
    if place is not None:
        spread = _places_back(raw_rows, spread, place, kinds)
    out = []
    for k, col in enumerate(masked):
        values = [row[k] for row in spread]
        if values == new_cells[k]:
            out.append(col)
            continue
        col = col.copy()
        col.iloc[rows] = pd.array(values, dtype=col.dtype)
        out.append(col)
    return out


def _a_place(texts: list, name: str, place) -> bool:
    """Whether a text of ``texts`` (a row's masked texts) where ``name`` is still visible
    reads it as a place (``place(text, name)``); the texts where it was masked told the
    masker already."""
    return any(isinstance(t, str) and name in t and place(t, name) for t in texts)


def _places_back(raw_rows: list[list], masked_rows: list[list], place, kinds) -> list[list]:
    """Per row, the strings masked as names that a text of the row reads as a place or an
    organisation (:func:`_a_place`) written back in every text of the row: a message
    asks 楚雅作为省里的名院 (the model: 楚雅/PER), its reply names 楚雅附一医院 (ORG).
    What the rules find in a text written back is masked again by them, so the final
    check still finds nothing."""
    import pandas as pd

    from commlib.privacy import mask_as_checked

    out, changed = [], []
    for i, (raws, maskeds) in enumerate(zip(raw_rows, masked_rows, strict=True)):
        found: set[str] = set()
        for raw, masked in zip(raws, maskeds, strict=True):
            if isinstance(raw, str) and isinstance(masked, str):
                found |= replaced_names(raw, masked)
        keep = {x for x in found if _a_place(maskeds, x, place)}
        row = list(maskeds)
        if keep:
            for k, (raw, masked) in enumerate(zip(raws, maskeds, strict=True)):
                if isinstance(raw, str) and isinstance(masked, str):
                    back = restore_names(raw, masked, keep)
                    if back != masked:
                        row[k] = back
                        changed.append((i, k))
        out.append(row)
    if changed:
        again = mask_as_checked(
            pd.Series([out[i][k] for i, k in changed], dtype="str"), kinds=kinds
        ).tolist()
        for (i, k), text in zip(changed, again, strict=True):
            out[i][k] = text
    return out
