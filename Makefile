# graphmap: the two commands are `make run` and `make test` (README.md).
# Everything they need is installed from the project's own files: Python
# packages (pip), Neo4j's jars (Maven), the frontend and GraphiQL (npm).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.graphmap-installed
NPM_STAMP := frontend/node_modules/.graphmap-installed

.PHONY: install run test test-unit test-integration bench schema lint neo4j frontend clean

install: $(STAMP) $(NPM_STAMP) neo4j frontend

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

neo4j: $(STAMP)
	$(BIN)/python -c "from graphmap.neo4j_local import ensure_built; ensure_built(quiet=False)"

frontend: $(NPM_STAMP)
	cd frontend && npm run --silent build:graphiql
	cd frontend && if npm run | grep -q '^  build$$'; then npm run --silent build; fi

run: install
	$(BIN)/graphmap serve --demo --reference

test: install
	$(BIN)/python -m pytest

test-unit: install
	$(BIN)/python -m pytest tests/unit

bench: install
	$(BIN)/python -m bench

schema: $(STAMP)
	$(BIN)/graphmap schema -o schema.graphql

lint: $(STAMP)
	$(BIN)/ruff check graphmap tests
	$(BIN)/mypy graphmap

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist neo4j-embedded/target
