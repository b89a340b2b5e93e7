# The two commands of the README: `make sample` (set up, then run the main job on the bundled sample)
# and `make test` (set up, then run the tests). Both create .venv on first use. `make test-slow` runs the few
# tests marked slow (minutes each), which `make test` leaves out; CI runs both. The tests run in JOBS processes
# (pytest-xdist; default 2, the cores of the CI machine; `make test JOBS=0` runs them in this one process). In
# `make test` each test file stays in one process (--dist loadfile): its module fixtures are built once, and a
# file's tests that share a server, a browser or a store run one after another as they always did. Files go out
# in collection order (--no-loadscope-reorder), which tests/conftest.py starts with the files of minutes. The few slow
# tests share nothing but are minutes each: any process takes the next (--dist worksteal).
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= 2
STAMP := $(VENV)/.installed

.PHONY: sample test test-slow setup browser clean

$(STAMP): pyproject.toml
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

sample: $(STAMP)
	rm -f sample.db
	$(VENV)/bin/eventwire ingest samples/ --db sample.db
	$(VENV)/bin/eventwire events --db sample.db --limit 40
	$(VENV)/bin/eventwire claims --db sample.db

test: $(STAMP)
	scripts/system-deps
	$(PY) -m pytest -q -p no:cacheprovider -n $(JOBS) --dist loadfile --no-loadscope-reorder

test-slow: $(STAMP)
	scripts/system-deps
	$(PY) -m pytest -q -p no:cacheprovider -n $(JOBS) --dist worksteal -m slow

clean:
	rm -rf $(VENV) sample.db
