"""The cookie that names a visitor of a project's public chat, and its CSRF token.

The cookie's value is `<visitor id>.<expiry, Unix seconds>.<HMAC-SHA256 of both>`, keyed by a key
derived from the service's secret (AGENTRY_SECRET_KEY, or the embedded profile's secret file), so it
cannot be forged or stretched; it is Secure, HttpOnly, SameSite=Strict, for /api/v1/, and expires
with the visitor. Writes made with it need the visitor's CSRF token (double submit) in the
X-CSRF-Token header: an HMAC of the visitor id under a key of its own, given when the cookie is issued,
compared in constant time. A page of another site can send the cookie (a form), never read the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.datastructures import Cookie

from agentry.application.errors import Forbidden, Unauthenticated

COOKIE = "agentry_chat"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_PATH = "/api/v1/"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class VisitorCookies:
    def __init__(self, secret: bytes) -> None:
        self._cookie_key = hmac.new(secret, b"agentry/public-chat/cookie", hashlib.sha256).digest()
        self._csrf_key = hmac.new(secret, b"agentry/public-chat/csrf", hashlib.sha256).digest()

    def cookie(self, visitor_id: UUID, expires_at: datetime, now: datetime) -> Cookie:
        expiry = int(expires_at.timestamp())
        payload = f"{visitor_id.hex}.{expiry}"
        return Cookie(
            key=COOKIE,
            value=f"{payload}.{self._signature(payload)}",
            max_age=max(0, int((expires_at - now).total_seconds())),
            path=COOKIE_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )

    def cleared(self) -> Cookie:
        """The cookie's deletion: the browser forgets a visitor that has ended (adopted by a user)."""
        return Cookie(key=COOKIE, value="", max_age=0, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")

    def visitor_of(self, value: str | None, now: datetime) -> UUID | None:
        """The visitor a cookie's value names, if it is this service's and has not expired."""
        if not value:
            return None
        payload, _, signature = value.rpartition(".")
        if not hmac.compare_digest(signature.encode(), self._signature(payload).encode()):
            return None
        visitor, _, expiry = payload.partition(".")
        try:
            if int(expiry) <= now.timestamp():
                return None
            return UUID(hex=visitor)
        except ValueError:
            return None

    def csrf(self, visitor_id: UUID) -> str:
        return _b64(hmac.new(self._csrf_key, visitor_id.bytes, hashlib.sha256).digest())

    def visitor_writing(self, request: Request[Any, Any, Any], now: datetime) -> UUID:
        """The visitor of a write made with the cookie: refused without a current cookie (401) or
        without its CSRF token (403)."""
        visitor = self.visitor_of(request.cookies.get(COOKIE), now)
        if visitor is None:
            raise Unauthenticated(f"this needs the {COOKIE} cookie of a current chat session: start one")
        if not self.csrf_matches(visitor, request.headers.get(CSRF_HEADER, "")):
            raise Forbidden("write", f"a write made with the chat cookie needs its {CSRF_HEADER} header")
        return visitor

    def csrf_matches(self, visitor_id: UUID, given: str) -> bool:
        """Whether `given` is the visitor's CSRF token (compared in constant time)."""
        return hmac.compare_digest(given.encode(), self.csrf(visitor_id).encode())

    def visitor_reading(self, request: Request[Any, Any, Any], now: datetime) -> UUID:
        visitor = self.visitor_of(request.cookies.get(COOKIE), now)
        if visitor is None:
            raise Unauthenticated(f"this needs the {COOKIE} cookie of a current chat session: start one")
        return visitor

    def _signature(self, payload: str) -> str:
        return _b64(hmac.new(self._cookie_key, payload.encode(), hashlib.sha256).digest())
