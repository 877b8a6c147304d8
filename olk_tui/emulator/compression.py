"""Response compression, as Graph does it: a client that sends ``Accept-Encoding: gzip`` (httpx
and most HTTP stacks do by default) gets bodies of at least :data:`MIN_SIZE` bytes gzip-encoded
with ``Content-Encoding: gzip``; a client that does not ask gets them plain. JSON answers and
raw ``$value`` downloads follow the same rule. Used by both the in-process transports and the
loopback server, on the bytes about to be sent.
"""

from __future__ import annotations

import gzip

#: Bodies shorter than this are sent as they are (compressing them gains nothing).
MIN_SIZE = 1024


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip``, ``x-gzip`` or ``*``, q > 0)."""
    if not accept_encoding:
        return False
    star = False
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        if name in ("gzip", "x-gzip"):
            return q > 0
        if name == "*":
            star = q > 0
    return star


def encode(headers: dict[str, str], content: bytes, accept_encoding: str | None
           ) -> tuple[dict[str, str], bytes]:
    """The headers and bytes to send for ``content``: gzip-encoded when the request asked for
    it and the body is large enough, else unchanged. ``headers`` is not modified."""
    out = dict(headers)
    already = any(k.lower() == "content-encoding" for k in out)
    if already or len(content) < MIN_SIZE or not accepts_gzip(accept_encoding):
        return out, content
    out["Content-Encoding"] = "gzip"
    out["Vary"] = "Accept-Encoding"
    return out, gzip.compress(content, compresslevel=6, mtime=0)
