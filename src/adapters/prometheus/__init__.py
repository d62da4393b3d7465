"""Prometheus metrics (prometheus-client): the metric families, the TaskMetrics port, the scrape-time
collectors and the exposition server of a process.

Multiprocess mode: the command that starts a service points PROMETHEUS_MULTIPROC_DIR at an emptied
directory before anything imports prometheus_client (see entrypoints.metrics.process), so every
process of the service (the API, each Dramatiq worker process) writes its samples to files there and
one exposition server per service sums them.
"""
