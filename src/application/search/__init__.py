"""Semantic search: the ports that embed text and index the vectors (the use cases come with documents)."""
