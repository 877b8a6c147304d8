"""``olk-tui contacts find TEXT``: look people up from scripts (e.g. for a mutt query).

The contacts are synced first (contacts delta per folder: one request per unchanged folder
after the first run), then searched in the cache by name, address, company and phone.
"""

from __future__ import annotations

import argparse
from typing import Any

from olk_tui.commands.output import (
    Context,
    add_common_to,
    people,
    print_json,
    print_table,
    run_command,
    usage_error,
)
from olk_tui.domain.contacts import Contact, PhysicalAddress


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """The ``find`` verb."""
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("find", help="contacts whose name, address or company match TEXT")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    add_common_to(p)


def run(args: argparse.Namespace) -> int:
    """Run the verb against the account."""
    return run_command(args, find_job)


def _address(a: PhysicalAddress | None) -> dict[str, str] | None:
    if a is None:
        return None
    return {"street": a.street, "city": a.city, "state": a.state, "postalCode": a.postal_code,
            "country": a.country}


def contact_json(c: Contact) -> dict[str, Any]:
    """One contact."""
    return {"id": c.id, "displayName": c.display_name, "givenName": c.given_name,
            "surname": c.surname, "emails": people(c.emails),
            "businessPhones": list(c.business_phones), "mobilePhone": c.mobile_phone,
            "homePhones": list(c.home_phones), "companyName": c.company_name,
            "jobTitle": c.job_title, "department": c.department,
            "businessAddress": _address(c.business_address),
            "homeAddress": _address(c.home_address),
            "birthday": c.birthday.isoformat() if c.birthday else None,
            "categories": list(c.categories), "folderId": c.folder_id}


async def find_job(ctx: Context) -> int:
    """``contacts find TEXT``."""
    from olk_tui.render.safe import safe_address, safe_inline

    text = ctx.args.text.strip()
    if not text:
        raise usage_error("give some text to look for", "TEXT")
    if ctx.args.limit < 1:
        raise usage_error("--limit must be at least 1", "--limit")
    await ctx.services.pim_sync.sync_contacts()
    found = await ctx.account.contacts.contacts(text, ctx.args.limit)
    if ctx.args.json:
        print_json({"query": text, "count": len(found),
                    "contacts": [contact_json(c) for c in found]})
        return 0
    if not found:
        print("No contacts found.")
        return 0
    rows = []
    for c in found:
        email = c.emails[0].address if c.emails else ""
        phone = c.mobile_phone or (c.business_phones[0] if c.business_phones else "")
        rows.append([safe_inline(c.display_name, 60) or "(no name)", safe_address(email, 80),
                     safe_inline(c.company_name, 40), safe_inline(phone, 30)])
    print_table(rows, [None, None, None, None])
    return 0
