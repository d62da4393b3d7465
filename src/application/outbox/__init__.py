"""The outbox of domain events: what aggregates recorded, stored with their change, handed to every subscriber."""
