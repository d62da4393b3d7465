"""The job queue on Dramatiq: Redis or RabbitMQ in production, an in-process StubBroker when embedded."""
