"""The error hierarchy every layer raises and catches.

Transport and HTTP failures are translated into these by the Graph client's single request
choke point, so the layers above never see httpx exceptions or raw status codes.
"""

from __future__ import annotations


class OlkError(Exception):
    """Base of every error olk-tui raises on purpose; its ``str`` is fit to show a user."""


class ConfigError(OlkError):
    """The configuration file (or a command-line value) is invalid.

    Attributes:
        path: the file, when the problem is in one.
        key: the dotted key that is wrong, when known.
    """

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        where = ": ".join(p for p in (path, key) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.key = key


class StoreError(OlkError):
    """The local cache cannot be used (corrupt, from a newer version, not writable)."""


class GraphError(OlkError):
    """A failure talking to Microsoft Graph (or the identity platform).

    Attributes:
        status: HTTP status, or 0 when no response arrived.
        code: Graph's error code (``error.code``), e.g. ``ErrorItemNotFound``.
        message: Graph's error message, untrusted text.
        request_id: ``innerError.request-id`` (or the ``request-id`` header), for support.
    """

    def __init__(
        self,
        message: str = "",
        *,
        status: int = 0,
        code: str = "",
        request_id: str = "",
    ) -> None:
        super().__init__(message or code or type(self).__name__)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id

    def __str__(self) -> str:
        text = self.message or self.code or type(self).__name__
        if self.code and self.code not in text:
            text = f"{text} ({self.code})"
        if self.request_id:
            text = f"{text} [request-id {self.request_id}]"
        return text


class NotFound(GraphError):
    """404: the item does not exist (moved or deleted elsewhere, or never existed)."""


class BadRequest(GraphError):
    """400 and other client errors that retrying will not fix (bad query, invalid MIME...)."""


class Conflict(GraphError):
    """409/412: the item changed on the server, or a name is already taken."""


class Forbidden(GraphError):
    """403: the account may not do this (access policy, SendAs denied, shared mailbox rights)."""


class AuthRequired(GraphError):
    """401 or a failed token refresh: the user must sign in again; ``hint`` says how."""

    def __init__(self, message: str = "", *, hint: str = "", **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.hint = hint


class Throttled(GraphError):
    """429 (or 503 with Retry-After) after the retry budget ran out.

    Attributes:
        retry_after: seconds the server asked us to wait, when it said.
    """

    def __init__(self, message: str = "", *, retry_after: float | None = None,
                 **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class SyncReset(GraphError):
    """410 Gone / syncStateNotFound / resyncRequired: the delta token is dead; resync.

    Attributes:
        location: the fresh initial URL from the ``Location`` header, when sent.
    """

    def __init__(self, message: str = "", *, location: str | None = None,
                 **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.location = location


class Offline(GraphError):
    """No response at all: DNS, connection refused or reset, timeout."""


class ServerError(GraphError):
    """5xx after retries, or a response body that could not be read."""


class OutcomeUnknown(GraphError):
    """A non-idempotent request failed ambiguously (timeout, reset, 504): it may have happened.

    The caller must check the server (immutable id, Sent Items by internetMessageId) before
    deciding to send it again.
    """
