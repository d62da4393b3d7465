"""Prometheus metrics of the services: the multiprocess directory, the API's and the workers'
exposition servers (each on a port of its own), and the workers' message metrics."""
