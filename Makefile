# Quick start: `make run` (set up, then classify the example statements) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test test-fast check lint format train evaluate bench bench-quick serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# The package's bytecode, compiled once: where PYTHONDONTWRITEBYTECODE is set (as on
	@# these machines) every command would otherwise compile it from source again.
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	@mkdir -p out
	$(BIN)/briefing-nlp draft examples/care-leavers/notes.txt -o out/briefing.docx
	$(BIN)/briefing-nlp draft examples/care-leavers/notes.txt --evidence -o out/briefing.html
	$(BIN)/briefing-nlp draft examples/care-leavers/notes.txt -o out/briefing.md
	@cat out/briefing.md
	@echo "Also written: out/briefing.docx, out/briefing.html (with evidence), out/briefing.md"

test: setup
	$(BIN)/pytest

# The quick loop: everything but training, durability, browser and other slow tests,
# on both cores (pytest-xdist); `make test` and CI run everything, one test at a time.
test-fast: setup
	$(BIN)/pytest -m "not slow" -n 2

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

check: lint test

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

train: setup
	$(BIN)/briefing-nlp train

evaluate: setup
	$(BIN)/briefing-nlp evaluate

bench: setup
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/scale.py

bench-quick: setup
	$(BIN)/python benchmarks/scale.py --quick

serve: setup
	$(BIN)/briefing-nlp serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
