"""Clean complaint tickets: one call for the whole job, one verb per step.

:func:`clean_tickets` takes a ticket table with canonical columns (as
:func:`commlib.read_tickets` returns it) and hands back a :class:`CleanResult`: the
clean tickets, the rows set aside with the facts of why (a reason code, the column,
the value, the row) and those facts in words, and a log that accounts for every row.
Each step is also a public function that takes a DataFrame first and returns a new
one, so it chains with ``DataFrame.pipe``:

>>> import pandas as pd
>>> raw = pd.DataFrame({"text": ["市民来电反映：楼下噪音　很大。"], "category": ["噪声扰民"]})
>>> out = raw.pipe(normalize_text).pipe(strip_boilerplate).pipe(map_categories)
>>> out.loc[0, ["text", "boilerplate", "category"]].tolist()
['楼下噪音 很大。', '市民来电反映', '噪音扰民']

Order of the steps in :func:`clean_tickets`, and why:

1. ``source_row``: the row number in the user's file, kept on every output row.
2. ``normalize_text``: NFKC, Excel ``_x000D_``, HTML entities, control characters,
   whitespace. Everything after it compares normalised values.
3. ``mask``: phone numbers, IDs, names ... in ``title``, ``text`` and ``reply`` are
   replaced by placeholders (:func:`commlib.privacy.mask_pii`). It runs *before*
   anything is set aside or copied, so rejected rows, ``text_original`` and
   ``boilerplate`` are masked too and the (costly) masking runs once per text.
   ``mask_caller_id``: each row's own ``caller_id`` quoted in ``title``, ``text`` or
   ``reply`` (a reply naming the poster's user id) becomes ``[用户编号]``.
   ``mask_cells``: cells of every other string column (``category``, ``address``,
   ``community`` ...) that a cheap prefilter flags (digits, ``@``, a title or trigger
   word) go through ``mask_pii``. Identity columns are left for step 13.
4. ``parse_dates``: rows whose ``created_at`` is missing, unreadable or outside the
   plausible window (default 2000-01-01 to one year after today), or whose
   ``closed_at`` is filled but unreadable or outside it, are rejected with a reason.
5. ``reject_empty_text``: rows with neither text nor title are rejected.
6. ``strip_boilerplate``: hotline formulas move from ``text`` to ``boilerplate``.
7. ``map_categories``: synonym spellings of a category become one label.
8. ``normalize_community``: "锦岚苑居委" and "锦岚苑" become one compound.
9. ``add_address_key``: a key under which differently written addresses match.
10. ``hash_caller_id``: ``caller_id`` replaced by a salted hash
    (:func:`commlib.privacy.hash_identifier`), on clean and rejected rows.
11. ``drop_duplicate_tickets``: exact duplicate rows are removed (whole-table step).
12. ``mark_repeat_calls``: likely repeat calls get ``repeat_of`` (whole-table step).
13. ``identity_columns``: columns naming a person (names, phones, ID numbers, e-mail;
    found by header or content, :func:`find_identity_columns`, chosen once on the whole
    table before any step) are hashed with the caller salt or dropped
    (``pii_columns="hash"`` or ``"drop"``), on clean and rejected rows.

Steps 1-9 look at one row at a time, so they run partition by partition (in threads
for large tables); steps 10-13 run once on the whole table (10 and 13 because, with
no salt given, the hash salt is drawn once per process; 13 after 11 and 12, which
compare the columns as given).

The package's private modules, one job each: ``_text`` (normalisation, boilerplate,
category synonyms), ``_dates``, ``_address`` (compound names, address keys),
``_repeats`` (duplicates, repeat calls), ``_columns`` (the column policy),
``_pipeline`` (:func:`clean_tickets` and its step recorder), ``_words`` (facts to
words in zh or en), ``_arrow`` (shared helpers), ``_parts`` (the per-partition steps
and the whole-table steps on key columns, shared with :mod:`commlib.dask`),
``_pieces`` (:func:`clean_tickets` in pieces, in this process: ``commlib report``).
"""

from __future__ import annotations

from commlib.clean._address import (
    ADDRESS_DESCRIPTORS,
    COMMUNITY_SUFFIXES,
    add_address_key,
    address_key,
    normalize_community,
)
from commlib.clean._columns import find_identity_columns
from commlib.clean._dates import DATE_RANGE, DateParseError, parse_dates
from commlib.clean._pipeline import CleanResult, clean_tickets
from commlib.clean._repeats import drop_duplicate_tickets, mark_repeat_calls
from commlib.clean._text import (
    DATE_COLUMNS,
    MASK_COLUMNS,
    map_categories,
    normalize_text,
    strip_boilerplate,
)
from commlib.clean._words import describe_log, describe_rejections

__all__ = [
    "ADDRESS_DESCRIPTORS",
    "COMMUNITY_SUFFIXES",
    "CleanResult",
    "DATE_COLUMNS",
    "DATE_RANGE",
    "DateParseError",
    "MASK_COLUMNS",
    "add_address_key",
    "address_key",
    "clean_tickets",
    "describe_log",
    "describe_rejections",
    "drop_duplicate_tickets",
    "find_identity_columns",
    "map_categories",
    "mark_repeat_calls",
    "normalize_community",
    "normalize_text",
    "parse_dates",
    "strip_boilerplate",
]
