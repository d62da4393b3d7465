"""The ports of the knowledge graph, one module per concern (extraction, the graph store)."""
