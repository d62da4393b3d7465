"""GraphQL object types built from REST's response bodies: the domain is mapped once (the body's
`from_domain`), and a GraphQL type takes the body's fields by name, so a field REST gains and the type
lacks fails its construction (an unexpected keyword) instead of being left out quietly."""

from __future__ import annotations

from typing import Any

import msgspec


def body_fields(body: msgspec.Struct, **graphql: Any) -> dict[str, Any]:
    """The body's fields by name, those given in `graphql` replaced by their GraphQL form (a nested type,
    JSON, an enum)."""
    fields = msgspec.structs.asdict(body)
    strays = graphql.keys() - fields.keys()
    if strays:
        raise TypeError(f"{type(body).__name__} has no field {sorted(strays)}")
    return fields | graphql
