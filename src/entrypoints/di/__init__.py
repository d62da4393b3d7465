"""The composition root: dishka providers, one module per capability, assembled in container.py."""
