"""Documents: what a project ingests (its content stored once per project), the ingestion job that
turns it into chunks step by step, and the chunks themselves."""
