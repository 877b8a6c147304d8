"""``olk-tui graph METHOD PATH [--data JSON]``: one raw Graph request, for scripts and bugs.

The request goes through the same client as the app (token, Prefer headers, retries, error
translation, host check), so ``olk-tui graph GET /me/calendars`` shows exactly what olk-tui
sees. The JSON answer is printed with non-ASCII escaped, so hostile text cannot drive the
terminal; errors are one line with Graph's code and request-id.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from olk_tui.domain.errors import ConfigError

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """METHOD, PATH and an optional JSON body."""
    parser.add_argument("method", metavar="METHOD", help=", ".join(METHODS))
    parser.add_argument("path", metavar="PATH",
                        help="e.g. /me/calendars or /me/messages?$top=5 (v1.0 unless given)")
    parser.add_argument("--data", metavar="JSON", help="request body (JSON)")


def _body(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"--data is not valid JSON: {exc}", key="--data") from None


async def _send(target: Any, session: Any, method: str, path: str, body: Any) -> Any:
    from olk_tui.graph.account import graph_auth, open_client

    client = open_client(target.account, graph_auth(session), transport=target.async_transport,
                         trace_path=target.settings.http_trace or None)
    try:
        return await client.request(method, path, json=body)
    finally:
        await client.aclose()


def run(args: argparse.Namespace) -> int:
    """Send the request and print the answer."""
    from olk_tui.commands.auth import resolve, session_for

    method = args.method.upper()
    if method not in METHODS:
        raise ConfigError(f"unknown method {args.method!r} (use {', '.join(METHODS)})",
                          key="METHOD")
    body = _body(args.data)
    target = resolve(args)
    session = session_for(target)
    try:
        if target.emulator is not None:
            session.login_device_code(lambda code: None)
        response = asyncio.run(_send(target, session, method, args.path, body))
    finally:
        session.close()
    if not response.content:
        print(f"HTTP {response.status_code}", file=sys.stderr)
        return 0
    try:
        data = json.loads(response.content)
    except ValueError:
        text = response.content.decode("utf-8", "replace")
        sys.stdout.write(json.dumps(text)[1:-1] + "\n")
        return 0
    json.dump(data, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")
    return 0
