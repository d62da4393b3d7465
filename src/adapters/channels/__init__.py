"""Live events on Litestar channels: in memory within one process, Redis pub/sub across processes."""
