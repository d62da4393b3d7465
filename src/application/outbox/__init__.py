"""Handing recorded work to the broker."""
