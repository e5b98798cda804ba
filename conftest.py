"""Settings for every test run from the repository root: unit tests and doctests alike.

The doctests in ``commlib/`` draw charts too; without this they would leave figures open
(matplotlib warns past 20) and pick an interactive backend on a desktop.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test or doctest opened."""
    yield
    plt.close("all")
