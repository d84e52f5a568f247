# Two commands on a fresh machine: `make serve` and `make test`. Everything else is a step of those.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: install build validate stats serve test bench goldens mutate clean

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

bench: build                 ## benchmark against oxigraph serve and rdflib-endpoint, the 1M-triple scale run, a 60 s soak with hostile clients; writes bench/RESULTS.md (about 15 minutes)
	$(BIN)/python -m bench

goldens: build               ## rewrite tests/golden/*.srj from the build for review: `git diff tests/golden`, then tests/golden/REVIEW.md
	$(BIN)/python -m tests.goldens

mutate: install              ## mutation testing ([tool.mutmut] in pyproject.toml) of the SERVICE policy; minutes, not part of `make test`
	$(BIN)/pip install --quiet 'mutmut==3.8.1'
	rm -rf .mutate && mkdir .mutate
	ln -s ../server .mutate/src && ln -s ../tests .mutate/tests && ln -s ../pyproject.toml .mutate/pyproject.toml
	cd .mutate && ../$(BIN)/mutmut run --max-children 2; ../$(BIN)/mutmut results

clean:
	rm -rf instance .pytest_cache .mutate
