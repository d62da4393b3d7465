"""Test doubles of outside services: small real servers that speak their protocol and follow a script."""
