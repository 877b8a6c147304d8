"""Configuration: typed dataclasses read from TOML with ``tomllib`` and validated.

Each field's docstring (the string literal under it) is the documentation of that option;
``docs/configuration.md`` is generated from them. Errors name the file, the key, the bad value
and what is allowed; the app never starts half-configured.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olk_tui.domain.errors import ConfigError

#: Graph base URL and authority host per national cloud (FACTS.md #39).
CLOUDS: dict[str, tuple[str, str]] = {
    "global": ("https://graph.microsoft.com", "https://login.microsoftonline.com"),
    "usgov": ("https://graph.microsoft.us", "https://login.microsoftonline.us"),
    "usgov-dod": ("https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
    "china": ("https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn"),
}

DEFAULT_SCOPES: tuple[str, ...] = (
    "User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "Contacts.ReadWrite",
    "MailboxSettings.ReadWrite", "People.Read", "offline_access",
)

AUTH_FLOWS = ("device_code", "browser", "client_credentials")


@dataclass(frozen=True)
class AccountConfig:
    """One Outlook account (``[[accounts]]`` table)."""

    name: str = "default"
    """Short name shown in the status line and used for the cache and token files."""

    client_id: str = ""
    """Application (client) id of your Entra app registration (see README, "Register an app")."""

    tenant: str = "common"
    """Tenant id or domain, or "common" / "organizations" / "consumers"."""

    cloud: str = "global"
    """National cloud: global, usgov, usgov-dod or china."""

    auth_flow: str = "device_code"
    """Sign-in flow: device_code (default, works over SSH), browser (PKCE on a loopback
    redirect) or client_credentials (app-only; needs user_id and a secret from keyring or the
    OLK_TUI_CLIENT_SECRET environment variable, never from this file)."""

    user_id: str = ""
    """For client_credentials, shared mailboxes and delegated access: the mailbox to open
    (``/users/{user_id}``). Empty means ``/me``."""

    scopes: tuple[str, ...] = DEFAULT_SCOPES
    """Delegated scopes to request."""

    emulator: str = ""
    """Base URL of a running olk-tui Graph emulator to use instead of Microsoft (testing)."""

    graph_url: str = ""
    """Override the Graph base URL (normally taken from ``cloud``)."""

    authority_host: str = ""
    """Override the sign-in authority host (normally taken from ``cloud``)."""

    @property
    def graph_base(self) -> str:
        """Graph base URL without the version segment."""
        if self.emulator:
            return self.emulator.rstrip("/")
        return (self.graph_url or CLOUDS[self.cloud][0]).rstrip("/")

    @property
    def authority(self) -> str:
        """Full MSAL authority URL."""
        host = self.emulator or self.authority_host or CLOUDS[self.cloud][1]
        return f"{host.rstrip('/')}/{self.tenant}"


@dataclass(frozen=True)
class UiConfig:
    """``[ui]``: look and behaviour of the terminal UI."""

    theme: str = "textual-dark"
    """A Textual theme name (``textual-dark``, ``nord``, ``gruvbox``, ...)."""

    keys: str = "vim"
    """Key set: "vim" or "mutt"."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Remap bindings by id, e.g. ``{"mail.delete" = "x"}``."""

    favourites: tuple[str, ...] = ()
    """Folders pinned at the top of the folder tree, by display name or path
    (``["Projects/Apollo", "Receipts"]``)."""

    mark_read: str = "immediately"
    """When an opened message is marked read: "immediately", "never" or a number of seconds."""

    week_start: str = "monday"
    """First day of the calendar week."""

    work_week: bool = False
    """Show only working days in the week view."""

    show_declined: bool = False
    """Show declined events (dimmed) in the calendar."""

    bell: bool = False
    """Ring the terminal bell on new mail and reminders."""

    new_mail_hook: tuple[str, ...] = ()
    """Command run on new Inbox mail, as a list (``["notify-send", "Mail"]``); the sender and
    subject are appended as two arguments, and the account's name is in the
    ``OLK_TUI_ACCOUNT`` environment variable. Runs for every account, never through a shell."""

    notify_new_mail: bool = True
    """Show a toast with sender and subject when new mail arrives in the Inbox."""

    download_folder_prompt: bool = True
    """Ask where to save an attachment (default folder pre-filled) instead of saving at once."""


@dataclass(frozen=True)
class ComposeConfig:
    """``[compose]``: writing mail."""

    quoting: str = "outlook"
    """Reply style: "outlook" (top-posting over a header block) or "inline" (``>`` quoting)."""

    signature: str = ""
    """Text placed above the quote in new mail, replies and forwards."""

    markdown: bool = False
    """Turn the plain-text body into HTML with Markdown."""

    from_addresses: tuple[str, ...] = ()
    """Other addresses you may send as (aliases, shared mailboxes with Send As or Send on
    Behalf rights), offered in the composer's From field, e.g. ``["Sales <sales@contoso.com>"]``."""


@dataclass(frozen=True)
class SyncConfig:
    """``[sync]``: background refresh."""

    interval: int = 60
    """Seconds between delta polls of the Inbox (other folders: four times as long)."""

    page_size: int = 200
    """``Prefer: odata.maxpagesize`` for delta pages."""


@dataclass(frozen=True)
class Settings:
    """The whole configuration."""

    accounts: tuple[AccountConfig, ...] = ()
    """Accounts; the first is opened at start."""

    ui: UiConfig = field(default_factory=UiConfig)
    """UI options."""

    compose: ComposeConfig = field(default_factory=ComposeConfig)
    """Composer options."""

    sync: SyncConfig = field(default_factory=SyncConfig)
    """Sync options."""

    download_dir: str = ""
    """Folder for saved attachments (default: the platform's downloads folder)."""

    http_trace: str = ""
    """Append one JSON line per Graph request to this file (secrets redacted)."""

    path: str = ""
    """The file this was read from (set by the loader)."""


_CHOICES: dict[str, tuple[str, ...]] = {
    "cloud": tuple(CLOUDS),
    "auth_flow": AUTH_FLOWS,
    "keys": ("vim", "mutt"),
    "quoting": ("outlook", "inline"),
    "week_start": ("monday", "sunday", "saturday"),
}


def _build(cls: type, raw: Any, path: str, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"expected a table, got {type(raw).__name__}", path=path, key=prefix)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{prefix}.{key}" if prefix else key
        f = fields.get(key)
        if f is None or key == "path":
            allowed = ", ".join(sorted(n for n in fields if n != "path"))
            raise ConfigError(f"unknown option {key!r} (allowed: {allowed})", path=path, key=where)
        kwargs[key] = _coerce(f, value, path, where)
    return cls(**kwargs)


def _coerce(f: dataclasses.Field[Any], value: Any, path: str, where: str) -> Any:
    kind = str(f.type)
    if kind.startswith("tuple[AccountConfig"):
        if not isinstance(value, list):
            raise ConfigError("expected an array of tables [[accounts]]", path=path, key=where)
        return tuple(_build(AccountConfig, v, path, f"{where}[{i}]") for i, v in enumerate(value))
    for name, cls in (("UiConfig", UiConfig), ("ComposeConfig", ComposeConfig),
                      ("SyncConfig", SyncConfig)):
        if kind == name:
            return _build(cls, value, path, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"expected true or false, got {value!r}", path=path, key=where)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"expected a positive whole number, got {value!r}", path=path,
                              key=where)
        return value
    if kind.startswith("tuple[str"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"expected a list of strings, got {value!r}", path=path, key=where)
        return tuple(value)
    if kind.startswith("dict[str, str]"):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"expected a table of strings, got {value!r}", path=path, key=where)
        return dict(value)
    if not isinstance(value, str):
        raise ConfigError(f"expected a string, got {value!r}", path=path, key=where)
    choices = _CHOICES.get(f.name)
    if choices and value not in choices:
        raise ConfigError(f"{value!r} is not one of {', '.join(choices)}", path=path, key=where)
    if f.name in {"client_secret", "secret"}:
        raise ConfigError("secrets never go in the config file", path=path, key=where)
    return value


def parse_settings(text: str, path: str = "<config>") -> Settings:
    """Parse and validate TOML text.

    Raises:
        ConfigError: naming the file, line or key and the problem.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None
    if "client_secret" in str(raw.get("accounts", "")):
        raise ConfigError("client_secret must not be in the config file; use keyring or the "
                          "OLK_TUI_CLIENT_SECRET environment variable", path=path)
    settings = _build(Settings, raw, path, "")
    for i, acc in enumerate(settings.accounts):
        if acc.auth_flow == "client_credentials" and not acc.user_id:
            raise ConfigError("client_credentials needs user_id (the mailbox to open)",
                              path=path, key=f"accounts[{i}].user_id")
    names = [a.name for a in settings.accounts]
    if len(set(names)) != len(names):
        raise ConfigError("account names must be unique", path=path, key="accounts")
    return dataclasses.replace(settings, path=path)


def load_settings(path: Path) -> Settings:
    """Read the config file; a missing file gives the defaults (no accounts)."""
    if not path.exists():
        return Settings(path=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
    return parse_settings(text, str(path))
