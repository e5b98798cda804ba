"""Headers: clean them, match them to canonical names, choose a preset, check them."""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np
import pandas as pd

from commlib.errors import MissingColumnsError
from commlib.io._common import logger
from commlib.schema import (
    CANONICAL_COLUMNS,
    EXTRA_SAMPLE_COLUMNS,
    OPTIONAL_COLUMNS,
    PRESET_FALLBACKS,
    PRESETS,
)

# Characters stripped from both ends of a header name: ordinary whitespace, the
# ideographic (full-width) space U+3000, no-break space, BOM and zero-width marks.
_HEADER_STRIP = re.compile(
    r"^[\s\u3000\ufeff\u200b-\u200d\u2060]+|[\s\u3000\ufeff\u200b-\u200d\u2060]+$"
)
_HEADER_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

#: Names ``read_tickets`` places first, in this order: canonical, then optional ones.
_ORDERED = (*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS)
# Canonical and optional names, plus the extra column the bundled sample carries.
_KNOWN_NAMES = (*_ORDERED, *EXTRA_SAMPLE_COLUMNS)
_TEXT_COLUMNS = ("text", "title", "category")
_AUTO = (None, "auto")


def _clean_headers(columns) -> list[str]:
    """Strip white space (incl. full-width space and BOM); name blanks; de-duplicate."""
    cleaned = []
    seen: set[str] = set()
    for i, column in enumerate(columns):
        name = _HEADER_STRIP.sub("", str(column))
        if not name or name.startswith("Unnamed: "):
            name = f"Unnamed: {i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        cleaned.append(name)
    return cleaned


def _normalise_header(header: str) -> str:
    """Key headers are compared on: NFKC, case folded, spaces and dashes as ``_``."""
    key = unicodedata.normalize("NFKC", _HEADER_STRIP.sub("", str(header))).casefold()
    return _HEADER_SEPARATORS.sub("_", key).strip("_")


def _drop_trailing_empty_rows(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) == 0 or df.shape[1] == 0 or df.iloc[-1].notna().any():
        return df
    filled = np.flatnonzero(df.notna().to_numpy().any(axis=1))
    keep = int(filled[-1]) + 1 if len(filled) else 0
    return df.iloc[:keep].reset_index(drop=True)


def _match(headers: list[str], spec: dict[str, str], *, exact_first: bool) -> dict[str, str]:
    """Map headers with ``spec`` ({key: target}); first key in spec order wins a target."""
    by_norm: dict[str, list[str]] = {}
    for header in headers:
        by_norm.setdefault(_normalise_header(header), []).append(header)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for key, target in spec.items():
        if target in taken:
            continue
        candidates = [key] if exact_first and key in headers else []
        candidates += by_norm.get(_normalise_header(key), [])
        for header in candidates:
            if header not in mapping:
                mapping[header] = target
                taken.add(target)
                break
    return mapping


def _candidates() -> dict[str, dict[str, str]]:
    return {"canonical": {c: c for c in _KNOWN_NAMES}, **PRESETS}


def _score(mapping: dict[str, str]) -> int:
    """How well a mapping fits: the number of distinct known names it finds."""
    return len(set(mapping.values()) & set(_ORDERED))


def _best_preset(headers: list[str]) -> tuple[str | None, dict[str, str], int]:
    """The preset (or ``"canonical"``) matching most headers; ties keep the earlier one."""
    best, best_map, best_score = None, {}, 0
    for preset, spec in _candidates().items():
        mapping = _match(headers, spec, exact_first=False)
        score = _score(mapping)
        if score > best_score:
            best, best_map, best_score = preset, mapping, score
    return best, best_map, best_score


def _header_scorer(columns):
    """A function scoring a header row for ``columns`` (used to pick a workbook's sheet)."""
    if isinstance(columns, dict):
        return lambda headers: len(_match(headers, columns, exact_first=True))
    if isinstance(columns, str) and columns in PRESETS:
        return lambda headers: _score(_match(headers, PRESETS[columns], exact_first=False))
    return lambda headers: _best_preset(headers)[2]


def _choose_mapping(headers: list[str], columns, name: str) -> tuple[dict[str, str], str | None]:
    if isinstance(columns, dict):
        return _match(headers, columns, exact_first=True), "custom"
    if isinstance(columns, str) and columns not in _AUTO:
        if columns not in PRESETS:
            raise ValueError(
                f"unknown preset {columns!r}; use 'auto', one of "
                f"{', '.join(map(repr, PRESETS))}, or a dict {{file header: canonical name}} "
                "(on the command line: --columns PRESET or --columns MAP.json)."
            )
        return _match(headers, PRESETS[columns], exact_first=False), columns
    if columns not in _AUTO:
        raise TypeError(
            f"columns must be None, 'auto', a preset name or a dict, not {type(columns).__name__}"
        )
    best, mapping, score = _best_preset(headers)
    if best is None:
        logger.warning("%s: no header matches a canonical name or a preset", name)
    else:
        logger.info("%s: headers matched with preset %r (%d columns)", name, best, score)
    return mapping, best


def _fill_from_fallbacks(
    df: pd.DataFrame, preset: str | None, name: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Copy a column into a missing one as the preset says (NYC's descriptor -> text)."""
    copied: dict[str, str] = {}
    for target, source in PRESET_FALLBACKS.get(preset or "", {}).items():
        if target not in df.columns and source in df.columns:
            copied[target] = source
    if not copied:
        return df, copied
    df = df.assign(**{target: df[source] for target, source in copied.items()})
    for target, source in copied.items():
        logger.info("%s: no %r column; %r is copied into it", name, target, source)
    order = [c for c in _ORDERED if c in df.columns]
    return df[order + [c for c in df.columns if c not in set(order)]], copied


def _check_required(
    headers, mapping, columns, preset, required, name, *, sheets: tuple | None = None
) -> None:
    """Raise MissingColumnsError naming the closest headers if a required column is missing.

    ``sheets`` is ``(sheet read, all sheet names)`` for a workbook with several sheets,
    so the error can say which sheet was read and how to pick another.
    """
    found = set(mapping.values())
    for target, source in PRESET_FALLBACKS.get(preset or "", {}).items():
        if source in found:
            found.add(target)
    groups: list[tuple[str, ...]]
    if required is not None:
        groups = [(c,) if isinstance(c, str) else tuple(c) for c in required]
    elif isinstance(columns, dict):
        groups = [(t,) for t in dict.fromkeys(columns.values())]
    else:
        groups = [("created_at",), _TEXT_COLUMNS]
    missing_groups = [g for g in groups if not found.intersection(g)]
    if not missing_groups:
        return

    if isinstance(columns, dict):
        spec = columns
    elif preset in PRESETS:
        spec = PRESETS[preset]
    else:
        spec = {k: v for p in PRESETS.values() for k, v in p.items()}
    unmapped = [h for h in headers if h not in mapping]
    norm_unmapped = {_normalise_header(h): h for h in unmapped}
    missing, wanted, closest, expected = [], [], [], []
    for group in missing_groups:
        missing.extend(group)
        wanted.append(" / ".join(f"'{g}'" for g in group))
        keys = [k for k, v in spec.items() if v in group]
        close: list[str] = []
        for probe in [*keys, *group]:
            for hit in difflib.get_close_matches(
                _normalise_header(probe), norm_unmapped, n=3, cutoff=0.5
            ):
                if norm_unmapped[hit] not in close:
                    close.append(norm_unmapped[hit])
        if close:
            closest.append(f"{group[0]} ~ {', '.join(repr(c) for c in close[:3])}")
        if keys:
            expected.append(f"{group[0]}: {', '.join(repr(k) for k in keys[:4])}")

    if isinstance(columns, dict):
        how, extra = "custom", {}
    elif preset is not None:
        how, extra = "preset", {"preset": repr(preset)}
    else:
        how, extra = "none", {"presets": ", ".join(PRESETS)}
    if sheets is not None:
        extra["sheet"] = repr(sheets[0])
        extra["sheets"] = ", ".join(repr(n) for n in sheets[1])
    raise MissingColumnsError(
        key=f"io.missing_columns.{how}" + (".sheet" if sheets is not None else ""),
        params={
            "name": name,
            "missing": "; ".join(wanted),
            "closest": "; ".join(closest) or "-",
            "expected": "; ".join(expected) or "-",
            "headers": ", ".join(repr(h) for h in headers),
            "example": missing_groups[0][0],
            **extra,
        },
        missing=missing,
        available=headers,
    )


def _apply_mapping(raw: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.DataFrame:
    targets = set(mapping.values())
    new_names = []
    for header in raw.columns:
        if header in mapping:
            new_names.append(mapping[header])
            continue
        new = header
        k = 0
        while new in targets:  # an extra column whose name a mapped column now uses
            k += 1
            new = f"{header}.{k}"
        if new != header:
            logger.warning("%s: extra column %r renamed %r to make way", name, header, new)
        targets.add(new)
        new_names.append(new)
    df = raw.set_axis(new_names, axis=1)
    ordered = [c for c in _ORDERED if c in targets and c in new_names]
    rest = [c for c in new_names if c not in set(ordered)]
    return df[ordered + rest]
