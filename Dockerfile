# syntax=docker/dockerfile:1
#
# Agentry's production image. One image, three roles, chosen by the command:
#   agentry serve              the HTTP API (the default)
#   agentry worker             task workers (Dramatiq on Redis)
#   agentry migrate upgrade    the schema migrations, run once before the others
# compose.yaml runs all three with PostgreSQL and Redis: `docker compose up -d --build`.

FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# uv from PyPI, so the build needs no registry but PyPI and Docker Hub.
RUN pip install --no-cache-dir --root-user-action=ignore "uv>=0.13,<0.14"

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes, not on every source edit.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project

# Then the project itself. It stays installed in editable mode from /app: the migrations are found
# relative to the source tree (src/adapters/sqlalchemy/migrations.py looks in /app/migrations).
COPY src/ ./src/
COPY migrations/ ./migrations/
RUN uv sync --locked --no-dev \
    && /app/.venv/bin/python -m compileall -q src migrations

# Not root. The code stays owned by root (read-only to the app); the working directory /data is the
# user's, so the embedded profile's relative SQLite file (agentry.db) can be written there.
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin agentry
USER agentry
WORKDIR /data

ENV PATH="/app/.venv/bin:$PATH" \
    AGENTRY_HOST=0.0.0.0

EXPOSE 8000

# No HEALTHCHECK here: the same image also runs workers and the migration, which serve no HTTP.
# compose.yaml gives the api service its health check (GET /health/ready).
CMD ["agentry", "serve"]
