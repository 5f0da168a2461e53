# The two commands of README.md: `make run` and `make test`.
VENV ?= $(or $(ASSISTANT_VENV),$(CURDIR)/.venv)

.PHONY: setup run test test-clock lint train

setup:
	@bash scripts/setup.sh

run: setup
	@$(VENV)/bin/assistant run

test:
	@bash scripts/test.sh

# The whole suite with the clock a month ahead, a year ahead, and on the eve of a DST change.
test-clock:
	@bash scripts/test-shifted-clock.sh +30d
	@bash scripts/test-shifted-clock.sh +365d
	@bash scripts/test-shifted-clock.sh "@2027-03-13 22:00:00"

lint: setup
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

train: setup
	@$(VENV)/bin/assistant train
