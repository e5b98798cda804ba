"""Shared pieces of commlib.io: the logger and the error helper."""

from __future__ import annotations

import logging

from commlib.errors import InputFileError

logger = logging.getLogger("commlib.io")


def input_error(key: str, **params) -> InputFileError:
    """An :class:`InputFileError` whose words come from the catalogue entry ``key``."""
    return InputFileError(key=key, params=params)
