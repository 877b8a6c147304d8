"""Word lists the demo mailbox is generated from (names, companies, subjects, sentences) and
the small binary attachments it reuses (a PDF, a PNG, an XLSX and an ICS file)."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from functools import cache

FIRST_NAMES = (
    "Adele", "Alex", "Allan", "Ashley", "Ben", "Bianca", "Carlos", "Chen", "Christie", "Dana",
    "Debra", "Diego", "Elena", "Emily", "Enrico", "Farah", "Gareth", "Grady", "Hana", "Henrietta",
    "Irene", "Isaiah", "Ivan", "Jamal", "Joni", "Johanna", "Kai", "Keiko", "Lee", "Lidia",
    "Lynne", "Mateo", "Maya", "Miriam", "Nestor", "Nia", "Omar", "Patti", "Pradeep", "Priya",
    "Quinn", "Raul", "Rosa", "Sam", "Sanjay", "Sofia", "Tariq", "Tomas", "Uma", "Valeria",
    "Wei", "Yara", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adams", "Baker", "Bauer", "Brooks", "Campbell", "Chowdhury", "Costa", "Dubois", "Evans",
    "Fernandez", "Fischer", "Garcia", "Gray", "Haddad", "Holloway", "Ito", "Jensen", "Kim",
    "Kowalski", "Langer", "Lorenz", "Martin", "Mendes", "Nakamura", "Nguyen", "Novak", "Okafor",
    "Olsen", "Patel", "Petrov", "Quinn", "Robbins", "Rossi", "Sato", "Schmidt", "Siciliani",
    "Silva", "Singh", "Swope", "Tanaka", "Vance", "Walker", "Wilber", "Wilke", "Yilmaz", "Zhang",
)
COMPANIES = (
    ("Contoso", "contoso.example"), ("Fabrikam", "fabrikam.example"),
    ("Northwind Traders", "northwind.example"), ("Adatum", "adatum.example"),
    ("Tailspin Toys", "tailspin.example"), ("Wingtip Toys", "wingtip.example"),
    ("Litware", "litware.example"), ("Woodgrove Bank", "woodgrove.example"),
    ("Proseware", "proseware.example"), ("Lamna Healthcare", "lamna.example"),
)
JOB_TITLES = (
    "Product Manager", "Software Engineer", "Designer", "Marketing Manager", "Sales Lead",
    "Account Executive", "Finance Analyst", "Program Manager", "Recruiter", "Director",
    "Support Engineer", "Data Scientist", "Legal Counsel", "Office Manager",
)
DEPARTMENTS = ("Engineering", "Sales & Marketing", "Finance", "Operations", "Legal", "HR")
PROJECTS = ("Apollo", "Zephyr", "Falcon", "Mercury", "Orion", "Nimbus")
SUBJECTS = (
    "{project} status update", "Quarterly report draft", "Lunch on {day}?",
    "Budget approval for {project}", "Design review notes", "Travel plans for {month}",
    "Team offsite agenda", "Invoice {num}", "Customer feedback on {project}",
    "Hiring plan for {quarter}", "{project} launch checklist", "Question about the contract",
    "Slides for {day}'s meeting", "Updated timeline", "Welcome to the team!",
    "Action items from today", "Security training reminder", "Expense report {num}",
    "Follow-up: {project} demo", "Can you review this by {day}?", "Office move on {month} 14",
    "Roadmap feedback", "Vendor shortlist", "Bug bash results for {project}",
)
SENTENCES = (
    "I've attached the latest numbers so you can take a look before we meet.",
    "Let me know if anything looks off; I'm happy to walk through it.",
    "The team made good progress this week and we're on track for the milestone.",
    "Could you share your thoughts by the end of the week?",
    "We still need sign-off from finance before we can move forward.",
    "I moved the review to next week so everyone can attend.",
    "Thanks again for your help with the customer escalation.",
    "Here is a summary of what we agreed on in the meeting.",
    "The vendor confirmed the delivery date, so we should be fine.",
    "I'll be out of office on Friday, so please reach out to Adele if anything comes up.",
    "We decided to keep the scope as is and revisit it in the next planning cycle.",
    "Please double-check the figures in the second tab of the spreadsheet.",
    "Great work on the demo, the feedback was very positive.",
    "Do you have time for a quick call tomorrow morning?",
    "I've added a few comments inline; most of them are minor.",
    "The deadline is tight, but I think it's doable if we start now.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SPAM_SUBJECTS = ("You have WON a $1000 gift card!!!", "Urgent: verify your account now",
                 "Cheap meds, no prescription", "Re: your invoice is overdue (action needed)",
                 "Hot singles in your area", "Claim your crypto reward today")
RECEIPTS = (("Contoso Airlines", "receipts@air.contoso.example", "Your e-ticket receipt"),
            ("Fabrikam Store", "orders@store.fabrikam.example", "Your order has shipped"),
            ("Northwind Coffee", "hello@northwind.example", "Thanks for your purchase"),
            ("Adatum Cloud", "billing@adatum.example", "Your monthly invoice"))


@cache
def pdf_bytes(pages: int = 1) -> bytes:
    """A small, valid PDF with ``pages`` text pages (cached; shared by every message)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [{}] /Count {} >>".format(
                   " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)), pages)]
    for i in range(pages):
        text = f"BT /F1 18 Tf 72 720 Td (olk-tui demo report, page {i + 1}) Tj ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "
                       f"{4 + 2 * i} 0 R /Resources << /Font << /F1 << /Type /Font /Subtype "
                       f"/Type1 /BaseFont /Helvetica >> >> >> >>")
        objects.append(f"<< /Length {len(text)} >>\nstream\n{text}\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


@cache
def png_bytes(size: int = 16) -> bytes:
    """A valid ``size`` x ``size`` RGB PNG with a simple gradient."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 16 % 256, y * 16 % 256, 160)) for x in range(size))
        for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@cache
def xlsx_bytes() -> bytes:
    """A minimal XLSX (an Office Open XML zip) with one sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'))
        zf.writestr("xl/workbook.xml", (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
            '<sheet name="Budget" sheetId="1"/></sheets></workbook>'))
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return out.getvalue()


def ics_text(subject: str, start: str, end: str, uid: str) -> bytes:
    """A one-event iCalendar file."""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//olk-tui//demo//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{subject}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@cache
def b64(kind: str) -> str:
    """Cached base64 of the shared attachment bodies ("pdf", "bigpdf", "png", "xlsx")."""
    raw = {"pdf": lambda: pdf_bytes(1), "bigpdf": lambda: pdf_bytes(400),
           "png": lambda: png_bytes(16), "xlsx": xlsx_bytes}[kind]()
    return base64.b64encode(raw).decode("ascii")
