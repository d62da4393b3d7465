"""Entrypoints: the HTTP app, the worker, the CLI, and the dishka container that wires adapters to ports."""
