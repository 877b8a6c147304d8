"""Keep secrets out of the logs of the libraries we drive (MSAL).

MSAL logs every token-cache event at DEBUG as JSON and masks only some fields: the device code
and authorization code (``"code"``, ``"device_code"``) and ``client_info`` go to the log as they
are. ``install()`` puts a filter on MSAL's loggers that masks those values and anything shaped
like a JWT before any handler (a user's ``--debug`` log file, a crash report) sees the record.
"""

from __future__ import annotations

import logging
import re

#: The loggers MSAL writes to (one per module; a filter on a logger applies to its own records).
MSAL_LOGGERS = (
    "msal", "msal.application", "msal.token_cache", "msal.authority", "msal.telemetry",
    "msal.region", "msal.broker", "msal.throttled_http_client", "msal.managed_identity",
    "msal.oauth2cli.oauth2", "msal.oauth2cli.oidc", "msal.oauth2cli.authcode",
    "msal.oauth2cli.assertion",
)
_SECRET_KEYS = ("code", "device_code", "user_code", "client_info", "access_token",
                "refresh_token", "id_token", "client_secret", "client_assertion", "assertion",
                "password", "code_verifier", "secret")
_PAIR = re.compile(r"""(["']?(?:""" + "|".join(_SECRET_KEYS)
                   + r""")["']?\s*[:=]\s*)(["'])(?:(?!\2).){4,}?\2""", re.IGNORECASE)
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{4,}(?:\.[A-Za-z0-9_\-]*){0,2}")
MASK = "********"


def redact(text: str) -> str:
    """``text`` with secret-named values and JWT-shaped strings masked."""
    return _JWT.sub(MASK, _PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}{m.group(2)}",
                                    text))


class RedactSecrets(logging.Filter):
    """Rewrites a record's message when it carries a secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error path
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install(names: tuple[str, ...] = MSAL_LOGGERS) -> None:
    """Attach one ``RedactSecrets`` filter to each logger in ``names`` (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
