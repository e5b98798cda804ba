"""Fonts and theme for commlib charts, nothing else.

Chinese labels must render on a machine with no CJK system font. The font comes from
a package dependency, ``mplfonts``, which ships Noto Sans CJK SC under the SIL Open Font
Licence. :func:`use_chinese_font` registers that one file with matplotlib's font
manager and puts it first in the sans-serif list; it does not run ``mplfonts``' own
set-up, which rewrites the user's matplotlib configuration.

Importing this module has no side effects: nothing is registered until a function is
called. Every commlib chart function calls :func:`use_chinese_font` itself.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

#: Family name of the bundled CJK font, as matplotlib reports it.
CJK_FONT_NAME = "Noto Sans CJK SC"

#: The font file inside the ``mplfonts`` package (OFL-licensed).
_FONT_PACKAGE = "mplfonts"
_FONT_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")

#: Latin fallback kept right after the CJK font.
_FALLBACK = "DejaVu Sans"

#: Colours for "vital few highlighted vs the rest" (colour-blind safe pair).
VITAL_COLOR = "#C0392B"
REST_COLOR = "#A6ACAF"
OTHER_COLOR = "#D5D8DC"
LINE_COLOR = "#1F3A5F"

# None: not tried yet; True: registered; False: font file not found (warned once).
_registered: bool | None = None


def _font_path() -> Path | None:
    """Locate the Noto Sans CJK SC file shipped by ``mplfonts`` without importing it."""
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base).joinpath(*_FONT_FILE)
        if path.is_file():
            return path
    return None


def use_chinese_font() -> bool:
    """Make matplotlib draw Chinese text with the bundled Noto Sans CJK SC font.

    The font file is registered with ``matplotlib.font_manager.fontManager`` once per
    process; every call then (cheaply) puts "Noto Sans CJK SC" first in
    ``font.sans-serif`` with DejaVu Sans as fallback, sets ``font.family`` to
    sans-serif and ``axes.unicode_minus`` to False (the CJK font has no Unicode minus).
    Re-asserting the rcParams on each call keeps Chinese working after a user calls
    ``seaborn.set_theme()``, which resets the font list.

    Returns
    -------
    bool
        True if the CJK font is available, False if the font file was not found (a
        warning naming the package to install is logged once).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_chinese_font()
    True
    >>> mpl.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    """
    global _registered
    import matplotlib as mpl

    if _registered is None:
        path = _font_path()
        if path is None:
            logger.warning(
                "No CJK font found: Chinese labels will show as empty boxes. "
                "Install the 'mplfonts' package (pip install mplfonts), which ships "
                "the OFL-licensed Noto Sans CJK SC font commlib uses."
            )
            _registered = False
        else:
            from matplotlib import font_manager

            font_manager.fontManager.addfont(str(path))
            _registered = True
    if not _registered:
        return False
    rc = mpl.rcParams
    current = [f for f in rc["font.sans-serif"] if f not in (CJK_FONT_NAME, _FALLBACK)]
    wanted = [CJK_FONT_NAME, _FALLBACK, *current]
    if list(rc["font.sans-serif"]) != wanted:
        rc["font.sans-serif"] = wanted
    if list(rc["font.family"]) != ["sans-serif"]:
        rc["font.family"] = ["sans-serif"]
    rc["axes.unicode_minus"] = False
    return True


#: Family name of the embedded subset in a report's stylesheet (not a system font's name,
#: so an installed CJK font always comes first).
EMBEDDED_FONT_FAMILY = "commlib CJK"

#: Blocks whose characters need a CJK font: CJK radicals to Yi (U+2E80-U+A4CF, with
#: CJK punctuation, kana and the unified ideographs), compatibility ideographs and
#: forms (U+F900-U+FAFF, U+FE30-U+FE4F) and full-width forms (U+FF00-U+FFEF).
_CJK_BLOCKS = ((0x2E80, 0xA4CF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _needs_cjk_font(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _CJK_BLOCKS)


def cjk_font_face(text: str) -> str:
    """A CSS ``@font-face`` rule embedding the bundled font for the characters of ``text``.

    A report opened on a machine without any CJK font (many Linux desktops and
    servers, a PDF printed by a headless browser) would show its Chinese text as empty
    boxes: the charts carry their font, the page's text does not. This returns a rule
    for the family :data:`EMBEDDED_FONT_FAMILY` holding only the glyphs ``text`` uses
    (a WOFF subset of Noto Sans CJK SC made with fontTools, which matplotlib already
    installs; about 170 bytes a character, 230 in base64), to be listed after the system CJK fonts so
    that a machine that has one never loads it. Every non-ASCII character of ``text``
    the font has is kept (``·``, ``–``, full-width punctuation), so a line is drawn in
    one font.

    Returns ``""`` when ``text`` has no character that needs a CJK font, or when the
    font file is not installed. The same characters give the same bytes (the font's
    timestamp is kept), so a report is reproducible.

    Examples
    --------
    >>> rule = cjk_font_face("投诉 complaint")
    >>> rule.startswith('@font-face{font-family:"commlib CJK";')
    True
    >>> cjk_font_face("only ASCII text")
    ''
    """
    chars = frozenset(c for c in text if ord(c) > 127)
    if not any(_needs_cjk_font(c) for c in chars):
        return ""
    data = _font_subset(chars)
    if data is None:
        return ""
    import base64

    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face{{font-family:"{EMBEDDED_FONT_FAMILY}";'
        f'src:url(data:font/woff;base64,{encoded}) format("woff");'
        "font-weight:100 900;font-style:normal;font-display:swap}\n"
    )


@functools.lru_cache(maxsize=8)
def _font_subset(chars: frozenset[str]) -> bytes | None:
    """WOFF bytes of the bundled font cut to ``chars`` (None without the font file)."""
    path = _font_path()
    if path is None:
        return None
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(
        layout_features=[],  # no kerning or vertical forms: plain horizontal text
        hinting=False,
        ignore_missing_unicodes=True,
    )
    # layout and vertical tables: not needed for horizontal text, and reading them is
    # half the time
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    font = TTFont(str(path), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    font.flavor = "woff"  # zlib-compressed tables (WOFF2 would need brotli)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def set_theme(lang: str = "zh", *, style: str = "whitegrid", context: str = "notebook") -> None:
    """Apply commlib's chart look: a clean seaborn theme plus the Chinese font.

    Parameters
    ----------
    lang : {"zh", "en"}, default "zh"
        Chart language. The CJK font is set for both, since category names in
        Chinese data are Chinese whatever the label language.
    style : str, default "whitegrid"
        A seaborn style name.
    context : str, default "notebook"
        A seaborn context name ("paper", "notebook", "talk", "poster").

    Examples
    --------
    >>> set_theme()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.unicode_minus"]
    False
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}.")
    import seaborn as sns

    sns.set_theme(style=style, context=context, rc={"axes.spines.top": False})
    use_chinese_font()


def vital_palette(vital, *, is_other=None) -> list[str]:
    """Return one bar colour per row: highlighted for the vital few, muted otherwise.

    Parameters
    ----------
    vital : sequence of bool
        True for the rows to highlight.
    is_other : sequence of bool, optional
        True for a merged "Other" row, drawn lighter than the rest.

    Returns
    -------
    list of str
        Hex colours, one per row.

    Examples
    --------
    >>> vital_palette([True, False], is_other=[False, True])
    ['#C0392B', '#D5D8DC']
    """
    vital = list(vital)
    other = [False] * len(vital) if is_other is None else list(is_other)
    return [
        OTHER_COLOR if o else (VITAL_COLOR if v else REST_COLOR)
        for v, o in zip(vital, other, strict=True)
    ]
