# Set-up and everyday tasks. Each target installs what it needs, so a fresh machine needs only
# Python 3.11, make and (for the browser tests) apt-get.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: demo test install browser bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests, and a font with Chinese and Korean letters for the
# map images (上海, 충청북도), each installed only when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@fc-list 2>/dev/null | grep -qiE "WenQuanYi|Noto Sans CJK" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-zenhei >/dev/null; }

# The main job on the bundled data: check it, count it, find warm introductions to SK hynix,
# and draw the offline map.
demo: install
	$(BIN)/espoo-net validate
	$(BIN)/espoo-net stats
	$(BIN)/espoo-net intro "SK hynix" -k 3
	$(BIN)/espoo-net map --out out/espoo-network.html

test: install browser
	$(BIN)/python -m pytest -q

bench: install browser
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) out .pytest_cache
