"""Use cases and the ports they need. Imports nothing but the domain and the standard library."""
