"""`Allow` on OPTIONS answers names every method of the path.

Litestar makes one OPTIONS handler per route as it registers it, before it merges the handlers that
several controllers declare for one path (GET /auth/me in one, PATCH in another), so that handler's
`Allow` names only the methods of the first. The methods of each path, once everything is registered,
are known at start; this `before_send` hook answers from them, for every route, those added later too.
(The 405 refusals Litestar makes while routing already name them all.)"""

from __future__ import annotations

from collections import defaultdict

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import BeforeMessageSendHookHandler, Message, Scope


def allow_every_method(app: Litestar) -> BeforeMessageSendHookHandler:
    methods: dict[str, set[str]] = defaultdict(set)
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods[route.path_format] |= set(route.methods)
    allowed = {path: ", ".join(sorted(found | {"OPTIONS"})) for path, found in methods.items()}

    async def set_allow(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
            return
        every = allowed.get(scope.get("path_template", ""))
        if every is not None:
            MutableScopeHeaders.from_message(message)["Allow"] = every

    return set_allow
