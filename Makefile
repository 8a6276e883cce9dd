# Every target installs what it needs: a virtual environment with pinned packages, the site's scripts
# from the npm registry, and (for tests) Debian's Chromium with a CJK font.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := $(VENV)/bin/mkdocs
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Material and mkdocs-redirects print an end-of-life notice about MkDocs 2 on every run.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: all serve build check messages export export-tools test browser screenshots bench clean

all: build

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --ignore-scripts --no-audit --no-fund
	@touch $@

install: $(STAMP) $(NODE_STAMP)

serve: $(STAMP) $(NODE_STAMP) export
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000 --livereload

# Build into a fresh folder and swap it in only when the whole build succeeded: a failed build
# leaves the last good site/ untouched. The exported PDF and Word files come first: the pages link them.
build: $(STAMP) $(NODE_STAMP) export
	@rm -rf build/site.new && mkdir -p build
	$(MKDOCS) build --strict --site-dir build/site.new
	@rm -rf build/site.old; if [ -d site ]; then mv site build/site.old; fi
	@mv build/site.new site && rm -rf build/site.old
	@echo "site/ is up to date"

check: $(STAMP)
	$(PY) -m generator check

# Refresh the message catalogs (generator/locale/*/LC_MESSAGES/*.po) from the phrases in the code and the
# descriptions in the schemas, then translate what is new: tests/test_messages.py fails until every entry is.
messages: $(STAMP)
	$(PY) -m generator.locale.catalogs

# The regulation (PDF + Word), each 岗位说明书 and the 制度汇编 as documents (about 9 s on 2 cores): approved text
# into build/export, with drafts (marked 草案) into build/export/drafts; swapped in only when both succeeded. The
# site serves whatever build/export holds under downloads/ (generator/adapter/downloads.py).
export: $(STAMP) export-tools
	@rm -rf build/export.new && mkdir -p build
	$(PY) -m generator export --out build/export.new
	$(PY) -m generator export --drafts --out build/export.new/drafts
	@rm -rf build/export && mv build/export.new build/export

export-tools:
	@bash tools/install-export.sh

browser:
	@bash tools/install-browser.sh

test: $(STAMP) $(NODE_STAMP) browser export-tools
	$(PY) -m pytest -q

# PNGs of every page kind and search results at 1280 and 390 px (the kinds: tests/browser/pagekinds.py).
screenshots: $(STAMP) $(NODE_STAMP) browser
	PYTHONPATH=tests $(PY) -m browser.screenshots screenshots

# Benchmark at scale (synthetic handbooks up to ~2,200 pages, about 20-25 min on 2 cores); writes BENCHMARKS.md.
# BENCH_ARGS=--quick runs a small ladder in a few minutes.
bench: $(STAMP) $(NODE_STAMP) browser
	NO_MKDOCS_2_WARNING=1 $(PY) benchmarks/run.py $(BENCH_ARGS)

# A live preview for editors: Zensical serves the handbook on http://127.0.0.1:8000 and every edit under data/,
# templates/ or docs/ shows within about a second (only the pages it changes are written and rebuilt); a broken
# edit prints its errors and the last good pages stay up. Its search is Zensical's own (the published site's is ours).
.PHONY: preview
preview: $(STAMP) $(NODE_STAMP)
	$(PY) -m generator.adapter.preview --data data --root . --out build/preview --address 127.0.0.1:8000

# The same site built by Zensical instead of MkDocs (the second builder, tested by tests/test_zensical.py):
# generator/adapter/zensical.py writes build/zensical (pages, scripts, redirects, a config derived from mkdocs.yml,
# everything the MkDocs hook does), then Zensical builds it into build/zensical/site.
.PHONY: zensical
zensical: $(STAMP) $(NODE_STAMP)
	$(PY) -m generator.adapter.zensical --data data --root . --out build/zensical
	cd build/zensical && ../../$(PY) -m zensical build --clean --strict -f mkdocs.yml
	@echo "build/zensical/site/ is up to date"

clean:
	rm -rf site build .pytest_cache
