"""Access tokens as JWTs signed with Ed25519 (PyJWT), with key ids for rotation."""
