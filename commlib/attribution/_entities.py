"""Entities: the shop, stall or site a ticket text names (part of commlib.attribution)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd

from commlib._util import contains_words
from commlib.errors import require_columns

#: Texts a generic-entity search handles at a time (their Python strings in memory).
_EXTRACT_BLOCK = 100_000


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


#: Determiners that name a shop: 那家小面店, 这家烧烤摊, 一家足浴店.
_DETERMINERS = ("那家", "这家", "一家", "那个", "这个")
#: Generic pattern for shops named with a determiner.
_GENERIC_ENTITY = f"(?:{'|'.join(_DETERMINERS)})([\\u4e00-\\u9fff]{{1,4}}?(?:店|馆|摊|铺|厂|档))"


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
        # only texts holding a word can match (the words without their \b): Python's
        # re, with its look of word boundaries, runs on those only
        maybe = np.flatnonzero(contains_words(text, words))
        found = pd.Series(np.nan, index=text.index, dtype="str")
        for a in range(0, len(maybe), _EXTRACT_BLOCK):
            rows = text.index[maybe[a : a + _EXTRACT_BLOCK]]
            found[rows] = text[rows].str.extract(regex, flags=re.IGNORECASE, expand=False)
        lookup = {w.lower(): e for w, e in words.items()}
        out = found.str.lower().map(lookup).astype("str").rename("entity")
    if patterns:
        todo = out.isna().to_numpy().copy()
        # the generic pattern needs one of its determiners
        todo[todo] = contains_words(text[todo], _DETERMINERS)
        if todo.any():
            # a block of rows at a time: the pattern runs in Python's re, on Python
            # strings of every text at once (2M tickets: 0.8 GB)
            rows = np.flatnonzero(todo)
            generic = pd.concat(
                [
                    text.iloc[rows[a : a + _EXTRACT_BLOCK]].str.extract(
                        _GENERIC_ENTITY, expand=False
                    )
                    for a in range(0, len(rows), _EXTRACT_BLOCK)
                ]
            )
            out = out.mask(todo, generic.reindex(out.index))
    return out.astype("str").rename("entity").set_axis(df.index)
