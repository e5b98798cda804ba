"""Where the bytes come from, and which format they are in."""

from __future__ import annotations

import codecs
import io
import os
from dataclasses import dataclass
from pathlib import Path

from commlib.io._common import input_error, logger

#: Formats ``read_tickets`` understands, with the file extensions that select them.
#: ``"text"`` is a delimited file whose separator (comma, tab, semicolon or bar) is
#: sniffed from its header line.
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "tsv": (".tsv", ".tab"),
    "text": (".txt", ".dat"),
    "xlsx": (".xlsx", ".xlsm"),
    "xls": (".xls",),
    "parquet": (".parquet", ".pq"),
    "jsonl": (".jsonl", ".ndjson"),
    "json": (".json",),
}

_EXTENSION_FORMAT = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}
_FORMAT_ALIASES = {"txt": "text", "tab": "tsv", "ndjson": "jsonl", "xlsm": "xlsx", "pq": "parquet"}
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip", ".7z", ".rar")

#: Bytes read from the start of a file to sniff its format and encoding.
_HEAD_BYTES = 4 * 1024 * 1024


@dataclass
class _Source:
    """Where the bytes come from: a path (read lazily) or bytes already in memory."""

    name: str
    path: Path | None
    data: bytes | None
    head: bytes
    size: int
    encoding: str | None = None  # set when a text stream was given (already decoded)

    @property
    def complete(self) -> bool:
        """True if ``head`` holds the whole file."""
        return self.size <= len(self.head)

    @property
    def extension(self) -> str:
        return self.path.suffix.lower() if self.path is not None else ""

    def all_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        return self.path.read_bytes()

    def binary(self):
        """Something pandas, openpyxl and pyarrow can open."""
        return str(self.path) if self.path is not None else io.BytesIO(self.data)


def _open_source(source, head_bytes: int | None = None) -> _Source:
    head_bytes = head_bytes or _HEAD_BYTES
    if isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        try:
            with open(path, "rb") as fh:
                head = fh.read(head_bytes)
                size = os.fstat(fh.fileno()).st_size
        except FileNotFoundError as err:
            raise input_error(
                "io.not_found", path=str(path), absolute=str(path.absolute())
            ) from err
        except IsADirectoryError as err:
            raise input_error("io.is_folder", path=str(path)) from err
        except OSError as err:
            raise input_error(
                "io.cannot_open", path=str(path), reason=str(err.strerror or err)
            ) from err
        return _Source(name=path.name, path=path, data=None, head=head, size=size)

    if hasattr(source, "read"):
        content = source.read()
        name = getattr(source, "name", None)
        name = Path(name).name if isinstance(name, (str, os.PathLike)) else "<stream>"
        encoding = None
        if isinstance(content, str):
            content, encoding = content.encode("utf-8"), "utf-8"
        elif not isinstance(content, (bytes, bytearray, memoryview)):
            raise TypeError(f"source.read() returned {type(content).__name__}, not bytes or str")
        content = bytes(content)
        return _Source(
            name=name,
            path=None,
            data=content,
            head=content[:head_bytes],
            size=len(content),
            encoding=encoding,
        )
    raise TypeError(
        f"source must be a path or an open file, not {type(source).__name__}. "
        "To read a DataFrame you already have, you do not need read_tickets."
    )


def _check_encoding_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as err:
        raise ValueError(
            f"unknown encoding {encoding!r}; use e.g. 'utf-8', 'gb18030', 'big5' or 'utf-16'."
        ) from err


def _supported_formats_text() -> str:
    return "; ".join(f"{fmt} ({', '.join(exts)})" for fmt, exts in FORMATS.items())


def _magic(head: bytes) -> str | None:
    """Format of a binary file from its first bytes, or None for text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    return None


def _sniff_text_format(src: _Source) -> str:
    """json, jsonl or text (delimited) from the first non-blank characters."""
    start = src.head.lstrip(codecs.BOM_UTF8).lstrip()[:512]
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") else "json"
    if start[:1] == b"<":
        lowered = start[:200].lower()
        if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
            raise input_error("io.html_page", name=src.name)
    return "text"


def _decide_format(src: _Source, fmt: str | None) -> str:
    if src.size == 0:
        raise input_error("io.empty_bytes", name=src.name)
    if fmt is not None:
        key = _FORMAT_ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
        if key not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
        return key

    magic = _magic(src.head)
    ext = src.extension
    if src.path is None or ext == "":
        return magic or _sniff_text_format(src)
    if ext not in _EXTENSION_FORMAT:
        key = "io.archive" if ext in _COMPRESSED else "io.unknown_extension"
        raise input_error(key, name=src.name, ext=repr(ext), formats=_supported_formats_text())
    by_ext = _EXTENSION_FORMAT[ext]
    if magic is not None:
        if magic != by_ext:
            logger.warning("%s has extension %s but its content is %s", src.name, ext, magic)
        return magic
    if by_ext in ("xlsx", "xls", "parquet"):
        sniffed = _sniff_text_format(src)
        logger.warning(
            "%s has extension %s but is a text file; reading it as %s", src.name, ext, sniffed
        )
        return sniffed
    if by_ext == "text":
        return _sniff_text_format(src)
    return by_ext
