"""Adapters: one technology each, behind the application's ports."""
