"""Text steps: normalisation, boilerplate, category synonyms.

Each public verb takes a DataFrame first and returns a new one. The private twins
(``_normalize_text`` ...) also hand back how many rows changed and the facts for the
cleaning log (a note code and its figures), which :func:`clean_tickets` records.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.clean._arrow import (
    _arrow,
    _combined,
    _is_text_column,
    _np_bool,
    _on_rows,
    _per_distinct,
    _series,
    _where_replace,
)
from commlib.clean._words import render_note
from commlib.errors import require_columns

logger = logging.getLogger("commlib.clean")

#: Columns that hold dates; :func:`normalize_text` leaves them to :func:`parse_dates`.
DATE_COLUMNS: tuple[str, ...] = ("created_at", "closed_at")

#: Free-text columns :func:`clean_tickets` masks (those present).
MASK_COLUMNS: tuple[str, ...] = ("title", "text", "reply")

#: Punctuation (after NFKC) and spaces trimmed where boilerplate was cut out.
_PUNCT = r"\s,.:;!?、。，：；！？"
_PUNCT_CHARS = " ,.:;!?、。，：；！？"
#: What is trimmed at the end of a text once boilerplate is cut (a final 。 stays).
_TRAIL_CHARS = " ,:;、，：；"


# --------------------------------------------------------------------------------------
# normalize_text
# --------------------------------------------------------------------------------------

#: Named HTML entities decoded with plain substring kernels; ``&amp;`` goes last so a
#: double-escaped ``&amp;nbsp;`` is decoded once, as :func:`html.unescape` does.
_COMMON_ENTITIES: tuple[tuple[str, str], ...] = (
    ("&nbsp;", "\u00a0"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#39;", "'"),
    ("&apos;", "'"),
    ("&ldquo;", "\u201c"),
    ("&rdquo;", "\u201d"),
    ("&middot;", "\u00b7"),
    ("&mdash;", "\u2014"),
    ("&amp;", "&"),
)
_ENTITY_RE = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_EXCEL_ESCAPE_RE = r"_x000[DdAa9]_"
#: C0/C1 controls except tab/newline/CR (whitespace, handled below), zero-width
#: characters and the byte-order mark.
_CONTROL_RE = r"[\x00-\x08\x0e-\x1f\x7f\x{80}-\x{84}\x{86}-\x{9f}\x{200b}-\x{200d}\x{2060}\x{feff}]"
_SPACE_RE = r"[\s\x{85}\x{2028}\x{2029}]+"
_BEFORE_NFKC_RE = f"{_EXCEL_ESCAPE_RE}|{_ENTITY_RE}"
_AFTER_NFKC_RE = f"{_CONTROL_RE}|[\\t\\n\\r\\f\\v\\x{{85}}\\x{{2028}}\\x{{2029}}]|  |^ | $"


def _decode_entities(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Decode HTML entities (every row of ``arr`` holds at least one)."""
    # Which entities occur (first one per row): only those get a substring pass.
    first = pc.struct_field(pc.extract_regex(arr, f"(?P<e>{_ENTITY_RE})"), "e")
    present = set(pc.unique(first).to_pylist())
    sub = arr
    for entity, char in _COMMON_ENTITIES:
        if entity in present:
            sub = pc.replace_substring(sub, entity, char)
    # Rows still showing an entity had a rarer (or a second, or a double-escaped) one:
    # decode their original text with html.unescape, once per distinct string.
    rest = _np_bool(pc.match_substring_regex(sub, _ENTITY_RE))
    if rest.any():
        values = pc.filter(arr, pa.array(rest)).to_pylist()
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        decoded = np.asarray([html.unescape(u) for u in uniques], dtype=object)[codes]
        sub = pc.replace_with_mask(
            _combined(sub), pa.array(rest), pa.array(decoded, pa.large_string())
        )
    return sub


def _fix_before_nfkc(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Excel escapes to a space, HTML entities decoded (rows that have either)."""
    arr = _where_replace(arr, _EXCEL_ESCAPE_RE, " ")
    hit = _np_bool(pc.match_substring_regex(arr, _ENTITY_RE))
    return _on_rows(arr, hit, _decode_entities)


def _fix_after_nfkc(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Controls removed, whitespace collapsed, ends trimmed (rows that need it)."""
    arr = _where_replace(arr, _CONTROL_RE, "")
    arr = pc.replace_substring_regex(arr, _SPACE_RE, " ")
    return pc.utf8_trim_whitespace(arr)


def _normalize_array(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """NFKC, escapes, entities, controls and whitespace of one Arrow string array.

    Three passes touch every row (one regex test, NFKC, one regex test); the fixes
    run only on the rows the tests pick out.
    """
    # Excel's escaped line breaks and HTML entities (before NFKC: &nbsp; is U+00A0).
    arr = _on_rows(arr, _np_bool(pc.match_substring_regex(arr, _BEFORE_NFKC_RE)), _fix_before_nfkc)
    # NFKC: full-width letters, digits and punctuation to their plain forms, U+3000 and
    # U+00A0 to a space, compatibility ideographs to the unified ones.
    arr = pc.utf8_normalize(arr, "NFKC")
    arr = _on_rows(arr, _np_bool(pc.match_substring_regex(arr, _AFTER_NFKC_RE)), _fix_after_nfkc)
    # Blank cells become missing.
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _normalize_distinct(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """:func:`_normalize_array`, once per distinct value when values repeat a lot."""
    return _per_distinct(arr, _normalize_array)


def _default_text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in DATE_COLUMNS and _is_text_column(df[c])]


def _normalize_text(df: pd.DataFrame, columns) -> tuple[pd.DataFrame, int, str, dict]:
    cols = _default_text_columns(df) if columns is None else list(columns)
    require_columns(df, cols, where="normalize_text")
    out = df.copy(deep=False)
    changed = np.zeros(len(df), dtype=bool)
    for col in cols:
        if not _is_text_column(df[col]):
            continue
        before = _arrow(df[col])
        after = _normalize_distinct(before)
        diff = pc.invert(pc.equal(before, after))
        # null vs null is "same"; null vs value is a change (blank cell to NA).
        diff = pc.if_else(
            pc.and_(pc.is_null(before), pc.is_null(after)),
            False,
            pc.fill_null(diff, True),
        )
        changed |= _np_bool(diff)
        out[col] = _series(after, df[col])
    if not cols:
        return out, 0, "no_text_columns", {}
    return out, int(changed.sum()), "normalized", {"columns": cols}


def normalize_text(df: pd.DataFrame, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Make text comparable: NFKC, no Excel escapes, entities, controls or extra spaces.

    For each column, in this order: Excel's escaped line breaks (``_x000D_``,
    ``_x000A_``, ``_x0009_``) become a space; HTML entities (``&nbsp;``, ``&amp;``,
    ``&lt;``, ``&#20013;`` ...) are decoded; Unicode NFKC normalisation maps full-width
    letters, digits and punctuation to their plain forms (``１２３`` to ``123``, ``，`` to
    ``,``) and odd spaces (U+3000, U+00A0) to a plain space; control characters and
    zero-width characters are removed; runs of whitespace (spaces, tabs, newlines)
    become one space; ends are stripped. A cell left blank becomes missing (NA).

    All work runs on Arrow string kernels over whole columns; the rarer fixes (escapes,
    entities, controls) only touch the rows that need them.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    columns : sequence of str, optional
        Columns to normalise. Default: every column holding strings except the date
        columns ``created_at`` and ``closed_at`` (:func:`parse_dates` cleans those).

    Returns
    -------
    pandas.DataFrame
        A new frame; normalised columns have the ``str`` dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["楼道&nbsp;堆物_x000D_\\n１２３号　门口  ", "   "]})
    >>> normalize_text(df)["text"].tolist()
    ['楼道 堆物 123号 门口', nan]
    """
    out, changed, code, params = _normalize_text(df, columns)
    logger.info("normalize_text: %d rows changed (%s)", changed, render_note(code, params, "en"))
    return out


# strip_boilerplate
# --------------------------------------------------------------------------------------


@functools.cache
def _bundled_boilerplate() -> tuple[str, ...]:
    text = resources.files("commlib.resources").joinpath("boilerplate.txt").read_text("utf-8")
    return tuple(_pattern_lines(text.splitlines()))


def _pattern_lines(lines: Iterable[str]) -> list[str]:
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _load_patterns(patterns) -> list[str]:
    if patterns is None:
        pats = list(_bundled_boilerplate())
    elif isinstance(patterns, str | PathLike):
        with open(patterns, encoding="utf-8") as fh:
            pats = _pattern_lines(fh)
    else:
        pats = [p for p in patterns if p]
    import unicodedata

    return [unicodedata.normalize("NFKC", p) for p in pats]


#: Rows per slice in :func:`_strip_boilerplate` (bounds its temporary memory).
_SLICE_ROWS = 65_536


def _split_marked(marked: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """Split texts with \x01phrase\x02-marked boilerplate into (text, phrases).

    Literal splits and index arithmetic only, no regex: ``text`` is what lies outside
    the markers, ``phrases`` the marked phrases "|"-joined without their punctuation.
    """
    marked = _combined(marked)
    parts = pc.split_pattern(marked, "\x01")  # [before, "ph\x02after", "ph\x02after", ...]
    offsets = parts.offsets.to_numpy()
    offsets = offsets - offsets[0]
    flat = pc.list_flatten(parts)
    counts = np.diff(offsets)
    is_first = np.zeros(len(flat), dtype=bool)
    is_first[offsets[:-1][counts > 0]] = True
    halves = pc.split_pattern(flat, "\x02", max_splits=1)
    pieces = pc.list_flatten(halves)
    h_off = halves.offsets.to_numpy()
    h_off = h_off - h_off[0]
    starts = h_off[:-1]
    # Text: the first element whole, then what follows each \x02.
    seg_idx = np.where(is_first, starts, starts + 1)
    segments = pc.take(pieces, pa.array(seg_idx))
    text = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), segments)
    text = pc.binary_join(text, pa.scalar("", pa.large_string()))
    # Phrases: the part before each \x02, grouped back by row.
    phrase_idx = starts[~is_first]
    phrases = pc.utf8_rtrim(pc.take(pieces, pa.array(phrase_idx)), _PUNCT_CHARS)
    per_row = counts - 1
    per_row[counts == 0] = 0
    p_off = np.concatenate([[0], np.cumsum(per_row)]).astype(np.int32)
    found = pa.ListArray.from_arrays(pa.array(p_off), phrases)
    found = pc.binary_join(found, pa.scalar("|", pa.large_string()))
    found = pc.if_else(pc.equal(found, ""), pa.scalar(None, found.type), found)
    return text, found


def _strip_boilerplate(
    df: pd.DataFrame, patterns, column: str
) -> tuple[pd.DataFrame, int, str, dict]:
    out = df.copy(deep=False)
    pats = _load_patterns(patterns)
    arr = _arrow(df[column])
    if not pats or len(arr) == 0:
        out["boilerplate"] = _series(pa.nulls(len(arr), pa.large_string()), df[column])
        if "text_original" not in out.columns:
            out["text_original"] = df[column]
        if not pats:
            return out, 0, "no_patterns", {}
        return out, 0, "boilerplate", {"patterns": len(pats), "rows": 0, "only": 0}
    body = "|".join(f"(?:{p})" for p in pats)
    find = f"(?:{body})"
    hit = _np_bool(pc.match_substring_regex(arr, find))
    boiler = pa.nulls(len(arr), pa.large_string())
    text = arr
    if hit.any():
        mask = pa.array(hit)
        sub = pc.filter(arr, mask)
        # Wrap every phrase (and the punctuation after it) in \x01 ... \x02: one regex
        # pass; the passes below look for the literal markers, which RE2 finds fast.
        # In slices of rows, so the split's temporary copies of the text stay small.
        texts, phrases = [], []
        for start in range(0, len(sub), _SLICE_ROWS):
            part = sub.slice(start, _SLICE_ROWS)
            marked = pc.replace_substring_regex(part, f"{find}[{_PUNCT}]*", "\x01\\0\x02")
            stripped, found = _split_marked(marked)
            texts.append(pc.utf8_rtrim(pc.utf8_ltrim(stripped, _PUNCT_CHARS), _TRAIL_CHARS))
            phrases.append(_combined(found))
        stripped = pa.concat_arrays([_combined(x) for x in texts])
        found = pa.concat_arrays(phrases)
        text = pc.replace_with_mask(arr, mask, _combined(stripped))
        boiler = pc.replace_with_mask(boiler, mask, _combined(found))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    if "text_original" not in out.columns:  # keep the first original on a re-run
        out["text_original"] = df[column]
    out[column] = _series(text, df[column])
    out["boilerplate"] = _series(boiler, df[column])
    n_hit = int(hit.sum())
    only = int((hit & _np_bool(pc.is_null(text))).sum())
    return out, n_hit, "boilerplate", {"patterns": len(pats), "rows": n_hit, "only": only}


def strip_boilerplate(
    df: pd.DataFrame,
    *,
    patterns: Sequence[str] | str | PathLike | None = None,
    column: str = "text",
) -> pd.DataFrame:
    """Move hotline formulas (市民来电反映, 希望相关部门尽快处理 ...) out of the text.

    Operators wrap every request in the same phrases; left in place they top every
    word count. Each phrase found (with the punctuation right after it) is cut out of
    ``text`` and listed, ``"|"``-joined, in a new column ``boilerplate``; the text as
    it came in is kept in ``text_original`` (left unchanged if that column exists).
    A text that was boilerplate only becomes missing; the row is kept.

    The bundled list is ``commlib/resources/boilerplate.txt`` (RE2 regular
    expressions, one per line, documented in the file). Mask before you strip when
    texts carry personal data: :func:`clean_tickets` does, so ``text_original`` and
    ``boilerplate`` are masked as well.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    patterns : sequence of str, or path, optional
        RE2 patterns (no look-around or back-references), or a path to a UTF-8 file
        with one per line (``#`` starts a comment). Default: the bundled list.
        Earlier patterns win where two start at the same place.
    column : str, default "text"
        Column to clean.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``column`` cleaned, plus ``boilerplate`` and ``text_original``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["市民来电反映:小区门口垃圾堆放,希望相关部门尽快处理。"]})
    >>> out = strip_boilerplate(df)
    >>> out.loc[0, "text"], out.loc[0, "boilerplate"]
    ('小区门口垃圾堆放', '市民来电反映|希望相关部门尽快处理')
    >>> out.loc[0, "text_original"]
    '市民来电反映:小区门口垃圾堆放,希望相关部门尽快处理。'
    """
    require_columns(df, [column], where="strip_boilerplate")
    out, _, code, params = _strip_boilerplate(df, patterns, column)
    logger.info("strip_boilerplate: %s", render_note(code, params, "en"))
    return out


# --------------------------------------------------------------------------------------
# map_categories
# --------------------------------------------------------------------------------------


def _norm_label(value: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


@functools.cache
def _bundled_synonyms() -> tuple[tuple[str, str], ...]:
    path = resources.files("commlib.resources").joinpath("category_synonyms.csv")
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str)
    return tuple(zip(table["synonym"], table["category"], strict=True))


def _synonym_table(synonyms) -> dict[str, str]:
    """``{normalised synonym: canonical label}`` from a dict, a CSV path or the bundle."""
    if synonyms is None:
        pairs = _bundled_synonyms()
    elif isinstance(synonyms, Mapping):
        pairs = tuple(synonyms.items())
    elif isinstance(synonyms, str | PathLike):
        table = pd.read_csv(synonyms, dtype=str)
        require_columns(
            table,
            ["category", "synonym"],
            where=f"synonym file {synonyms!s}",
            hint="It needs a 'category' column (canonical label) and a 'synonym' column.",
        )
        pairs = tuple(zip(table["synonym"], table["category"], strict=True))
    else:
        raise TypeError("synonyms must be None, a dict {synonym: category} or a CSV path")
    table: dict[str, str] = {}
    for syn, canon in pairs:
        if isinstance(syn, str) and isinstance(canon, str):
            table[_norm_label(syn)] = canon.strip()
            table.setdefault(_norm_label(canon), canon.strip())
    return table


def _map_categories(df: pd.DataFrame, synonyms, column: str) -> tuple[pd.DataFrame, int, str, dict]:
    table = _synonym_table(synonyms)
    s = df[column]
    codes, uniques = pd.factorize(s)
    new_uniques = []
    unknown: list[str] = []
    for u in uniques:
        hit = table.get(_norm_label(u))
        if hit is None:
            unknown.append(u)
            new_uniques.append(u)
        else:
            new_uniques.append(hit)
    new_u = np.asarray(new_uniques, dtype=object)
    values = np.where(codes >= 0, new_u[np.maximum(codes, 0)] if len(new_u) else None, None)
    mapped = pd.Series(values, index=s.index, name=column, dtype="str")
    out = df.copy(deep=False)
    out[column] = mapped
    before = s.astype("str")
    changed = int((before.ne(mapped) & mapped.notna()).sum())
    unknown_set = set(unknown)
    n_unknown_rows = int(
        np.isin(codes, [i for i, u in enumerate(uniques) if u in unknown_set]).sum()
    )
    params = {
        "relabelled": changed,
        "unknown_labels": [str(u) for u in unknown],
        "unknown_rows": n_unknown_rows,
    }
    return out, changed, "categories", params


def map_categories(
    df: pd.DataFrame,
    *,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    column: str = "category",
) -> pd.DataFrame:
    """Give each category one spelling: 噪声扰民, 噪音 and 扰民噪音 all become 噪音扰民.

    Labels are matched after NFKC, whitespace collapsing and case folding, so
    ``"Noise "`` and ``"noise"`` match the same synonym. Labels not in the table are
    kept as they are; how many is logged (and shown in :func:`clean_tickets`' log).
    The work is done once per distinct label, not once per row.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    synonyms : dict or path, optional
        ``{synonym: canonical label}``, or a CSV file with columns ``category``
        (canonical) and ``synonym``. Default: the bundled
        ``commlib/resources/category_synonyms.csv``.
    column : str, default "category"
        Column to map.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``column`` mapped.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["噪声扰民", "乱停车", "噪音扰民", "其他"]})
    >>> map_categories(df)["category"].tolist()
    ['噪音扰民', '停车管理', '噪音扰民', '其他']
    >>> map_categories(df, synonyms={"其他": "其它"})["category"].tolist()
    ['噪声扰民', '乱停车', '噪音扰民', '其它']
    """
    require_columns(df, [column], where="map_categories")
    out, _, code, params = _map_categories(df, synonyms, column)
    logger.info("map_categories: %s", render_note(code, params, "en"))
    return out
