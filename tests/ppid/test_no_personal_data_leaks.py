"""No applicant's personal data on any public page or API (UU 14/2008 and UU 27/2022; #12).

Over the demo portal, which holds the demo's information requests (``satudata.demo.ppid``), an
anonymous visitor crawls the public site breadth-first from ``/`` and ``/ppid`` and reads the
public APIs, feeds and reports; no response may carry a demo applicant's (or proxy's) name, NIK
(also written in groups), identity number, email, phone number or address. The detector is
proven on planted leaks, in text and inside XLSX and PDF files, so the crawl can fail.

Read-only: downloads are read with ``Range`` requests, which are not counted.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import re
import time
import zlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from satudata.demo.ppid import APPLICANTS, PROXIES, REQUESTS, Applicant
from satudata.ppid.models import ApplicantType

MAX_PAGES = 400  # the crawl's cap (the demo portal has fewer public pages than this)
MAX_BYTES = 2_000_000  # a download larger than this is not read
MAX_QUERY_VARIANTS = 12  # per path: pagination and a few filters, not every facet combination
MAX_DOWNLOADS = 30  # table files and their exports hold the tables' figures: a sample is enough
SKIP = ("/keluar", "/static/", "/kelola", "/admin", "/akun")  # sign-out, assets, the signed-in pages
DOWNLOADS = re.compile(r"/download$|/unduh\.[a-z]+$|/berkas/|\.(?:xlsx|pdf|zip|csv)$")
# A dataset's Turtle and RDF/XML say what its JSON-LD says (the catalogue's are read whole).
SAME_AS_JSONLD = re.compile(r"^/dataset/[^/]+\.(?:ttl|rdf)$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXTUAL = ("text/", "application/json", "application/ld+json", "application/xml", "application/rdf+xml",
           "application/javascript", "application/problem+json", "application/geo+json", "application/x-ndjson")


# --------------------------------------------------------------------------- the detector


@dataclass(frozen=True)
class Leak:
    who: str  # the applicant's key
    kind: str  # name, nik, identity, email, phone, address
    value: str


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def phone_forms(phone: str) -> tuple[str, ...]:
    """The digit strings a phone number is written as: 0812..., 62812... (and +62 812...); a
    foreign number with its country code."""
    digits = _digits(phone)
    if phone.strip().startswith("+") and not digits.startswith("62"):
        return (digits,)
    national = digits[2:] if digits.startswith("62") else digits.removeprefix("0")
    return ("0" + national, "62" + national)


# Separators people put inside a NIK or a phone number: spaces, dots, dashes, brackets.
_INSIDE_NUMBER = re.compile(r"(?<=\d)[\s.\-()\u00a0]{1,3}(?=\d)")
_LONG_NUMBER = re.compile(r"\d{9,}")
_TAG = re.compile(r"<[^>]+>")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


class Detector:
    """Finds the personal data of ``people`` in a text, case-insensitively, however it is
    escaped (HTML entities, JSON ``\\u`` escapes, URL encoding, tags in between) and however a
    number is grouped (``1471 0912 0794 0003``, ``+62 812-6634-2187``)."""

    def __init__(self, people: Iterable[Applicant]) -> None:
        self.words: list[tuple[str, str, str, str]] = []  # (who, kind, shown value, lowered needle)
        self.numbers: list[tuple[str, str, str, str]] = []  # (who, kind, shown value, digit needle)
        for p in people:
            for kind, value in (("name", p.name), ("email", p.email), ("identity", p.identity_number),
                                ("address", p.address)):
                if value:
                    self.words.append((p.key, kind, value, " ".join(value.lower().split())))
            if p.nik:
                self.numbers.append((p.key, "nik", p.nik, p.nik))
            for form in phone_forms(p.phone) if p.phone else ():
                self.numbers.append((p.key, "phone", p.phone, form))

    @staticmethod
    def variants(text: str) -> list[str]:
        out = [text, html.unescape(text), unquote(text), _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)]
        out.append(html.unescape(_TAG.sub(" ", text)))
        with contextlib.suppress(ValueError):
            out.append(json.dumps(json.loads(text), ensure_ascii=False))
        return out

    def find(self, text: str) -> list[Leak]:
        found: set[Leak] = set()
        for variant in self.variants(text):
            low = " ".join(variant.lower().split())
            for who, kind, value, needle in self.words:
                if needle in low:
                    found.add(Leak(who, kind, value))
            numbers = "\n".join(_LONG_NUMBER.findall(_INSIDE_NUMBER.sub("", variant)))
            for who, kind, value, needle in self.numbers:
                if needle in numbers:
                    found.add(Leak(who, kind, value))
        return sorted(found, key=lambda x: (x.who, x.kind))


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for v in row if v is not None]
    book.close()
    return "\n".join(cells)


def pdf_text(data: bytes) -> str:
    """The text of a PDF: pypdf's when it is installed; otherwise the string operands of every
    (inflated) content stream, which is what a PDF made with reportlab's standard fonts holds."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pass
    else:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    chunks = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\n?endstream", data, re.S):
        layers = [match.group(1)]
        if layers[0].rstrip().endswith(b"~>"):  # ASCII85, as reportlab writes content streams
            with contextlib.suppress(ValueError):
                layers.append(base64.a85decode(layers[0].strip()[:-2]))
        for layer in list(layers):
            try:
                layers.append(zlib.decompress(layer))
            except zlib.error:
                continue
        chunks += [layer.decode("latin-1") for layer in layers]
    text = "\n".join(chunks)
    strings = re.findall(r"\((?:\\.|[^\\)])*\)", text)  # (literal strings) of Tj and TJ
    return text + "\n" + "".join(s[1:-1].replace("\\(", "(").replace("\\)", ")") for s in strings)


def body_text(content_type: str, data: bytes) -> str | None:
    """What a response says, for the detector (``None``: a format that carries no text)."""
    media = content_type.split(";")[0].strip().lower()
    if media == XLSX:
        return xlsx_text(data)
    if media == "application/pdf":
        return pdf_text(data)
    if media.startswith(TEXTUAL) or media.endswith(("+json", "+xml")) or "turtle" in media or "csv" in media:
        return data.decode("utf-8", errors="replace")
    return None


# --------------------------------------------------------------------------- the crawl


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("a", "link", "area") and found.get("href"):
            rel = (found.get("rel") or "").lower()
            if tag == "link" and any(r in rel for r in ("stylesheet", "icon", "preload", "modulepreload")):
                return
            self.links.append(str(found["href"]))


def links_of(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.links


def local(url: str, base: str) -> str | None:
    """``url`` as a path with query on this portal (``None``: another site, or not a page)."""
    absolute = urljoin(base, url.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc not in ("localhost", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    detector: Detector
    client: FlaskClient
    leaks: dict[str, list[Leak]] = field(default_factory=dict)
    fetched: dict[str, int] = field(default_factory=dict)  # url -> status
    scanned: dict[str, str] = field(default_factory=dict)  # url -> media type read
    skipped: list[str] = field(default_factory=list)

    def get(self, url: str) -> Any:
        # Range: a download is served (206) without being counted; other pages ignore it.
        return self.client.get(url, headers={"Range": "bytes=0-"})

    def read(self, url: str) -> tuple[int, str, bytes, str | None]:
        """Fetch ``url`` and scan it; (status, media type, body, where it redirects)."""
        if DOWNLOADS.search(urlsplit(url).path):
            with self.client.head(url) as head:
                if int(head.headers.get("Content-Length") or 0) > MAX_BYTES:
                    self.skipped.append(url)
                    self.fetched[url] = head.status_code
                    return head.status_code, "", b"", None
        with self.get(url) as resp:
            data = resp.get_data()
            status, media = resp.status_code, resp.mimetype or ""
            location = resp.headers.get("Location")
        self.fetched[url] = status
        if len(data) > MAX_BYTES:
            self.skipped.append(url)
            return status, media, b"", location
        text = body_text(media, data)
        if text is not None:
            self.scanned[url] = media
            hits = self.detector.find(text)
            if hits:
                self.leaks[url] = hits
        return status, media, data, location

    def crawl(self, seeds: Iterable[str], cap: int = MAX_PAGES) -> None:
        queue: deque[str] = deque(seeds)
        seen: set[str] = set(queue)
        variants: dict[str, int] = {}
        downloads = 0
        while queue and len(self.fetched) < cap:
            url = queue.popleft()
            status, media, data, location = self.read(url)
            found: list[str] = []
            if location:
                found.append(location)
            if media == "text/html" and data:
                found += links_of(data.decode("utf-8", errors="replace"))
            for link in found:
                target = local(link, "http://localhost" + url)
                if target is None:
                    continue
                target = target.split("#", 1)[0]
                path, _, query = target.partition("?")
                if target in seen or path.startswith(SKIP) or not path.startswith("/"):
                    continue
                if "lang=" in query and not path.startswith("/ppid") or SAME_AS_JSONLD.match(path):
                    continue  # the English pages of the PPID are read; of the catalogue, one layout is enough
                if DOWNLOADS.search(path) and not path.startswith("/ppid"):
                    downloads += 1
                    if downloads > MAX_DOWNLOADS:
                        continue
                if "?" in target:
                    variants[path] = variants.get(path, 0) + 1
                    if variants[path] > MAX_QUERY_VARIANTS:
                        continue
                seen.add(target)
                queue.append(target)


# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class DemoPpid:
    numbers: dict[str, str]  # number -> state
    by_applicant: dict[str, list[str]]  # applicant name -> numbers
    rows: list[dict[str, Any]]
    objections: list[dict[str, Any]]
    years: list[int]


@pytest.fixture(scope="module")
def demo_ppid(demo_app: Flask) -> DemoPpid:
    """Plain values about the demo's requests (no ORM objects outlive the context)."""
    from satudata.extensions import db
    from satudata.ppid import services
    from satudata.ppid.models import InformationRequest, Objection

    with demo_app.app_context():
        names = [a.name for a in APPLICANTS]
        requests = list(db.session.scalars(select(InformationRequest).where(InformationRequest.name.in_(names))
                                           .order_by(InformationRequest.id)))
        cal, today = services.calendar(), services.today()
        rows = [{"number": r.number, "state": str(r.state), "channel": str(r.channel),
                 "applicant_type": str(r.applicant_type), "received_on": r.received_on,
                 "routed": r.handler_id != r.filed_with_id, "extension_days": r.extension_days,
                 "late": services.clock_of(r, today, cal).late, "decision": r.decision or {}}
                for r in requests]
        objections = [{"number": o.number, "state": str(o.state), "due_on": o.due_on, "dispute": o.dispute,
                       "decision": o.decision, "today": today}
                      for o in db.session.scalars(select(Objection).order_by(Objection.id))
                      if o.request.name in names]
        by_applicant: dict[str, list[str]] = {}
        for r in requests:
            by_applicant.setdefault(r.name, []).append(r.number)
        return DemoPpid(numbers={r["number"]: r["state"] for r in rows}, by_applicant=by_applicant, rows=rows,
                        objections=objections, years=services.statistics_years())


# --------------------------------------------------------------------------- the tests


DETECTOR = Detector((*APPLICANTS, *PROXIES))


@pytest.mark.nodb
def test_every_demo_nik_is_plausible() -> None:
    """Each perorangan applicant's NIK passes the portal's own check, starts with a real Riau
    kecamatan code, and is unique; the others carry an identity number instead."""
    from satudata import reference
    from satudata.ppid.identity import nik_problem

    regions = reference.regions()
    perorangan = [a for a in APPLICANTS if a.kind == ApplicantType.PERORANGAN]
    assert len(perorangan) >= 20
    for a in perorangan:
        assert nik_problem(a.nik) is None, (a.name, a.nik, nik_problem(a.nik))
        kecamatan = f"{a.nik[:2]}.{a.nik[2:4]}.{a.nik[4:6]}"
        assert a.nik.startswith("14") and regions[kecamatan].tingkat == "kecamatan", (a.name, kecamatan)
    assert len({a.nik for a in perorangan}) == len(perorangan)
    assert all(a.identity_number and not a.nik for a in APPLICANTS if a.kind != ApplicantType.PERORANGAN)
    # No mail the demo queues can reach anyone: every address is on the reserved .example domain.
    assert all(a.email.endswith(".example") for a in (*APPLICANTS, *PROXIES) if a.email)
    assert len({a.key for a in APPLICANTS}) == len(APPLICANTS)
    assert {r.applicant for r in REQUESTS} <= {a.key for a in APPLICANTS}


@pytest.mark.nodb
def test_the_detector_finds_planted_leaks() -> None:
    """The check can fail: each applicant's data, planted the ways a page could show it, is found;
    the masked NIK the register shows, and other people's numbers, are not."""
    for a in (*APPLICANTS, *PROXIES):
        planted = [f"<td>{html.escape(a.name.upper())}</td>", f"Pemohon: {a.name.replace(' ', chr(10) + '  ', 1)}",
                   f'{{"applicant": "{a.address}"}}']
        if a.email:
            planted += [f'<a href="mailto:{a.email.upper()}">surel</a>', '{"e": "' + a.email.replace("@", "\\u0040") + '"}',
                        a.email.replace("@", "&#64;"), a.email.replace("@", "%40")]
        if a.nik:
            n = a.nik
            planted += [f"NIK {n}", f"NIK {n[:4]} {n[4:8]} {n[8:12]} {n[12:]}", f"{n[:6]}.{n[6:12]}.{n[12:]}",
                        f"{n[:4]}-{n[4:8]}-{n[8:12]}-{n[12:]}", f"<b>{n[:8]}</b>{n[8:]}"]
        if a.identity_number:
            planted.append(f"Nomor SK: {a.identity_number.lower()}")
        if a.phone and not a.phone.startswith("+"):
            national = _digits(a.phone).removeprefix("0")
            planted += [f"HP {a.phone}", f"WA +62 {national[:3]}-{national[3:7]}-{national[7:]}",
                        f"telp. (0{national[:3]}) {national[3:]}", f"62{national}"]
        elif a.phone:
            planted.append(f"tel. {a.phone[:3]} {a.phone[3:7]} {a.phone[7:]}")
        for text in planted:
            assert any(leak.who == a.key for leak in DETECTOR.find(f"<p>Data: {text} …</p>")), (a.key, text)
    rahmat = next(a for a in APPLICANTS if a.key == "rahmat")
    clean = (f"NIK {rahmat.nik[:6]}••••••••••; (0761) 21137; 1471; 14.71.09; 2026-12-04; "
             "Pemerintah Provinsi Riau; Rahmat; kode 1471091207940; sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c")
    assert DETECTOR.find(clean) == []


@pytest.mark.nodb
def test_the_detector_reads_inside_xlsx_and_pdf() -> None:
    """A leak inside a spreadsheet cell or a PDF's text is found (reports are files)."""
    from openpyxl import Workbook
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    a = next(x for x in APPLICANTS if x.key == "nurul")
    book = Workbook()
    book.active.append(["Nomor", "Pemohon", "NIK"])
    book.active.append(["PPID-2-2026-0001", "—", int(a.nik)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert {leak.kind for leak in DETECTOR.find(body_text(XLSX, buffer.getvalue()) or "")} == {"nik"}
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 760, "Laporan Layanan Informasi Publik")
    pdf.drawString(72, 740, f"Pemohon: {a.name} (HP {a.phone})")
    pdf.save()
    kinds = {leak.kind for leak in DETECTOR.find(body_text("application/pdf", buffer.getvalue()) or "")}
    assert kinds == {"name", "phone"}
    assert body_text("image/png", b"\x89PNG") is None


@pytest.mark.nodb
def test_contact_details_written_into_a_request_are_masked_when_published() -> None:
    """The leak this test found: an applicant wrote their email and mobile number into the
    request's text, which the register (and the annual report) publish. Published text now hides
    them as it hides a NIK; amounts and office numbers stay as written."""
    from satudata.ppid.identity import mask_numbers

    forum = next(a for a in APPLICANTS if a.key == "forumsungai")
    written = next(r.information for r in REQUESTS if r.applicant == "forumsungai")
    assert forum.email in written and DETECTOR.find(written)
    assert DETECTOR.find(mask_numbers(written)) == []
    assert mask_numbers("WA +62 812-6634-2187, 0812.6634.2187 atau rahmat.nasution@surel.example") == \
        "WA 6281•••••••••, 0812•••••••• atau •••@•••"
    kept = "Pagu Rp 62.850.000.000 (0761) 571234, pukul 08.30, 2025–2026, No. 017/REG-PSI/V/2025"
    assert mask_numbers(kept) == kept


def test_the_demo_has_requests_of_every_kind(demo_ppid: DemoPpid) -> None:
    """What the demo promises: 25–40 requests over two years with every outcome, channel and
    applicant type, open ones on the clock (extended, late, routed), two objections (one
    upheld refusal taken to the Komisi Informasi, one open)."""
    rows = demo_ppid.rows
    assert 25 <= len(rows) <= 40 and len(rows) == len(REQUESTS)
    states = {s: sum(1 for r in rows if r["state"] == s) for s in {r["state"] for r in rows}}
    assert {"granted", "granted_in_part", "refused", "not_held", "not_documented", "withdrawn", "not_entitled",
            "spam", "registered", "extended"} <= set(states)
    assert states["spam"] == 1 and states["granted"] >= 5 and states["granted_in_part"] >= 2
    assert {r["channel"] for r in rows} == {"web", "email", "surat", "telepon", "langsung"}
    assert {r["applicant_type"] for r in rows} == {"perorangan", "badan_hukum", "kelompok"}
    today = demo_ppid.objections[0]["today"]
    received = sorted(r["received_on"] for r in rows)
    assert received[0].year == today.year - 1 and received[-1] >= today - timedelta(days=7)
    open_rows = [r for r in rows if r["state"] in ("registered", "extended", "incomplete")]
    assert any(r["state"] == "extended" and not r["late"] for r in open_rows)
    assert any(r["late"] for r in open_rows)
    assert any(r["routed"] for r in open_rows)
    for r in rows:
        decision = r["decision"]
        if r["state"] == "refused":
            assert decision["exemptions"] and decision["consequence_test"]
        if r["state"] == "granted_in_part":
            assert all(x["exemptions"] and x["reason"] for x in decision["redactions"])
        if r["state"] == "not_held":
            assert decision.get("holder")
        if r["state"] == "not_documented":
            assert decision.get("available_on")
    assert any(r["decision"].get("datasets") for r in rows)  # an answer that is open data
    objections = demo_ppid.objections
    assert sorted(o["state"] for o in objections) == ["registered", "rejected"]
    upheld = next(o for o in objections if o["state"] == "rejected")
    assert upheld["decision"]["reasons"] and upheld["decision"]["decider_position"] and upheld["dispute"]
    assert next(o for o in objections if o["state"] == "registered")["due_on"] >= today


def test_no_applicant_data_on_any_public_page_or_api(client: FlaskClient, demo_app: Flask,
                                                     demo_ppid: DemoPpid) -> None:
    started = time.monotonic()
    crawl = Crawl(DETECTOR, client)
    # The public APIs, feeds and reports, read first and whole.
    register: list[dict[str, Any]] = []
    page = 1
    while True:
        url = f"/api/v1/ppid/register?page={page}&per_page=10"
        status, _media, data, _ = crawl.read(url)
        assert status == 200, url
        body = json.loads(data)
        register += body["data"]
        if page * 10 >= body["meta"]["total"]:
            break
        page += 1
    apis = ["/api/v1/ppid/register", "/api/v1/ppid/register?per_page=100", "/api/v1/datasets",
            "/api/v1/datasets?per_page=100", "/api/v1/organizations", "/api/v1/daftar-data",
            "/api/3/action/package_search", "/api/3/action/package_search?rows=1000",
            "/api/3/action/organization_list?all_fields=true", "/catalog.jsonld", "/catalog.ttl",
            "/api/v1/openapi.json"]
    rules = {r.rule for r in demo_app.url_map.iter_rules()}
    apis += [u for u in ("/sitemap.xml", "/robots.txt", "/feed.xml") if u in rules]
    for url in apis:
        status, _media, _data, _ = crawl.read(url)
        assert status == 200, (url, status)
    # The annual reports (another part of #12), when the portal has them: every year it shows, read
    # inside (the check proves it read them: they list the demo's requests by number).
    if any(r.rule.startswith("/ppid/laporan") for r in demo_app.url_map.iter_rules()):
        for url in (f"/ppid/laporan/{year}.{suffix}" for year in demo_ppid.years for suffix in ("xlsx", "pdf")):
            status, media, data, _ = crawl.read(url)
            if status in (200, 206):
                text = body_text(media, data) or ""
                assert any(number in text for number in demo_ppid.numbers), f"{url} ({media}) was not read"
    # The public site, breadth-first from the home page and the PPID's.
    crawl.crawl(["/ppid", "/", "/ppid/register", "/ppid/statistik", "/ppid/dip", "/ppid/permohonan", "/ppid/lacak",
                 *(f"/ppid/statistik?tahun={year}" for year in demo_ppid.years)])
    elapsed = time.monotonic() - started

    report = "\n".join(f"{url}: " + ", ".join(f"{x.kind} of {x.who} ({x.value})" for x in leaks)
                       for url, leaks in sorted(crawl.leaks.items()))
    assert not crawl.leaks, "personal data of demo applicants on public pages:\n" + report
    # The crawl read the public site, not a handful of error pages.
    assert len(crawl.fetched) >= 150, len(crawl.fetched)
    ok = [u for u, s in crawl.fetched.items() if s in (200, 206)]
    assert len(ok) >= 120, sorted(crawl.fetched.items())[:50]
    for page_url in ("/ppid", "/ppid/register", "/ppid/statistik", "/ppid/dip", "/", "/dataset"):
        assert crawl.fetched.get(page_url) == 200, (page_url, crawl.fetched.get(page_url))
    assert any(u.startswith("/dataset/") for u in crawl.scanned)
    # The register lists every demo request by its number (without who asked).
    assert {e["number"] for e in register} >= set(demo_ppid.numbers)
    # ... and its text, where applicants write their contact details: the crawl read them masked.
    forum = next(e for e in register if "Sungai Mesjid" in (e["information"] or ""))
    assert "•••@•••" in forum["information"] and "0822••••••••" in forum["information"]
    assert len(register) == len({e["number"] for e in register})
    html_register = "".join(client.get(u).get_data(as_text=True) for u in crawl.fetched
                            if u.startswith("/ppid/register"))
    missing = [n for n in demo_ppid.numbers if n not in html_register]
    assert not missing, missing
    print(f"crawl: {len(crawl.fetched)} URLs, {len(crawl.scanned)} read, {elapsed:.1f}s")
