# `make demo` and `make test` each do all setup first (scripts/setup.sh is idempotent and quick when done).
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

test: lint
	.venv/bin/pytest

serve: setup
	.venv/bin/harness serve
