# The commands the README shows. `make run` and `make test` work on a fresh machine.
# `make run` installs only what running needs; `make test` adds the dev extra and,
# where it can, the renderers the LaTeX/KaTeX tests use (.ci/install-renderers).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
SUM     := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP   := $(VENV)/.installed-$(SUM)
DEV     := $(VENV)/.installed-dev-$(SUM)
RENDER  := $(VENV)/.renderers-tried

.PHONY: run test test-hostile lint bench install install-dev renderers golden clean fuzz mutate

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-[0-9]*; touch $(STAMP)

$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-dev-*; touch $(DEV)

install: $(STAMP)

install-dev: $(DEV)

# pdflatex, pdftotext and KaTeX for the renderer tests; tried once by `make test`
# (missing ones make those tests skip, with the reason); `make renderers` retries.
$(RENDER): | $(BIN)/python
	@echo "make test: installing the renderers the tests use, where possible (.ci/install-renderers)" >&2
	-.ci/install-renderers
	touch $(RENDER)

renderers:
	rm -f $(RENDER)
	$(MAKE) $(RENDER)

run: $(STAMP)
	$(BIN)/symderiv verify --m 3 --k 2 --n 4

test: $(DEV) $(RENDER)
	$(BIN)/python -m pytest -q

# The hostile suite (tests/hostile) with its slow cases: large generated inputs, budgets passed on
# purpose, signals, random input (docs/limits.md). `make test` runs its fast cases only.
test-hostile: $(DEV)
	SYMDERIV_HOSTILE=all $(BIN)/python -m pytest -q tests/hostile

lint: $(DEV)
	$(BIN)/ruff check symderiv tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The differential fuzzer's large batch (tests/fuzz): resumable (state in .venv/fuzz), progress on stderr.
# `make fuzz FUZZ_COUNT=20000` for a shorter run; FUZZ_REGRESSIONS=--save-regressions keeps what it finds.
FUZZ_COUNT ?= 100000
FUZZ_SEED  ?= 1
FUZZ_REGRESSIONS ?=
fuzz: $(STAMP)
	mkdir -p $(VENV)/fuzz
	$(BIN)/python -m tests.fuzz.run --count $(FUZZ_COUNT) --seed $(FUZZ_SEED) $(FUZZ_REGRESSIONS) \
		--state $(VENV)/fuzz/state-$(FUZZ_SEED)-$(FUZZ_COUNT).json --findings $(VENV)/fuzz/findings-$(FUZZ_SEED).md

# Mutation testing (mutmut): single-point changes to the engine, each run against the fast tests; figures
# and the surviving mutants explained in docs/design.md, "Mutation testing". By default the check decisions
# (compare, jacobian, verify: about 1,150 mutants, 15-35 min on 2 cores depending on load);
# `make mutate MUTANTS=` takes every file configured in pyproject.toml (derive.py, steps.py too).
MUTANTS ?= symderiv.compare* symderiv.jacobian* symderiv.verify*
mutate: $(DEV)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 $(foreach m,$(MUTANTS),"$(m)") || true
	$(BIN)/mutmut results --all true > mutants/results.txt || true
	$(BIN)/python -c "import collections; print(dict(collections.Counter(l.rsplit(': ', 1)[-1].strip() for l in open('mutants/results.txt') if ': ' in l)))"

golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
