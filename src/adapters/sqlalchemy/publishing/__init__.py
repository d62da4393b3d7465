"""Publishing on SQLAlchemy: publications (mapped), their engagement counts and the day's visitor digests (core)."""
