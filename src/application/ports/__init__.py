"""Ports: the Protocols use cases need, each owned by the use cases that call it."""
