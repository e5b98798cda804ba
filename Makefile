# commlib: every set-up step lives here, so a fresh machine with only Python and pip
# needs nothing else.  `make report` = the main job, `make test` = all tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.commlib-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
REALDATA ?= ../shared/realdata
export PYTHONHASHSEED := 0
# No MPLBACKEND here: a notebook kernel would inherit it and draw no charts. The tests
# (tests/conftest.py) and the command line pick the non-interactive backend themselves.

.PHONY: all env report notebooks test test-fast check-real lab bench strip clean-env

all: report

# The environment: created when missing, refreshed when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

env: $(STAMP)

## Main job: the statistics report for the bundled sample, and every notebook executed
## and rendered to HTML, all into reports/
report: $(STAMP)
	mkdir -p reports
	$(BIN)/commlib report data/sample/tickets.csv --columns 12345 --output reports/ --xlsx
	$(MAKE) notebooks
	$(BIN)/commlib scan reports/

## Every notebook executed once (reports/executed/), then rendered twice from that run:
## the trainer's copy with code and solutions (reports/NN-name.html) and the trainee's copy
## with code hidden and the cells tagged `solution` removed (reports/trainee/NN-name.html),
## plus trainee notebooks to work in (reports/trainee/NN-name.ipynb: no outputs, no solutions).
## No MPLBACKEND: the kernel uses the inline backend, so the charts are in the HTML.
TRAINEE := --TagRemovePreprocessor.enabled=True --TagRemovePreprocessor.remove_cell_tags='["solution"]'
notebooks: $(STAMP)
	mkdir -p reports/executed reports/trainee
	$(BIN)/jupyter nbconvert --execute --to notebook --output-dir reports/executed \
		--ExecutePreprocessor.timeout=600 $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to html --output-dir reports reports/executed/*.ipynb
	$(BIN)/jupyter nbconvert --to html --no-input $(TRAINEE) --output-dir reports/trainee \
		reports/executed/*.ipynb
	$(BIN)/jupyter nbconvert --to notebook --ClearOutputPreprocessor.enabled=True $(TRAINEE) \
		--output-dir reports/trainee $(NOTEBOOKS)

## All tests: lint, layer contracts, unit tests, doctests, every notebook through nbval
## (two workers, one notebook each at a time: 2.2 min instead of 4 serially), with the
## checks of what a trainer sees on nbval's own run of each notebook (notebooks/conftest.py)
test: $(STAMP)
	$(BIN)/ruff check commlib tests benchmarks checks notebooks/conftest.py
	$(BIN)/ruff format --check commlib tests benchmarks checks notebooks/conftest.py
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadfile tests commlib --doctest-modules
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -n 2 --dist loadfile notebooks

## The edit-test loop: unit tests and doctests not marked slow, no notebooks
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow" -q tests commlib --doctest-modules

## The real public exports beside the project (../shared/realdata): reports in zh and en
## for every file, with the sections each must build. Skips with a line when absent.
## Two workers, one test file each (3.7 min instead of 5.7-6.3 serially on two cores).
check-real: $(STAMP)
	@if [ -d "$(REALDATA)" ]; then \
		COMMLIB_REALDATA="$(REALDATA)" $(BIN)/python -m pytest -n 2 --dist loadfile -q checks; \
	else \
		echo "check-real: $(REALDATA) not found; real-data checks skipped"; \
	fi

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

## Before committing a notebook: outputs and execution counts removed (house style)
strip: $(STAMP)
	$(BIN)/jupyter nbconvert --clear-output --inplace $(NOTEBOOKS)

clean-env:
	rm -rf $(VENV)
