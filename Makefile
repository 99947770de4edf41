# The two quick-start commands (see README.md). Everything they need is installed by them.
.PHONY: demo test setup lint bench

demo:
	@bash scripts/demo

test:
	@bash scripts/test

setup:
	@bash scripts/setup

lint:
	@.venv/bin/ruff check graph api importers visualize cli tests benchmarks

bench:
	@.venv/bin/python -m benchmarks.run --help
