# Two commands on a fresh machine: `make serve` and `make test`. Everything else is a step of those.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: install build validate stats serve test bench goldens clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)            ## create the venv and install aigov with its test dependencies

build: install               ## parse, validate, reason, write instance/ (skipped when nothing changed)
	$(BIN)/aigov build

validate: install            ## parse and SHACL-validate the sources, print every result
	$(BIN)/aigov validate

stats: build                 ## counts per class and per jurisdiction
	$(BIN)/aigov stats

serve: build                 ## serve the SPARQL endpoint and linked-data pages on 127.0.0.1:8000
	$(BIN)/aigov serve

test: build                  ## the whole suite against the real build
	$(BIN)/python -m pytest

bench: build                 ## benchmark against oxigraph serve and rdflib-endpoint, then a 60 s soak; writes bench/RESULTS.md and bench/SOAK.md (minutes)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.soak

goldens: build               ## rewrite tests/golden/*.srj from the build for review: `git diff tests/golden`, then tests/golden/REVIEW.md
	$(BIN)/python -m tests.goldens

clean:
	rm -rf instance .pytest_cache
