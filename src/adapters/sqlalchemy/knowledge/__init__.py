"""The knowledge graph on SQLAlchemy."""
