"""Agentry's domain: entities, value objects, state machines and domain errors. Pure Python."""
