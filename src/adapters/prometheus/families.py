"""Every metric Agentry exports, in one place (the dashboard and the alert rules are checked against
these names). Label values are bounded: route templates, methods, statuses, runner and model names,
project slugs under a cap; never an id."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RUN_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)

http_requests = Counter(
    "agentry_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
)
http_latency = Histogram(
    "agentry_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and method",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
live_subscribers = Gauge(
    "agentry_live_subscribers", "Open live streams (WebSocket and server-sent events)", multiprocess_mode="livesum"
)
rate_limit_refusals = Counter(
    "agentry_rate_limit_refusals", "Requests refused by a rate limit (429), by policy", ["policy"]
)
tasks_submitted = Counter("agentry_tasks_submitted", "Tasks submitted, by priority and cause", ["priority", "cause"])
tasks_ended = Counter("agentry_tasks_ended", "Tasks that ended, by status and runner", ["status", "runner"])
executions_started = Counter("agentry_executions_started", "Executions started, by runner", ["runner"])
executions_recovered = Counter(
    "agentry_executions_recovered", "Executions taken back after their worker went silent (worker_lost)"
)
executions_dead_lettered = Counter(
    "agentry_executions_dead_lettered", "Executions failed because their message was dead-lettered"
)
executions_retried = Counter(
    "agentry_executions_retried", "Executions queued again: automatic (retryable failure) or manual", ["how"]
)
executions_interrupted = Counter(
    "agentry_executions_interrupted", "Executions given back by a worker that was shutting down"
)
tokens = Counter(
    "agentry_tokens", "Tokens used by runs, by project, model and direction", ["project", "model", "direction"]
)
cost = Counter("agentry_cost_usd", "Cost of runs in US dollars, by project and model", ["project", "model"])
db_pool_in_use = Gauge(
    "agentry_db_pool_in_use", "Database connections checked out of the pool", multiprocess_mode="livesum"
)
db_pool_waiting = Gauge(
    "agentry_db_pool_waiting", "Callers waiting for a database connection", multiprocess_mode="livesum"
)
worker_messages = Counter(
    "agentry_worker_messages", "Messages a worker process handled, by actor and outcome", ["actor", "outcome"]
)
worker_in_progress = Gauge(
    "agentry_worker_messages_in_progress", "Messages being handled by worker processes", multiprocess_mode="livesum"
)
worker_duration = Histogram(
    "agentry_worker_message_duration_seconds", "Time to handle a message, by actor", ["actor"], buckets=RUN_BUCKETS
)

# Read at scrape time by the API's exposition server (QueueCollector), not written by any process.
SCRAPED = {
    "agentry_tasks_waiting": "Tasks queued for a worker, by project (slug; the largest projects, the rest as `other`)",
    "agentry_tasks_oldest_waiting_seconds": "Age of the oldest queued task, by project",
    "agentry_tasks_waiting_total": "Tasks queued for a worker, all projects",
    "agentry_tasks_oldest_waiting_all_seconds": "Age of the oldest queued task, all projects",
    "agentry_executions_running": "Executions running now, all workers",
    "agentry_project_budget_used_ratio": "Share of its monthly budget a project has spent this month (UTC)",
}
read_cache_lookups = Counter(
    "agentry_read_cache_lookups",
    "Reads of the stats and usage cache, by area (tasks, usage) and result (hit, miss)",
    ["area", "result"],
)
