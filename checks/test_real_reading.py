"""Reading the real public exports: each gets the preset and the columns it should.

Run by `make check-real` (never by `make test`); skipped when the folder is absent.
"""

import pandas as pd
import pytest

import commlib as cl
from commlib.schema import OPTIONAL_COLUMNS


def _named(df):
    return [c for c in df.columns if c in cl.CANONICAL_COLUMNS or c in OPTIONAL_COLUMNS]


def test_real_nyc_311_api_export(realdata):
    df = cl.read_tickets(realdata / "nyc311_2026_sample" / "nyc311_sample.csv")
    assert df.attrs["preset"] == "311"
    assert _named(df) == [
        "ticket_id", "created_at", "closed_at", "category", "subcategory", "text",
        "community", "department", "latitude", "longitude",
    ]  # fmt: skip
    assert set(df["community"].dropna()) <= {
        "BROOKLYN", "QUEENS", "MANHATTAN", "BRONX", "STATEN ISLAND", "Unspecified",
    }  # fmt: skip


@pytest.mark.slow
def test_real_message_boards(realdata):
    folder = realdata / "tipdm2020_messages"
    hot = cl.read_tickets(folder / "messages_hot_issues.xlsx")
    replies = cl.read_tickets(folder / "messages_with_replies.xlsx")
    assert hot.attrs["preset"] == replies.attrs["preset"] == "board"
    assert _named(hot) == [
        "ticket_id", "created_at", "title", "text", "caller_id", "likes", "dislikes",
    ]  # fmt: skip
    assert _named(replies) == [
        "ticket_id", "created_at", "closed_at", "title", "text", "caller_id", "reply",
    ]  # fmt: skip


def test_real_boston_files_concatenate(realdata):
    files = sorted((realdata / "boston311_2015").glob("*.csv"))[:5]
    frames = [cl.read_tickets(f) for f in files]
    assert {f.attrs["preset"] for f in frames} == {"boston"}
    assert len({tuple(f.columns) for f in frames}) == 1  # same columns: they concatenate
    df = pd.concat(frames, ignore_index=True)
    assert _named(df) == [
        "ticket_id", "created_at", "closed_at", "channel", "category", "title", "address",
        "community", "department", "status", "reply", "due_at", "on_time", "latitude",
        "longitude",
    ]  # fmt: skip
    assert df["category"].nunique() == len(files)  # one request TYPE per file
