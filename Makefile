# The commands the README shows. `make run` and `make test` work on a fresh machine.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench install golden clean mutate

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/symderiv verify --m 3 --k 2 --n 4

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check symderiv tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Mutation testing (mutmut): single-point changes to the engine, each run against the fast tests; figures
# and the surviving mutants explained in docs/design.md, "Mutation testing". By default the check decisions
# (compare, jacobian, verify: about 1,150 mutants, 15-35 min on 2 cores depending on load);
# `make mutate MUTANTS=` takes every file configured in pyproject.toml (derive.py, steps.py too).
MUTANTS ?= symderiv.compare* symderiv.jacobian* symderiv.verify*
mutate: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 $(foreach m,$(MUTANTS),"$(m)") || true
	$(BIN)/mutmut results --all true > mutants/results.txt || true
	$(BIN)/python -c "import collections; print(dict(collections.Counter(l.rsplit(': ', 1)[-1].strip() for l in open('mutants/results.txt') if ': ' in l)))"

golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
