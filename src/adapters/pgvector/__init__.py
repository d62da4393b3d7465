"""The production VectorIndex: PostgreSQL with the pgvector extension (HNSW)."""
