"""Every key binding of the mail UI, with an id, in a vim-style and a mutt-style key set.

Widgets take their ``BINDINGS`` from :func:`bindings` (vim keys are the defaults); the app
applies :func:`keymap_for` with Textual's ``set_keymap``, which replaces keys by binding id:
the mutt set first (when chosen), then the user's ``[ui] keymap`` table. The other screens'
bindings (calendar, contacts, composer, ...) are collected by :mod:`olk_tui.ui.keyspecs`, so
remapping, the help screen and ``docs/keys.md`` cover every binding id.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One binding: id, action, description, keys in each set, shown in the footer or not.

    ``group`` is where its keys must be unique (default: the id's section).
    """

    id: str
    action: str
    description: str
    vim: str
    mutt: str
    show: bool = False
    group: str = ""

    @property
    def scope(self) -> str:
        """Where the keys must not clash: ``group`` or the id's section."""
        return self.group or self.id.split(".", 1)[0]


SECTIONS = {"app": "Everywhere", "mail": "Message list", "folders": "Folder tree",
            "reader": "Reader", "search": "Search", "calendar": "Calendar",
            "contacts": "Contacts", "compose": "Composer", "outbox": "Outbox",
            "settings": "Mailbox settings", "dialog": "Dialogs", "help": "Help"}

SPECS: tuple[KeySpec, ...] = (
    KeySpec("app.mode.mail", "app.switch_mode('mail')", "Mail", "1", "1"),
    KeySpec("app.mode.calendar", "app.switch_mode('calendar')", "Calendar", "2", "2"),
    KeySpec("app.mode.contacts", "app.switch_mode('contacts')", "Contacts", "3", "3"),
    KeySpec("app.settings", "app.mailbox_settings", "Mailbox settings", "4", "4"),
    KeySpec("app.outbox", "app.outbox", "Outbox", "5", "5"),
    KeySpec("app.account.next", "app.next_account", "Next account", "ctrl+n", "ctrl+n"),
    KeySpec("app.sign_in", "app.sign_in", "Sign in", "ctrl+g", "ctrl+g"),
    KeySpec("app.help", "app.help", "Help", "question_mark", "question_mark", True),
    KeySpec("app.palette", "app.command_palette", "Commands", "ctrl+p", "ctrl+p"),
    KeySpec("app.quit", "app.quit", "Quit", "ctrl+q", "ctrl+q"),
    KeySpec("mail.down", "cursor_down", "Next message", "j,down", "j,down"),
    KeySpec("mail.up", "cursor_up", "Previous message", "k,up", "k,up"),
    KeySpec("mail.page_down", "page_down", "Page down", "ctrl+d,pagedown", "pagedown,right"),
    KeySpec("mail.page_up", "page_up", "Page up", "ctrl+u,pageup", "pageup,left"),
    KeySpec("mail.top", "top", "First message", "g,home", "home,equals_sign"),
    KeySpec("mail.bottom", "bottom", "Last message", "G,end", "end,asterisk"),
    KeySpec("mail.open", "open", "Open", "enter,l", "enter", True),
    KeySpec("mail.toggle_read", "screen.toggle_read", "Read/unread", "U", "N", True),
    KeySpec("mail.flag", "screen.flag_menu", "Flag", "s", "F", True),
    KeySpec("mail.categories", "screen.categories", "Categories", "c", "Y"),
    KeySpec("mail.delete", "screen.delete", "Delete", "d", "d", True),
    KeySpec("mail.archive", "screen.archive", "Archive", "e", "A", True),
    KeySpec("mail.move", "screen.move", "Move", "m", "s", True),
    KeySpec("mail.undo", "screen.undo", "Undo", "u", "u", True),
    KeySpec("mail.tag", "tag", "Tag", "t", "t"),
    KeySpec("mail.tag_range", "tag_range", "Tag range from last tag", "V", "V"),
    KeySpec("mail.tag_all", "screen.tag_all", "Tag all in view", "ctrl+a", "ctrl+a"),
    KeySpec("mail.tag_pattern", "screen.tag_pattern", "Tag by pattern", "T", "T"),
    KeySpec("mail.escape", "screen.escape", "Clear tags, search or filter", "escape", "escape"),
    KeySpec("mail.sort", "screen.toggle_sort", "Oldest/newest first", "o", "o"),
    KeySpec("mail.threads", "screen.toggle_threads", "Conversation view", "v", "v"),
    KeySpec("mail.thread", "toggle_thread", "Open/close conversation", "space", "space"),
    KeySpec("mail.filter", "screen.filter_menu", "Quick filter", "F", "l"),
    KeySpec("mail.search", "screen.search", "Search", "slash", "slash", True),
    KeySpec("mail.folder_jump", "screen.folder_jump", "Go to folder", "b", "c", True),
    KeySpec("mail.folders", "screen.focus_folders", "Folder tree", "h", "tab"),
    KeySpec("mail.refresh", "screen.refresh", "Sync now", "dollar_sign", "dollar_sign"),
    KeySpec("mail.compose", "screen.compose('new')", "New message", "n", "m"),
    KeySpec("mail.reply", "screen.compose('reply')", "Reply", "r", "r"),
    KeySpec("mail.reply_all", "screen.compose('replyAll')", "Reply all", "R", "g"),
    KeySpec("mail.forward", "screen.compose('forward')", "Forward", "f", "f"),
    KeySpec("mail.quit", "app.quit", "Quit", "q", "q"),
    KeySpec("folders.open", "select_cursor", "Open folder", "enter,l", "enter"),
    KeySpec("folders.toggle", "toggle_node", "Collapse/expand", "space", "space"),
    KeySpec("folders.down", "cursor_down", "Next folder", "j,down", "j,down"),
    KeySpec("folders.up", "cursor_up", "Previous folder", "k,up", "k,up"),
    KeySpec("folders.new", "screen.new_folder", "New folder", "N", "a"),
    KeySpec("folders.rename", "screen.rename_folder", "Rename folder", "R", "r"),
    KeySpec("folders.move", "screen.move_folder", "Move folder", "M", "s"),
    KeySpec("folders.delete", "screen.delete_folder", "Delete folder", "D", "d"),
    KeySpec("folders.list", "screen.focus_list", "Back to messages", "escape", "escape"),
    KeySpec("reader.back", "back", "Back", "q,escape", "q,i", True),
    KeySpec("reader.down", "scroll_body(1)", "Scroll down", "j,down", "down"),
    KeySpec("reader.up", "scroll_body(-1)", "Scroll up", "k,up", "up"),
    KeySpec("reader.page_down", "scroll_body(20)", "Page down", "space,ctrl+d", "space"),
    KeySpec("reader.page_up", "scroll_body(-20)", "Page up", "b,ctrl+u", "minus"),
    KeySpec("reader.next", "step(1)", "Next message", "J", "j", True),
    KeySpec("reader.previous", "step(-1)", "Previous message", "K", "k", True),
    KeySpec("reader.reply", "compose('reply')", "Reply", "r", "r", True),
    KeySpec("reader.reply_all", "compose('replyAll')", "Reply all", "R", "g"),
    KeySpec("reader.forward", "compose('forward')", "Forward", "f", "f"),
    KeySpec("reader.unread", "mark_unread", "Mark unread", "U", "N"),
    KeySpec("reader.flag", "flag_menu", "Flag", "s", "F"),
    KeySpec("reader.move", "move", "Move", "m", "s"),
    KeySpec("reader.delete", "delete", "Delete", "d", "d", True),
    KeySpec("reader.archive", "archive", "Archive", "e", "A"),
    KeySpec("reader.headers", "toggle_headers", "All headers", "H", "h"),
    KeySpec("reader.source", "toggle_source", "HTML source", "S", "e"),
    KeySpec("reader.quotes", "toggle_quotes", "Fold quoted text", "z", "T"),
    KeySpec("reader.open_link", "link('open')", "Open link by number", "o", "o"),
    KeySpec("reader.copy_link", "link('copy')", "Copy link by number", "y", "y"),
    KeySpec("reader.web", "open_web", "Open in Outlook on the web", "W", "W"),
    KeySpec("reader.save", "save_attachments", "Save attachments", "a", "v"),
    KeySpec("reader.open_attachment", "open_attachment", "Open an attachment", "O", "O"),
    KeySpec("search.scope", "toggle_scope", "This folder / all folders", "ctrl+t", "ctrl+t"),
    KeySpec("search.close", "close", "Close search", "escape", "escape"),
)

def bindings(section: str) -> list[Binding]:
    """The ``BINDINGS`` of one section, with vim keys as the defaults and ids set."""
    return [Binding(s.vim, s.action, s.description, show=s.show, id=s.id)
            for s in SPECS if s.id.split(".", 1)[0] == section]


def keymap_for(keys: str, overrides: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap for Textual's ``set_keymap`` and the problems found in ``overrides``.

    The other screens' bindings (:mod:`olk_tui.ui.keyspecs`, which imports every screen) are
    collected only when ``overrides`` names an id that is not a mail/app one: with the
    default config the app builds its keymap before the first paint without loading them.
    Their default keys live in their own groups, so they cannot clash with the mail keys.

    Args:
        keys: "vim" or "mutt".
        overrides: the user's ``[ui] keymap`` table, binding id -> key(s).

    Returns:
        (binding id -> keys, readable problems such as unknown ids).
    """
    base = {s.id for s in SPECS}
    specs = SPECS if base.issuperset(overrides) else _all_specs()
    known = base if specs is SPECS else {s.id for s in specs}
    keymap = {s.id: s.mutt for s in SPECS if keys == "mutt" and s.mutt != s.vim}
    problems: list[str] = []
    for binding_id, key in overrides.items():
        if binding_id not in known:
            problems.append(f"keymap: unknown binding id {binding_id!r}")
            continue
        if not key.strip():
            problems.append(f"keymap: empty key for {binding_id!r}")
            continue
        keymap[binding_id] = key
    return keymap, problems + clashes(keymap, specs)


def _all_specs() -> tuple[KeySpec, ...]:
    from olk_tui.ui.keyspecs import all_specs

    return all_specs()


def clashes(keymap: dict[str, str], specs: tuple[KeySpec, ...] | None = None) -> list[str]:
    """Keys that two bindings of one section would share after remapping (the first one
    listed would silently win), and keys that hide an app-wide binding.

    The other screens' own defaults may shadow an app key on purpose (``?`` closes the help
    screen); for them only a key the user remapped is checked against the app-wide keys.

    Args:
        keymap: binding id -> keys in force.
        specs: the bindings to check (default: every screen's).
    """
    used: dict[tuple[str, str], str] = {}
    out: list[str] = []
    for spec in specs if specs is not None else _all_specs():
        section = spec.scope
        app_wide = section != "app" and (not spec.group or spec.id in keymap)
        for key in (k.strip() for k in keymap.get(spec.id, spec.vim).split(",")):
            for where in {section, "app"} if app_wide else {section}:
                other = used.get((where, key))
                if other is not None and other != spec.id:
                    out.append(f"keymap: {other} and {spec.id} share the key {key!r}")
            used.setdefault((section, key), spec.id)
    return out


def effective_keys(keymap: dict[str, str]) -> list[tuple[str, KeySpec, str]]:
    """(section title, spec, keys in use) for every binding of every screen: what the help
    screen lists."""
    from olk_tui.ui.keyspecs import all_specs, section_of, section_title

    return [(section_title(section_of(s)), s, keymap.get(s.id, s.vim)) for s in all_specs()]
