"""/api/v1/projects/{project_id}/publications (members and maintainers) and
/api/v1/public/{project_slug}/publications (anyone, for a project that opens them)."""
