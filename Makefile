# The commands the README shows. `make run` and `make test` work on a fresh machine.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench install golden clean fuzz

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

# The differential fuzzer's large batch (tests/fuzz): resumable (state in .venv/fuzz), progress on stderr.
# `make fuzz FUZZ_COUNT=20000` for a shorter run; FUZZ_REGRESSIONS=--save-regressions keeps what it finds.
FUZZ_COUNT ?= 100000
FUZZ_SEED  ?= 1
FUZZ_REGRESSIONS ?=
fuzz: $(STAMP)
	mkdir -p $(VENV)/fuzz
	$(BIN)/python -m tests.fuzz.run --count $(FUZZ_COUNT) --seed $(FUZZ_SEED) $(FUZZ_REGRESSIONS) \
		--state $(VENV)/fuzz/state-$(FUZZ_SEED)-$(FUZZ_COUNT).json --findings $(VENV)/fuzz/findings-$(FUZZ_SEED).md

golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
