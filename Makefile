# The two commands of the README: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser fonts ocr run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with dev extras

run: install ocr  ## migrate, seed the demo from bundled feeds, serve on 127.0.0.1:8000 (or PORT=…)
	$(BIN)/duluan demo $(if $(PORT),--port $(PORT))

browser:  ## Debian's chromium for the browser tests (installed with apt when absent)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "make test: /usr/bin/chromium is absent: installing Debian's chromium with apt for the browser tests"; \
		( $(SUDO) apt-get install -y -qq chromium >/dev/null 2>&1 || \
		  ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null ) ) || \
		echo "make test: could not install chromium; the browser tests will be skipped (see their reason)"; \
	fi

fonts:  ## Debian's Noto fonts (Noto Serif, Noto Sans: every Vietnamese letter) for the printed report
	@if ! fc-list 2>/dev/null | grep -q 'NotoSerif-Regular'; then \
		echo "make test: the Noto fonts are absent: installing Debian's fonts-noto-core with apt (the weekly report prints in Noto Serif and Noto Sans)"; \
		( $(SUDO) apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 || \
		  ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-noto-core >/dev/null ) ) || \
		echo "make test: could not install fonts-noto-core; the report's print test will be skipped (see its reason)"; \
	fi

ocr:  ## Debian's Tesseract with its Vietnamese data, for collaborators' screenshots (installed with apt when absent)
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then \
		echo "make: tesseract-ocr or tesseract-ocr-vie is absent: installing them with apt (screenshots in reports are read by OCR)"; \
		( $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null 2>&1 || \
		  ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null ) ) || \
		echo "make: could not install Tesseract; screenshots are kept without their text and the OCR tests are skipped (see their reason)"; \
	fi

test: install browser fonts ocr  ## the whole suite, on SQLite and (when reachable) PostgreSQL, and in Chromium, in parallel (pyproject's addopts)
	@# Bytecode is cached (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE is set:
	@# every worker and every process a test starts would otherwise compile the project and
	@# pytest would rewrite each test module again (collection 15 s -> 9.5 s a process).
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

lint: install  ## ruff, its formatter, mypy and the layering's import contracts (lint-imports)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/mypy --strict core collector nlp review report alerts
	$(BIN)/mypy core collector nlp review report api cli alerts
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var/*.db
