# plenty: `make demo` (set-up + the nightly job on bundled demo boards, offline) and `make test` (set-up + suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: setup system-deps demo test test-fast lint-imports bench clean

setup: $(VENV)/.installed

# torch is installed first and pinned so pip takes the CPU build, never a multi-GB CUDA one.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[test]'
	touch $@

demo: setup
	$(PY) -m demo

# Headless Chromium renders the HTML digest in a test (Debian's package; installed when running as root).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found and not root: the browser test will be skipped"; fi; }

test: setup system-deps
	$(PY) -m pytest -q

# The unit tier: no real model, browser, crawl subprocess or Prefect server (markers in pyproject.toml).
test-fast: setup
	$(PY) -m pytest -q -m "not model and not browser and not crawl and not prefect"

lint-imports: setup
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) bench/quality.py

clean:
	rm -rf $(VENV) .demo-home
