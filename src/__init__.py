"""Agentry: a self-hostable backend that runs AI coding-agent work for teams.

Layers, inner to outer: domain, application, adapters, entrypoints (see README, "Where things are").
"""
