"""/api/v1/documents: ingest (JSON text or a multipart upload; one or a batch), job and batch status,
list, read, delete."""
