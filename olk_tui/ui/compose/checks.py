"""What to tell the user before a send: blocking problems and warnings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from olk_tui.domain.mail import Recipient
from olk_tui.render.quote import mentions_attachment
from olk_tui.ui.compose.attachments import AttachmentInfo


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a draft; a blocker must be fixed, a warning can be confirmed."""

    text: str
    blocker: bool = False


def send_problems(*, recipients: Sequence[Recipient], field_errors: Mapping[str, Sequence[str]],
                  subject: str, text: str, attachments: Sequence[AttachmentInfo],
                  forwards_attachments: bool = False) -> list[Problem]:
    """Problems with a draft about to be sent, blockers first.

    Args:
        recipients: every valid To, Cc and Bcc recipient.
        field_errors: per field label ("To", "Cc", ...), the address errors found.
        subject: the subject line.
        text: what the user wrote (the quoted original excluded).
        attachments: files added, re-inspected just now.
        forwards_attachments: a forward carries the original's attachments, so mentioning
            "attached" without adding a file is fine.
    """
    problems = [Problem(f"{label}: {error}", blocker=True)
                for label, errors in field_errors.items() for error in errors]
    if not recipients:
        problems.append(Problem("No recipients: add someone in To, Cc or Bcc", blocker=True))
    problems += [Problem(a.problem, blocker=True) for a in attachments if not a.ok]
    if not subject.strip():
        problems.append(Problem("The subject is empty"))
    if not attachments and not forwards_attachments and mentions_attachment(text):
        problems.append(Problem("The text mentions an attachment, but nothing is attached"))
    return problems
