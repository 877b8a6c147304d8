"""Config parsing: defaults, valid files and every kind of invalid value."""

import pytest

from olk_tui.config import DEFAULT_SCOPES, parse_settings
from olk_tui.domain.errors import ConfigError


def test_empty_config_gives_defaults() -> None:
    s = parse_settings("")
    assert s.accounts == ()
    assert s.ui.keys == "vim"


def test_account_fields_and_cloud_urls() -> None:
    s = parse_settings(
        '[[accounts]]\nname = "work"\nclient_id = "abc"\ncloud = "usgov"\ntenant = "contoso.com"\n'
    )
    acc = s.accounts[0]
    assert acc.graph_base == "https://graph.microsoft.us"
    assert acc.authority == "https://login.microsoftonline.us/contoso.com"
    assert acc.scopes == DEFAULT_SCOPES


def test_emulator_overrides_both_hosts() -> None:
    acc = parse_settings('[[accounts]]\nemulator = "http://127.0.0.1:9999/"\n').accounts[0]
    assert acc.graph_base == "http://127.0.0.1:9999"
    assert acc.authority == "http://127.0.0.1:9999/common"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[ui\n", "not valid TOML"),
        ("[ui]\nkeys = 'emacs'\n", "ui.keys"),
        ("[ui]\nbell = 'yes'\n", "expected true or false"),
        ("[sync]\ninterval = -5\n", "sync.interval"),
        ("[ui]\ncolour = 'red'\n", "unknown option 'colour'"),
        ("[[accounts]]\ncloud = 'mars'\n", "accounts[0].cloud"),
        ("[[accounts]]\nclient_secret = 's3cret'\n", "client_secret must not be"),
        ("[[accounts]]\nauth_flow = 'client_credentials'\n", "needs user_id"),
        ("[[accounts]]\nname='a'\n[[accounts]]\nname='a'\n", "unique"),
        ("[[accounts]]\nscopes = 'Mail.Read'\n", "list of strings"),
        ("ui = 3\n", "expected a table"),
    ],
)
def test_invalid_config_names_the_key(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(text, "/home/u/.config/olk-tui/config.toml")
    assert needle in str(err.value)
    assert "/home/u/.config/olk-tui/config.toml" in str(err.value)
    assert "s3cret" not in str(err.value)
