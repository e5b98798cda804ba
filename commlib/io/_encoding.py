"""Text encodings: cheap checks first, then a well-kept detector for the hard cases.

UTF-8 (with or without BOM) and UTF-16 (by its BOM, or by the zero bytes of ASCII
text without one) are recognised by trial decoding. A file that is not UTF-8 is
tried as GB18030 (which also covers GBK and GB2312), Big5 and Windows-1252; when
more than one of them decodes it, which happens often because GB18030 accepts most
byte pairs, :mod:`charset_normalizer` chooses by how coherent the decoded text is. So
a Big5 file from Taiwan or Hong Kong is not read as GB18030 garbage.
"""

from __future__ import annotations

import codecs

from commlib.io._common import input_error, logger
from commlib.io._sources import _Source

#: Encodings tried, in this order, on text files when ``encoding=None``.
#: GB18030 is a superset of GBK and GB2312, so it also reads those. After UTF-8, the
#: legacy encodings that decode the file are compared by :mod:`charset_normalizer`.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252")

_LEGACY = ("gb18030", "big5", "cp1252")
_DETECT_BYTES = 256 * 1024  # what the detector looks at: enough text, still fast


def _undecodable(src: _Source, failures: dict[str, UnicodeDecodeError], tried=None):
    details = []
    for enc, err in failures.items():
        bad = err.object[err.start : err.start + 1]
        line = err.object.count(b"\n", 0, err.start) + 1
        details.append(f"{enc}: byte 0x{bad.hex()} on line {line}")
    return input_error(
        "io.undecodable",
        name=src.name,
        tried=", ".join(tried or failures),
        details="; ".join(details),
    )


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: its ASCII characters (digits, commas, line breaks) put
    a zero byte on one side of each pair, and 8-bit encodings never hold zero bytes."""
    sample = head[:8192]
    zeros_odd, zeros_even = sample[1::2].count(0), sample[0::2].count(0)
    if zeros_odd + zeros_even < max(4, len(sample) // 100):
        return None
    if zeros_odd >= 9 * zeros_even:
        return "utf-16-le"
    if zeros_even >= 9 * zeros_odd:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str, final: bool) -> UnicodeDecodeError | None:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError as err:
        return err
    return None


def _sample(data: bytes, complete: bool) -> tuple[bytes, bool]:
    """The start of ``data`` for detection, cut at a line break so no character is split."""
    if len(data) <= _DETECT_BYTES:
        return data, complete
    cut = data.rfind(b"\n", 0, _DETECT_BYTES)
    return data[: cut + 1 if cut > 0 else _DETECT_BYTES], True


def _legacy_encoding(
    src: _Source, data: bytes, complete: bool, failures: dict[str, UnicodeDecodeError]
) -> str:
    """The legacy encoding of non-UTF-8 ``data``: trial decoding, then charset-normalizer."""
    sample, final = _sample(data, complete)
    fits = []
    for enc in _LEGACY:
        err = _decodes(sample, enc, final)
        if err is None:
            fits.append(enc)
        else:
            failures[enc] = err
    if not fits:
        raise _undecodable(src, failures, tried=ENCODINGS)
    if len(fits) > 1 and "cp1252" in fits:
        from charset_normalizer import from_bytes

        best = from_bytes(sample, cp_isolation=fits).best()
        if best is not None and codecs.lookup(best.encoding).name == "cp1252":
            logger.info("%s: the text reads as cp1252 (Windows Western)", src.name)
            return "cp1252"
        fits = [enc for enc in fits if enc != "cp1252"] or fits
    if len(fits) == 1:
        return fits[0]
    # GB18030 and Big5 both decode it: the right reading is made of common characters.
    scores = {enc: _common_share(sample.decode(enc, errors="replace")) for enc in fits}
    chosen = max(fits, key=lambda enc: scores[enc])  # a tie keeps GB18030, the first
    logger.info(
        "%s: %s all decode it; common-character shares %s; using %s", src.name, fits, scores, chosen
    )
    return chosen


def _common_share(text: str, limit: int = 20000) -> float:
    """Share of the CJK characters in ``text`` that are common in GB2312 or Big5.

    Common: GB2312's level-1 characters (the 3,755 most used simplified ones, lead
    byte 0xB0-0xD7) or Big5's 5,401 frequently used traditional ones (0xA440-0xC67E).
    Text decoded with the wrong one of the two codecs is mostly rare characters.
    """
    cjk = [ch for ch in text[: limit * 4] if "\u4e00" <= ch <= "\u9fff"][:limit]
    if not cjk:
        return 0.0
    common = 0
    for ch in cjk:
        try:
            gb = ch.encode("gb2312")
            if 0xB0 <= gb[0] <= 0xD7:
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            big5 = ch.encode("big5")
            if 0xA440 <= int.from_bytes(big5, "big") <= 0xC67E:
                common += 1
        except UnicodeEncodeError:
            pass
    return round(common / len(cjk), 3)


def _detect_encoding(src: _Source) -> tuple[str, bool]:
    """Pick the encoding of the file's head; return (encoding, head is non-ASCII UTF-8)."""
    head = src.head
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    if head.startswith(codecs.BOM_UTF8):
        err = _decodes(head, "utf-8-sig", src.complete)
        if err is None:
            return "utf-8-sig", True
        raise _undecodable(src, {"utf-8-sig": err})
    utf16 = _utf16_without_bom(head)
    if utf16 is not None and _decodes(head[: len(head) // 2 * 2], utf16, False) is None:
        return utf16, True
    err = _decodes(head, "utf-8", src.complete)
    if err is None:
        return "utf-8", not head.isascii()
    return _legacy_encoding(src, head, src.complete, {"utf-8": err}), False


def _check_decodes(src: _Source, encoding: str) -> None:
    """Raise if the head of the file is not valid in a user-given encoding."""
    err = _decodes(src.head, encoding, src.complete)
    if err is not None:
        raise input_error(
            "io.bad_encoding",
            name=src.name,
            encoding=encoding,
            byte=src.head[err.start : err.start + 1].hex(),
            line=src.head.count(b"\n", 0, err.start) + 1,
        ) from err


def _recover_from_late_decode_error(src: _Source, encoding: str, utf8_evidence: bool) -> str:
    """A part beyond the sniffed head failed to decode: find a better encoding or explain."""
    data = src.all_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        if encoding.startswith("utf-8") and utf8_evidence:
            raise input_error(
                "io.mixed_encodings", name=src.name, line=line, byte=bad, offset=err.start
            ) from err
        if not encoding.startswith("utf-8") or encoding == "utf-8-sig":
            raise _undecodable(src, {encoding: err}) from err
        # An ASCII start and a legacy encoding later: detect on the part that is not ASCII.
        start = data.rfind(b"\n", 0, err.start) + 1
        chosen = _legacy_encoding(src, data[start:], True, {"utf-8": err})
        failure = _decodes(data, chosen, True)
        if failure is not None:
            raise _undecodable(src, {"utf-8": err, chosen: failure}, tried=ENCODINGS) from err
        logger.info(
            "%s: not UTF-8 after the first %d bytes; using %s", src.name, len(src.head), chosen
        )
        return chosen
    return encoding
