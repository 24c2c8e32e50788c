# Two commands: `make run` starts the service on its embedded defaults; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test deps system-deps lint bench eval clean migration-reset package-check lock

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

deps: $(STAMP)

# Real servers the tests start themselves: Dovecot (IMAP) and Chromium (dashboard tests); Pango for
# WeasyPrint (the board report as PDF). PostgreSQL is expected on 127.0.0.1:5432 (trust auth, database `test`).
system-deps:
	@missing=""; \
	command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(BIN)/signpost run

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check bot handlers store tests bench
	$(BIN)/mypy -p bot -p handlers -p store
	.ci/deploy-lint

# Build the wheel, install it with requirements.lock into a fresh venv outside the checkout and
# acknowledge a message from there (.ci/wheel-smoke prints the numbers).
package-check: $(STAMP)
	.ci/wheel-smoke

# The container's hash-locked dependencies, from pyproject.toml (uv resolves, pip installs).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --no-header \
	  -o requirements.lock

bench: $(STAMP)
	$(BIN)/python bench/replay_bench.py
	$(BIN)/python bench/triage_bench.py
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/retention_bench.py

eval: $(STAMP)
	$(BIN)/signpost eval ../shared/corpus/dev

clean:
	rm -rf $(VENV) build dist *.egg-info

# Regenerate the initial migration from store/models.py (pre-release: one migration only).
migration-reset: $(STAMP)
	rm -f store/migrations/versions/0001_initial.py /tmp/signpost-migration.db
	$(BIN)/python -c "from alembic import command; from store.db import make_engine, alembic_config; \
	e = make_engine('sqlite:////tmp/signpost-migration.db'); c = alembic_config(e); \
	command.revision(c, message='initial schema', autogenerate=True, rev_id='0001')"
	mv store/migrations/versions/0001_initial_schema.py store/migrations/versions/0001_initial.py
	rm -f /tmp/signpost-migration.db
