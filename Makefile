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

.PHONY: run test lint bench install install-dev renderers golden clean

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

lint: $(DEV)
	$(BIN)/ruff check symderiv tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
