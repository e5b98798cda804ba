"""The executed-notebook tests of ``test_notebooks.py`` on the other half of the notebooks.

A second file only so that ``pytest -n 2 --dist loadfile`` executes the two halves on two
workers (each file executes its notebooks once per process); the tests are the same
functions.
"""

from __future__ import annotations

import pytest
import test_notebooks as base

OTHER = [n for n in base.NAMES if n not in base.HALF]


def test_the_two_files_execute_every_notebook_once():
    assert sorted(base.HALF + OTHER) == sorted(base.NAMES)
    assert not set(base.HALF) & set(OTHER)


@pytest.mark.slow
@pytest.mark.parametrize("name", OTHER)
def test_notebook_shows_its_charts(name):
    base.test_notebook_shows_its_charts(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", OTHER)
def test_nothing_a_notebook_shows_carries_personal_data(name):
    base.test_nothing_a_notebook_shows_carries_personal_data(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in base.TRAINEE if n in OTHER])
def test_trainee_copy_hides_code_and_solutions(name):
    base.test_trainee_copy_hides_code_and_solutions(name)
