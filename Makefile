# `make demo` and `make test` each do all setup first (scripts/setup.sh is idempotent and quick when done).
# The headline: camera denied (6100), no microphone (6010 sub-code 4), and the network dropping mid-session, where
# calls get 5002 'closed' while the SDK rejoins (what 2.5.0 raises; the documented 5003 never reaches an app).
HEADLINE = --scenario camera-denied --scenario no-microphone --scenario offline-mid-session

.PHONY: setup demo test lint serve docs
docs: setup
	.venv/bin/python scripts/update_docs.py
setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/pytest -v $(HEADLINE)

lint: setup
	.venv/bin/ruff check harness tests scripts bench
	.venv/bin/ruff format --check harness tests scripts bench
	.venv/bin/mypy
	.venv/bin/lint-imports --no-cache

# The suite starts many Python processes (pytest runs, the CLI); each compiles what has no bytecode cache yet, so
# the run writes those caches (into __pycache__, ignored by git) even where PYTHONDONTWRITEBYTECODE is set.
test: lint
	PYTHONDONTWRITEBYTECODE= .venv/bin/pytest -n 2  # two workers, the longest tests first (docs/running.md)

serve: setup
	.venv/bin/harness serve
