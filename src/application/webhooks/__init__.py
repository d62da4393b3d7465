"""Webhooks: endpoints a project's managers register, and the signed deliveries of its events to them."""
