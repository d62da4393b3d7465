"""/api/v1/projects/{id}/entities, /relationships and /graph: a project's knowledge graph."""
