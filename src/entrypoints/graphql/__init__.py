"""The GraphQL API (/graphql): the same use cases, principal and authorization as the REST API."""
