"""In-memory implementations of the ports: small, real, and held honest by the contract suites."""
