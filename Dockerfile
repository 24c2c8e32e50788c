# Signpost in a container: the wheel and its hash-locked dependencies in a venv, run as a
# non-root user. Build: `docker build -t signpost .`; run with compose.yaml (README, Deployment).
ARG PYTHON=3.11

FROM python:${PYTHON}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/signpost
# Dependencies first, from the lock file (hashes checked), so a code change reuses this layer.
COPY requirements.lock ./
RUN /opt/signpost/bin/pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE config.yaml ./
COPY bot ./bot
COPY handlers ./handlers
COPY store ./store
COPY templates ./templates
RUN /opt/signpost/bin/pip wheel --no-deps --wheel-dir /dist . \
 && /opt/signpost/bin/pip install --no-deps /dist/signpost-*.whl \
 && /opt/signpost/bin/signpost --help >/dev/null

FROM python:${PYTHON}-slim-bookworm
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/signpost --create-home signpost
COPY --from=build /opt/signpost /opt/signpost
ENV PATH=/opt/signpost/bin:$PATH \
    SIGNPOST_HOME=/var/lib/signpost \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER 10001:10001
WORKDIR /var/lib/signpost
VOLUME ["/var/lib/signpost"]
# SMTP intake and the dashboard (with /healthz, /readyz, /metrics); both must listen on 0.0.0.0
# in the mounted config.yaml (channels.smtp_intake.host, web.host).
EXPOSE 8025 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["signpost"]
CMD ["run"]
