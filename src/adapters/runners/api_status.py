"""How both Claude gateways judge a failed Messages API call: an error code from its HTTP status, and
whether another attempt may succeed (the statuses the Anthropic SDK itself would retry)."""

from __future__ import annotations

_CODE_OF_STATUS = {
    400: "invalid_request",
    401: "authentication_failed",
    402: "billing_error",
    403: "permission_denied",
    404: "not_found",
    408: "request_timeout",
    409: "conflict",
    413: "request_too_large",
    429: "rate_limited",
    529: "overloaded",
}
_RETRYABLE_CLIENT_STATUSES = frozenset({408, 409, 429})


def failure_of_status(status: int) -> tuple[str, bool]:
    """The error code for an HTTP status, and whether it is worth retrying (overload, rate limits,
    time-outs, conflicts and server errors are; other client errors will only happen again)."""
    code = _CODE_OF_STATUS.get(status) or ("server_error" if status >= 500 else "api_error")
    return code, status >= 500 or status in _RETRYABLE_CLIENT_STATUSES
