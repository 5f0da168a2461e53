# The two commands of README.md: `make run` and `make test`.
VENV ?= $(or $(ASSISTANT_VENV),$(CURDIR)/.venv)

.PHONY: setup run test lint train

setup:
	@bash scripts/setup.sh

run: setup
	@$(VENV)/bin/assistant run

test:
	@bash scripts/test.sh

lint: setup
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

train: setup
	@$(VENV)/bin/assistant train
