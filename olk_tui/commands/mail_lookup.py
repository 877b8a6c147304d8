"""How ``olk-tui mail`` finds what a command line names: a folder by id, well-known name,
display name or ``A/B`` path, and a message by id (after one sync of the folder tree)."""

from __future__ import annotations

from olk_tui.commands.output import Context, usage_error
from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import MessageId
from olk_tui.domain.mail import Folder, Message


def folder_path(folder: Folder, by_id: dict[str, Folder]) -> str:
    """``Parent/Child`` path of a folder (display names)."""
    parts, seen, cur = [], set(), folder
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        parts.append(cur.display_name)
        cur = by_id.get(cur.parent_id or "")
    return "/".join(reversed(parts))


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def resolve_folder(folders: list[Folder], text: str) -> Folder:
    """A folder by id, well-known name, display name or path (case-insensitive).

    Raises:
        NotFound: no such folder.
        ConfigError: the name matches several folders (the paths are listed).
    """
    by_id = {f.id: f for f in folders}
    if text in by_id:
        return by_id[text]
    want = text.strip().strip("/")
    for f in folders:
        if f.well_known_name and _norm(f.well_known_name) == _norm(want):
            return f
    paths = {folder_path(f, by_id).casefold(): f for f in folders}
    if "/" in want and want.casefold() in paths:
        return paths[want.casefold()]
    named = [f for f in folders if f.display_name.casefold() == want.casefold()]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        choices = ", ".join(sorted(folder_path(f, by_id) for f in named))
        raise usage_error(f"folder {want!r} is ambiguous; use a path: {choices}", "--folder")
    raise NotFound(f"no mail folder {want!r}")


async def folders(ctx: Context) -> list[Folder]:
    """The folder tree, synced once first."""
    await ctx.services.mail_sync.sync_folders()
    return await ctx.account.mail.folders()


async def message(ctx: Context, message_id: str) -> Message:
    """The message (cached or fetched); ``NotFound`` names the id."""
    try:
        return await ctx.account.mail.message(MessageId(message_id))
    except NotFound:
        raise NotFound(f"no message with id {message_id!r}") from None
