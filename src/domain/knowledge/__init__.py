"""The knowledge graph of a project: entities and relationships drawn from its documents, with the
evidence (chunk and character span) of every fact and a confidence for each."""
