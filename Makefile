# `make demo` and `make test` do all the set-up on a fresh machine (Python 3.11+ required).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench fidelity clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash examples/demo.sh

test: $(STAMP)
	$(PY) -m pytest -q -n 2

# Benchmarks measure what users run: a wheel installed (not editable) with its .pyc files compiled,
# in a venv of its own (PYTHONDONTWRITEBYTECODE may be set: --compile writes them anyway).
BENCH := .bench/venv
bench: $(STAMP)
	rm -rf .bench/dist
	$(PY) -m pip wheel -q --no-deps -w .bench/dist .
	test -x $(BENCH)/bin/python || $(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install -q --compile --force-reinstall --no-deps .bench/dist/atlctl-*.whl
	$(BENCH)/bin/python -m pip install -q --compile "$$(ls .bench/dist/atlctl-*.whl)[dev]"
	$(BENCH)/bin/python -m bench

# The `jira` package's own integration suite against a fresh sandbox (issue 18), not part of `make test`:
#   make fidelity JIRA_SRC=DIR   (DIR: a checkout of pycontribs/jira at the pinned tag, outside this repository)
fidelity: $(STAMP)
	@test -n "$(JIRA_SRC)" || { echo "make fidelity: give JIRA_SRC=DIR, a checkout of pycontribs/jira at tag 3.10.5"; exit 2; }
	$(PY) tools/jira_fidelity.py "$(JIRA_SRC)"

clean:
	rm -rf $(VENV) .pytest_cache .bench
