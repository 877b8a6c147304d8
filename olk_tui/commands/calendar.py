"""``olk-tui calendar agenda|week|add|rsvp``: the calendar from scripts and cron.

Reads sync the calendar months they show first (calendarView delta), then answer from the
cache; ``add`` and ``rsvp`` go through the durable operation queue and the command waits until
the server confirmed them. Times are shown in the mailbox time zone; JSON carries ISO 8601
times with their UTC offset. Shapes and exit codes are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from olk_tui.commands.output import (
    Context,
    add_common_to,
    add_timeout,
    iso,
    person,
    print_json,
    print_table,
    run_command,
    usage_error,
)
from olk_tui.domain.calendar import Event
from olk_tui.domain.errors import NotFound
from olk_tui.domain.ids import EventId
from olk_tui.domain.operations import RespondToEvent, SaveEvent

#: Command-line answer -> (operation response, resulting responseStatus).
RESPONSES = {"accept": ("accept", "accepted"), "decline": ("decline", "declined"),
             "tentative": ("tentativelyAccept", "tentativelyAccepted")}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """The verbs and their options."""
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("agenda", help="events from today on")
    p.add_argument("--days", type=int, default=7, metavar="N", help="days to show (default 7)")
    p = verbs.add_parser("week", help="the week of a date (default: this week)")
    p.add_argument("--date", metavar="D", help="a day in the week (fri, 2026-12-03...)")
    p = verbs.add_parser("add", help='quick add: "Lunch with Ana fri 12:30 1h @Cafe"')
    p.add_argument("text", metavar="TEXT")
    add_timeout(p)
    p = verbs.add_parser("rsvp", help="answer a meeting request")
    p.add_argument("id", metavar="ID")
    p.add_argument("response", choices=tuple(RESPONSES), metavar="accept|decline|tentative")
    p.add_argument("--comment", default="", help="a note for the organiser")
    p.add_argument("--no-send", action="store_true",
                   help="record the answer without telling the organiser")
    add_timeout(p)
    for sub in verbs.choices.values():
        add_common_to(sub)


def run(args: argparse.Namespace) -> int:
    """Run the verb against the account."""
    jobs = {"agenda": agenda_job, "week": week_job, "add": add_job, "rsvp": rsvp_job}
    return run_command(args, jobs[args.verb])


# --------------------------------------------------------------------------- shapes


def event_json(e: Event, ctx: Context) -> dict[str, Any]:
    """One event or occurrence."""
    return {"id": e.id, "subject": e.subject, "start": iso(e.start, ctx.zone),
            "end": iso(e.end, ctx.zone), "isAllDay": e.is_all_day, "location": e.location,
            "organizer": person(e.organizer),
            "attendees": [{"name": a.who.name, "address": a.who.address, "type": a.type,
                           "response": a.response} for a in e.attendees],
            "response": e.response, "showAs": e.show_as, "isCancelled": e.is_cancelled,
            "isOrganizer": e.is_organizer, "type": e.type,
            "seriesMasterId": e.series_master_id, "calendarId": e.calendar_id,
            "onlineMeetingUrl": e.online_meeting_url, "categories": list(e.categories),
            "preview": e.body_preview}


def _day_first(ctx: Context) -> bool:
    return not ctx.account.settings.date_format.upper().startswith("M")


# --------------------------------------------------------------------------- reads


async def events_between(ctx: Context, start: datetime, end: datetime) -> list[Event]:
    """Sync the months covering ``[start, end)``, then the cached occurrences, by start."""
    from olk_tui.sync.pimsync import month_windows

    for s, e in month_windows(start, end):
        await ctx.services.pim_sync.sync_window(s, e)
    events = await ctx.account.calendar.events(start, end)
    return sorted(events, key=lambda e: (e.start, e.end, e.subject))


def _midnight(day: date, ctx: Context) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ctx.zone)


async def _show(ctx: Context, first: date, days: int) -> int:
    start, end = _midnight(first, ctx), _midnight(first + timedelta(days=days), ctx)
    events = await events_between(ctx, start, end)
    if ctx.args.json:
        print_json({"start": iso(start), "end": iso(end), "timeZone": _zone_label(ctx),
                    "events": [event_json(e, ctx) for e in events]})
        return 0
    _print_days(events, ctx, first, days)
    return 0


def _zone_label(ctx: Context) -> str:
    return ctx.account.settings.time_zone or str(ctx.zone)


def _print_days(events: list[Event], ctx: Context, first: date, days: int) -> None:
    from olk_tui.render.safe import safe_inline

    if not events:
        print("No events.")
        return
    for n in range(days):
        day = first + timedelta(days=n)
        lo, hi = _midnight(day, ctx), _midnight(day + timedelta(days=1), ctx)
        todays = [e for e in events if e.start < hi and e.end > lo]
        if not todays:
            continue
        print(day.strftime("%a %Y-%m-%d"))
        rows = []
        for e in todays:
            if e.is_all_day:
                when = "all day"
            else:
                s, t = e.start.astimezone(ctx.zone), e.end.astimezone(ctx.zone)
                when = f"{s:%H:%M}-{t:%H:%M}"
            notes = []
            if e.is_cancelled:
                notes.append("cancelled")
            elif not e.is_organizer and e.response not in ("accepted", "organizer"):
                notes.append(e.response)
            rows.append(["  " + when, safe_inline(e.subject, 200) or "(no subject)",
                         ("@" + safe_inline(e.location, 60)) if e.location else "",
                         ",".join(notes), safe_inline(e.id)])
        print_table(rows, [13, 40, 20, 14, None])


async def agenda_job(ctx: Context) -> int:
    """``calendar agenda [--days N]``."""
    days = ctx.args.days
    if not 1 <= days <= 366:
        raise usage_error("--days must be between 1 and 366", "--days")
    return await _show(ctx, ctx.now().date(), days)


async def week_job(ctx: Context) -> int:
    """``calendar week [--date D]``: seven days from the configured first day of the week."""
    from olk_tui.render.dates import parse_date

    day = ctx.now().date()
    if ctx.args.date:
        try:
            day = parse_date(ctx.args.date, ctx.now(), day_first=_day_first(ctx))
        except ValueError as exc:
            raise usage_error(str(exc), "--date") from None
    week_start = ctx.settings.ui.week_start.lower()
    first_weekday = WEEKDAYS.index(week_start) if week_start in WEEKDAYS else 0
    first = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return await _show(ctx, first, 7)


# --------------------------------------------------------------------------- changes


def _graph_time(when: datetime, ctx: Context) -> dict[str, str]:
    """Graph's dateTimeTimeZone, in the mailbox zone when it has a known name, else UTC."""
    from olk_tui.graph.timezones import zone_for

    name = ctx.account.settings.time_zone or ""
    if name and zone_for(name) is not None:
        local = when.astimezone(ctx.zone).replace(tzinfo=None)
        return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": name}
    utc = when.astimezone(UTC).replace(tzinfo=None)
    return {"dateTime": utc.isoformat(timespec="seconds"), "timeZone": "UTC"}


async def add_job(ctx: Context) -> int:
    """``calendar add TEXT``: a quick-add line becomes an event."""
    from olk_tui.render.dates import parse_quick_add

    try:
        quick = parse_quick_add(ctx.args.text, ctx.now(), day_first=_day_first(ctx))
    except ValueError as exc:
        raise usage_error(str(exc), "TEXT") from None
    start, end = quick.start, quick.end
    if quick.all_day:
        start = _midnight(start.astimezone(ctx.zone).date(), ctx)
        last = end.astimezone(ctx.zone)
        end = _midnight(last.date() + timedelta(days=0 if last.time() == time(0) else 1), ctx)
        end = max(end, start + timedelta(days=1))
    fields = {"subject": quick.subject, "start": _graph_time(start, ctx),
              "end": _graph_time(end, ctx), "isAllDay": quick.all_day,
              "location": {"displayName": quick.location},
              "showAs": "free" if quick.all_day else "busy"}
    op = SaveEvent(event_id=None, fields=fields, local_id=EventId(f"local-{uuid.uuid4().hex}"))
    await ctx.account.calendar.submit(op)
    await ctx.drain(op, ctx.args.timeout)
    created = [e for e in await events_between(ctx, start, end)
               if e.subject == quick.subject and e.start == start]
    event_id = created[0].id if created else None
    if ctx.args.json:
        print_json({"id": event_id, "subject": quick.subject, "start": iso(start, ctx.zone),
                    "end": iso(end, ctx.zone), "isAllDay": quick.all_day,
                    "location": quick.location, "status": "created"})
        return 0
    from olk_tui.render.safe import safe_inline

    when = (f"{start:%a %Y-%m-%d} (all day)" if quick.all_day
            else f"{start.astimezone(ctx.zone):%a %Y-%m-%d %H:%M}-"
                 f"{end.astimezone(ctx.zone):%H:%M}")
    where = f" @{safe_inline(quick.location, 60)}" if quick.location else ""
    print(f"Added {safe_inline(quick.subject, 120)!r} {when}{where}"
          + (f"  {safe_inline(event_id)}" if event_id else ""))
    return 0


async def rsvp_job(ctx: Context) -> int:
    """``calendar rsvp ID accept|decline|tentative [--comment ...] [--no-send]``."""
    args = ctx.args
    try:
        event = await ctx.account.calendar.event(EventId(args.id))
    except NotFound:
        raise NotFound(f"no event with id {args.id!r}") from None
    if event.is_organizer:
        raise usage_error("you organise this meeting; there is no invitation to answer", "ID")
    action, status = RESPONSES[args.response]
    op = RespondToEvent(event_id=event.id, response=action, comment=args.comment,
                        send_response=not args.no_send)
    await ctx.account.calendar.submit(op)
    await ctx.drain(op, args.timeout)
    if args.json:
        print_json({"id": event.id, "response": status, "sendResponse": not args.no_send,
                    "status": "done"})
    else:
        from olk_tui.render.safe import safe_inline

        label = {"accept": "Accepted", "decline": "Declined", "tentative": "Tentative"}
        print(f"{label[args.response]}: {safe_inline(event.subject, 120) or '(no subject)'}")
    return 0
