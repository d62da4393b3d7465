"""Persistence on SQLAlchemy 2: one schema for SQLite (embedded) and PostgreSQL (production)."""
