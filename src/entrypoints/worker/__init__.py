"""The Dramatiq worker: actors, the dishka middleware, and how each profile starts it."""
