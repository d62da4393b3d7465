"""Use cases of the knowledge graph: extraction from documents, the graph's entities and
relationships, and the queries over them."""
