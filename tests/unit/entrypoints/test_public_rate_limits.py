"""The public routes are counted per client address, whatever Authorization header comes along (they
check none, so a made-up one must not buy a fresh quota); the rest of the API per credential."""

from __future__ import annotations

from agentry.entrypoints.http.kit.rate_limits import route_class


def test_public_routes_count_per_address_and_the_rest_of_the_api_per_credential() -> None:
    assert route_class("GET", "/api/v1/public/news/publications") == ("reads", True)
    assert route_class("POST", "/api/v1/public/news/publications/x/views") == ("writes", True)
    assert route_class("GET", "/api/v1/projects/x/publications") == ("reads", False)
    assert route_class("POST", "/api/v1/auth/login") == ("login", True)
