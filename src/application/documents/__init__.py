"""Documents: ingest (one or a batch), ingestion status, list, read with chunks, delete; the workers'
side runs the ingestion steps and the relay's side hands due jobs to them."""
