"""The two engines of :mod:`commlib.privacy`: Python re for one string, pyarrow RE2 for a column."""

from __future__ import annotations

import re

import pandas as pd

from commlib.privacy._names import mask_names, may_hold_name, prefilter_pattern
from commlib.privacy._rules import _MAX_PASSES, _gates, _placeholder_rules, _Rule, _rules


# ---------------------------------------------------------------------------------------
# The two engines: Python re for one string, pyarrow RE2 for a column.
# ---------------------------------------------------------------------------------------
def _sub_until_stable(text: str, rule: _Rule) -> str:
    pattern = rule.python_pattern
    # every match changes the text, so "until no match" = "until no change"
    for _ in range(_MAX_PASSES):
        if not pattern.search(text):
            break
        text = pattern.sub(rule.repl, text)
    return text


def _normalise_str(text: str, kinds: tuple[str, ...]) -> str:
    """Publisher placeholders (0000-00000000, 177××××1292) rewritten to the typed ones."""
    for rule in _placeholder_rules():
        if rule.kind in kinds:
            text = _sub_until_stable(text, rule)
    return text


def _mask_str(text: str, kinds: tuple[str, ...]) -> str:
    # a masked name can expose a number it was glued to: repeat while a pass changes it
    for _ in range(_MAX_PASSES):
        masked = _mask_str_once(text, kinds)
        if masked == text:
            break
        text = masked
    return text


def _mask_str_once(text: str, kinds: tuple[str, ...]) -> str:
    text = _normalise_str(text, kinds)
    gates = _gates()
    for kind in kinds:
        if not re.search(gates[kind], text):
            continue
        for rule in _rules():
            if rule.kind != kind:
                continue
            text = _sub_until_stable(text, rule)
    if "name" in kinds and may_hold_name(text):
        masked = mask_names(text)
        if masked != text:
            # a masked name can expose a number it was glued to ("John430102 1990...")
            return (
                _mask_str(masked, tuple(k for k in kinds if k != "name"))
                if any(k != "name" for k in kinds)
                else masked
            )
    return text


def _runs(items, key):
    """Consecutive runs of ``items`` sharing ``key``: [(key, [item, ...]), ...]."""
    out: list[tuple[object, list]] = []
    for item in items:
        k = key(item)
        if out and out[-1][0] == k:
            out[-1][1].append(item)
        else:
            out.append((k, [item]))
    return out


def _mask_arrow(arr, kinds: tuple[str, ...]):
    """Mask a pyarrow string array; only rows a rule matches are rewritten.

    Rows are narrowed in three steps, each a necessary condition of the next: any
    gate; the kind's gate; a rule's sub-gate (shared by neighbouring rules). Masking
    only removes digits and words, so a row rejected early can never need a rule later.
    """
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _normalise_arrow(arr, kinds)
    # a masked name can expose a number it was glued to ("Mr. John430102 1990..."):
    # the rules run again while a pass still changes something, on the rows it changed
    rows = arr
    where = None  # positions of ``rows`` in ``arr``; None: every row
    for _ in range(_MAX_PASSES):
        new = _mask_arrow_rules(rows, kinds)
        if "name" in kinds:
            new = _mask_names_arrow(new)
        changed = pc.fill_null(pc.not_equal(new, rows), False)
        if where is None:
            arr = new
        else:
            mask = np.zeros(len(arr), dtype=bool)
            mask[where] = True
            arr = pc.replace_with_mask(arr, pa.array(mask), new)
        if not pc.any(changed).as_py():
            break
        positions = np.flatnonzero(changed.to_numpy(zero_copy_only=False))
        where = positions if where is None else where[positions]
        rows = pc.filter(new, changed)
    return arr


def _normalise_arrow(arr, kinds: tuple[str, ...]):
    """Column version of :func:`_normalise_str`."""

    return _apply_by_subgate(arr, [r for r in _placeholder_rules() if r.kind in kinds])


def _apply_by_subgate(arr, rules):
    """``rules`` in order on a column; a run of rules sharing a ``subgate`` (a cheaper
    pattern every row they change matches: the stars of a starred name, a title word)
    reads only the rows that match it."""
    import pyarrow.compute as pc

    for subgate, run in _runs(rules, lambda r: r.subgate):
        if subgate is None:
            for rule in run:
                arr = _apply_rule(arr, rule)
            continue
        inner = pc.fill_null(pc.match_substring_regex(arr, pattern=subgate), False)
        if not pc.any(inner).as_py():
            continue
        rows = pc.filter(arr, inner)
        for rule in run:
            rows = _apply_rule(rows, rule)
        arr = pc.replace_with_mask(arr, inner, rows)
    return arr


def _mask_names_arrow(arr):
    """The name step on the rows that pass the prefilter (Python, one row at a time)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    todo = pc.fill_null(pc.match_substring_regex(arr, pattern=prefilter_pattern()), False)
    if not pc.any(todo).as_py():
        return arr
    rows = pc.filter(arr, todo).to_pylist()
    new = pa.array([mask_names(t) for t in rows], type=arr.type)
    return pc.replace_with_mask(arr, todo, new)


def _mask_arrow_rules(arr, kinds: tuple[str, ...]):
    """The regular-expression rules on a column."""
    import pyarrow.compute as pc

    gates = _gates()
    rules = [r for r in _rules() if r.kind in kinds]
    by_gate = _runs(rules, lambda r: gates[r.kind])
    candidate = pc.match_substring_regex(
        arr, pattern="|".join(dict.fromkeys(g for g, _ in by_gate))
    )
    candidate = pc.fill_null(candidate, False)
    if not pc.any(candidate).as_py():
        return arr
    sub = pc.filter(arr, candidate)
    gated: dict[str, object] = {}
    for gate, gate_rules in by_gate:
        if gate not in gated:
            gated[gate] = pc.fill_null(pc.match_substring_regex(sub, pattern=gate), False)
        mask = gated[gate]
        if not pc.any(mask).as_py():
            continue
        part = _apply_by_subgate(pc.filter(sub, mask), gate_rules)
        sub = pc.replace_with_mask(sub, mask, part)
    return pc.replace_with_mask(arr, candidate, sub)


def _apply_rule(arr, rule: _Rule):
    """Apply ``rule`` to the rows it matches, then again while it still matches.

    A second pass is needed when a trailing boundary group swallowed the character
    that the next item needed as its leading boundary ("13812345678,13912345678").
    """
    import pyarrow.compute as pc

    todo = pc.fill_null(pc.match_substring_regex(arr, pattern=rule.pattern), False)
    for _ in range(_MAX_PASSES):
        if not pc.any(todo).as_py():
            break
        rows = pc.filter(arr, todo)
        new = pc.replace_substring_regex(rows, pattern=rule.pattern, replacement=rule.repl)
        arr = pc.replace_with_mask(arr, todo, new)
        again = pc.match_substring_regex(new, pattern=rule.pattern)
        todo = pc.replace_with_mask(todo, todo, again)
    return arr


def _as_arrow_strings(series: pd.Series):
    """A pyarrow large_string array holding ``series`` (zero-copy for ``str`` dtype)."""
    import pyarrow as pa

    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        series = series.astype("str")
    arr = pa.array(series.array)
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr
