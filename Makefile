# The two commands: `make run` (demo app on SQLite at http://127.0.0.1:8000) and `make test`
# (the whole suite on PostgreSQL). Both set up the virtual environment first; both are re-runnable.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aftersales
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The sandbox marketplace's port for `make run` and `make sandbox`; under `make run` it plays the
# platforms and their buyers by itself every SANDBOX_AUTOPLAY seconds (new paid orders, orders moved
# along, now and then a buyer asking to cancel; 0 = only what you do on its play pages).
SANDBOX_PORT ?= 8765
SANDBOX_AUTOPLAY ?= 30

.PHONY: run test lint format install install-dev chromium image-check sandbox

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.lock
	$(BIN)/pip install -q -r requirements.lock
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The sandbox marketplace and the channel sync loop run beside the server (tasks run in-process, no
# Redis): the demo stores are connected to the sandbox, their orders arrive on their own (its webhooks
# at once, the pull every minute), and what the seller does reaches the sandbox. Ctrl-C stops all three.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@export SANDBOX_URL=http://127.0.0.1:$(SANDBOX_PORT); \
	$(BIN)/python -m sandbox --port $(SANDBOX_PORT) --autoplay $(SANDBOX_AUTOPLAY) & pids=$$!; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py connect_sandbox --wait 15 || exit 1; \
	$(BIN)/python manage.py sync_channels & pids="$$pids $$!"; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000 & pids="$$pids $$!"; \
	wait $$!

# The sandbox marketplace alone (TikTok Shop, Shopee, Lazada): its own process and in-memory state;
# see sandbox/__init__.py and its play pages /_play/tiktok, /_play/shopee, /_play/lazada.
sandbox: install
	$(BIN)/python -m sandbox --port $(SANDBOX_PORT)

test: install-dev chromium image-check
	DATABASE_URL=$(DATABASE_URL) $(BIN)/pytest --create-db $(PYTEST_ARGS)

# The Docker image's build without Docker: the Dockerfile's own RUN lines in a throwaway virtualenv.
image-check:
	$(PYTHON) .ci/image_check.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python .ci/audit.py

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
