"""Documents on SQLAlchemy: documents and ingestion jobs (mapped), content, chunks and batches (core)."""
