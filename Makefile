# sciweek — two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SW := $(BIN)/sciweek
PG_URL ?= postgres://postgres@127.0.0.1:5432/sciweek
HOST ?= 127.0.0.1:8000

.PHONY: install run test test-sqlite test-postgres scaleout-test lint format bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	SCIWEEK_DEMO=1 SCIWEEK_INSECURE_HTTP=1 $(SW) migrate --noinput -v0
	SCIWEEK_DEMO=1 SCIWEEK_INSECURE_HTTP=1 $(SW) load_demo --url http://$(HOST)
	SCIWEEK_DEMO=1 SCIWEEK_INSECURE_HTTP=1 $(SW) collectstatic --noinput -v0
	@echo "sciweek 运行于 http://$(HOST)/  （用上面打印的演示账号登录：http://$(HOST)/accounts/login/）"
	SCIWEEK_DEMO=1 SCIWEEK_INSECURE_HTTP=1 $(SW) runserver $(HOST)

# Both databases, browser tests included. Concurrency tests marked postgres_only run in the second pass.
test: install test-sqlite test-postgres

test-sqlite: install
	SCIWEEK_TESTING=1 $(BIN)/pytest -n 2 -m "not postgres_only" $(PYTEST_ARGS)

test-postgres: install
	SCIWEEK_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Two gunicorn instances, a Celery worker and beat on PostgreSQL + Redis (also part of test-postgres).
scaleout-test: install
	SCIWEEK_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:xdist -m scaleout tests/test_scaleout.py

lint: install
	$(BIN)/ruff check sciweek bench tools tests
	$(BIN)/ruff format --check sciweek bench tools tests
	$(BIN)/lint-imports
	$(BIN)/python tools/mypy_check.py

format: install
	$(BIN)/ruff format sciweek bench tools tests
	$(BIN)/ruff check --fix sciweek bench tools tests

bench: install
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
