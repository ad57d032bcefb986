"""The annual reports of the PPID (#12), per PPID and for the whole region, as XLSX and PDF:

- the figures every public body publishes each year (UU 14/2008 Pasal 12): the number of
  requests, the time taken per request, the numbers granted and refused, and the reasons for
  refusal (the Pasal 17 grounds);
- the annual service report (Perki SLIP 1/2021), due three months after the fiscal year: those
  figures with the objections and the disputes taken to the Komisi Informasi, and the written
  parts the figures cannot give (policy, staff, facilities, budget, obstacles, recommendations),
  kept in :class:`~satudata.ppid.models.ReportNarrative` and written by each PPID's officers.

What is counted: the requests *received* in the year (by the date of registration, as the
statistics page counts them, ``services.statistics``), each for the PPID handling it now;
requests set aside as spam are no legal outcome and appear nowhere. Objections are those
registered in the year, counted for the PPID handling their request; the disputes are the
objections of the year taken to the Komisi Informasi. States are as of the day the report is
made (a request of December may still be open in January).

``build_report`` computes (this module); ``reports.xlsx.render`` and ``reports.pdf.render`` write
the files; the written parts are read and written here (``update_narrative``).

Everything here is public: aggregate figures, the per-request list with the public register's
fields (``services.public_row``: never a name, identity number or contact; NIK-like numbers in
any text masked), and the written parts once a PPID has written them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, can, require
from satudata.errors import Invalid, NotFound
from satudata.extensions import db
from satudata.ppid import deadlines, identity, services, transitions
from satudata.ppid.models import (
    DECIDED_STATES,
    OPEN_STATES,
    ApplicantType,
    Channel,
    InformationRequest,
    Objection,
    ObjectionState,
    ReportNarrative,
    RequestState,
)

N_ = transitions.N_
S = RequestState

# The outcomes of Pasal 12 and Pasal 22(7), in the order the report lists them.
OUTCOMES = (S.GRANTED, S.GRANTED_IN_PART, S.REFUSED, S.NOT_HELD, S.NOT_DOCUMENTED, S.WITHDRAWN, S.NOT_ENTITLED)
CHANNEL_LABELS = {Channel.WEB: "Formulir daring", Channel.EMAIL: "Surel", Channel.LETTER: "Surat",
                  Channel.PHONE: "Telepon", Channel.IN_PERSON: "Datang langsung"}
APPLICANT_LABELS = {ApplicantType.PERORANGAN: "Perorangan", ApplicantType.BADAN_HUKUM: "Badan hukum",
                    ApplicantType.KELOMPOK: "Kelompok orang"}
OBJECTION_OUTCOMES = {ObjectionState.REGISTERED: "Belum ditanggapi", ObjectionState.ACCEPTED: "Diterima",
                      ObjectionState.REJECTED: "Ditolak (keputusan PPID dikuatkan)",
                      ObjectionState.SETTLED: "Selesai secara musyawarah", ObjectionState.WITHDRAWN: "Dicabut"}
ANSWERED = frozenset({ObjectionState.ACCEPTED, ObjectionState.REJECTED, ObjectionState.SETTLED})

# The written parts of the annual service report (Perki SLIP 1/2021): (field, title, what to write).
NARRATIVE_FIELDS = (
    ("policy", N_("Kebijakan layanan informasi"),
     N_("SK PPID, SOP, standar layanan, maklumat pelayanan dan kebijakan lain yang berlaku tahun ini.")),
    ("staff", N_("Sumber daya manusia"), N_("Jumlah petugas PPID dan pelaksana, susunan, pelatihan.")),
    ("facilities", N_("Sarana dan prasarana"), N_("Meja layanan, ruang baca, situs, saluran permohonan.")),
    ("budget", N_("Anggaran"), N_("Anggaran layanan informasi publik dan realisasinya.")),
    ("obstacles", N_("Kendala"), N_("Kendala internal dan eksternal dalam melayani permohonan.")),
    ("recommendations", N_("Rekomendasi dan rencana tindak lanjut"),
     N_("Rekomendasi dan rencana perbaikan layanan tahun berikutnya.")),
)
NARRATIVE_MAX = 10_000
REPORT_DUE_MONTH, REPORT_DUE_DAY = 3, 31  # three months after the fiscal year (Perki SLIP 1/2021)
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


# --------------------------------------------------------------------------- which PPID, which year


def ppid_units() -> list[Organization]:
    """The PPIDs a report may be about: the PPID Utama first, then every OPD (each has its PPID
    Pelaksana) and any other organisation that has handled a request, by name."""
    try:
        utama = services.ppid_utama()
    except NotFound:
        return []
    handlers = set(db.session.scalars(select(InformationRequest.handler_id).distinct()))
    others = {o.id: o for o in services.targets()}
    if handlers - others.keys():
        others.update((o.id, o) for o in db.session.scalars(select(Organization).where(Organization.id.in_(handlers))))
    others.pop(utama.id, None)
    return [utama, *sorted(others.values(), key=lambda o: o.name)]


def ppid_by_slug(slug: str) -> Organization:
    """The PPID of the organisation ``slug``; ``NotFound`` when no PPID has that slug."""
    found = next((o for o in ppid_units() if o.slug == (slug or "").strip()), None)
    if found is None:
        raise NotFound(f'PPID "{slug}" tidak dikenal. Pilih PPID Utama atau PPID Pelaksana salah satu OPD '
                       "dari halaman statistik layanan informasi.")
    return found


def report_years() -> range:
    """The years a report can be made for: from the first year with requests to this year (within
    the years the holiday calendar knows)."""
    years, supported = services.statistics_years(), deadlines.supported_years()
    return range(max(min(years), supported.start), min(max(years), supported.stop - 1) + 1)


def check_year(year: int) -> None:
    years = report_years()
    if year not in years:
        raise NotFound(f"Laporan tahun {year} tidak tersedia: laporan tahunan PPID ada untuk tahun "
                       f"{years.start} sampai {years.stop - 1}.")


def filename(year: int, slug: str, ext: str) -> str:
    return f"laporan-ppid-{year}{'-' + slug if slug else ''}.{ext}"


# --------------------------------------------------------------------------- the figures


def _median(values: Sequence[int]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _bump(counts: dict[str, int], key: str, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


def _letters(decision: dict[str, Any] | None, redactions: bool) -> list[str]:
    """The Pasal 17 letters a refusal (``exemptions``) or a partial grant (each redaction's) rests on, once each."""
    decision = decision or {}
    if redactions:
        found = [x for red in decision.get("redactions") or [] for x in red.get("exemptions") or []]
    else:
        found = list(decision.get("exemptions") or [])
    return [x for x in dict.fromkeys(found) if isinstance(x, str)]


@dataclass
class Figures:
    """One PPID's (or the whole region's) figures for a year: the statistics page's
    (``services.PpidStats``: requests, outcomes, working days taken, on time) and the rest the
    reports need."""

    stats: services.PpidStats
    by_channel: dict[str, int] = field(default_factory=dict)
    by_applicant_type: dict[str, int] = field(default_factory=dict)
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    extended: int = 0
    decided_late: int = 0
    open_late: int = 0  # still open, past the due date
    refusal_grounds: dict[str, int] = field(default_factory=dict)  # refused, by Pasal 17 letter
    redaction_grounds: dict[str, int] = field(default_factory=dict)  # granted in part, by letter
    objections: int = 0
    objection_grounds: dict[str, int] = field(default_factory=dict)
    objection_outcomes: dict[str, int] = field(default_factory=dict)
    objection_days: list[int] = field(default_factory=list)
    objections_on_time: int = 0
    disputes: int = 0

    @property
    def name(self) -> str:
        return self.stats.name

    @property
    def slug(self) -> str:
        return self.stats.slug

    @property
    def requests(self) -> int:
        return self.stats.requests

    def outcome(self, state: RequestState) -> int:
        return (self.stats.outcomes or {}).get(str(state), 0)

    @property
    def objections_answered(self) -> int:
        return len(self.objection_days)

    @property
    def objection_median_days(self) -> float | None:
        return _median(self.objection_days)

    def count_request(self, r: InformationRequest, on: date) -> None:
        _bump(self.by_channel, str(r.channel))
        _bump(self.by_applicant_type, str(r.applicant_type))
        self.by_month[r.received_on.month - 1] += 1
        self.extended += r.extension_days is not None
        if r.state in DECIDED_STATES and r.decided_on is not None and r.decided_on > r.due_on:
            self.decided_late += 1
        if r.state in OPEN_STATES and on > r.due_on:
            self.open_late += 1
        if r.state == S.REFUSED:
            for letter in _letters(r.decision, redactions=False):
                _bump(self.refusal_grounds, letter)
        if r.state == S.GRANTED_IN_PART:
            for letter in _letters(r.decision, redactions=True):
                _bump(self.redaction_grounds, letter)

    def count_objection(self, o: Objection, cal: deadlines.WorkingCalendar) -> None:
        self.objections += 1
        for letter in dict.fromkeys(o.grounds or []):
            _bump(self.objection_grounds, letter)
        _bump(self.objection_outcomes, str(o.state))
        if o.state in ANSWERED and o.decided_on is not None:
            self.objection_days.append(max(0, cal.working_days_between(o.registered_on, o.decided_on)))
            self.objections_on_time += o.decided_on <= o.due_on
        self.disputes += bool(o.dispute)


@dataclass(frozen=True)
class RequestLine:
    """One request in the list of "time taken per request": nothing that says who asked."""

    number: str
    ppid: str
    channel: str
    applicant_type: str
    received_on: date
    due_on: date
    decided_on: date | None
    working_days: int | None  # from registration to the written notice (decided requests)
    state: str
    extension_days: int | None
    late: bool
    exemptions: tuple[str, ...]
    information: str  # NIK-like numbers masked (public_row)

    @property
    def outcome(self) -> str:
        return transitions.STATE_LABELS[RequestState(self.state)]

    @property
    def on_time(self) -> bool | None:
        return None if self.decided_on is None else self.decided_on <= self.due_on


@dataclass(frozen=True)
class ObjectionLine:
    number: str
    request_number: str
    ppid: str
    registered_on: date
    due_on: date
    decided_on: date | None
    working_days: int | None
    grounds: tuple[str, ...]
    state: str
    dispute_number: str
    dispute_filed_on: date | None

    @property
    def outcome(self) -> str:
        return OBJECTION_OUTCOMES[ObjectionState(self.state)]


@dataclass
class AnnualReport:
    """What both files show: the figures of the report's scope (one PPID or the region), the
    PPIDs' rows, the per-request and per-objection lists, and the written parts."""

    year: int
    as_of: date
    scope: str  # "PPID Utama — ...", "PPID Pelaksana — ...", "Seluruh PPID <region>"
    organization: Organization | None
    figures: Figures
    per_ppid: list[Figures]
    requests: list[RequestLine]
    objections: list[ObjectionLine]
    narratives: list[tuple[str, ReportNarrative]]
    site: str

    @property
    def slug(self) -> str:
        return self.organization.slug if self.organization is not None else ""

    @property
    def due_on(self) -> date:
        return date(self.year + 1, REPORT_DUE_MONTH, REPORT_DUE_DAY)

    @property
    def provisional(self) -> bool:
        """The year has not ended yet: the figures are so far."""
        return self.as_of <= date(self.year, 12, 31)


def _empty_stats(org: Organization) -> services.PpidStats:
    return services.PpidStats(name=org.name, organization_id=org.id, slug=org.slug, outcomes={}, working_days=[],
                              refusal_grounds={})


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def build_report(year: int, ppid: str | None = None, *, on: date | None = None) -> AnnualReport:
    """The report of ``year`` for the PPID of the organisation ``ppid`` (a slug), or for the
    whole region; ``NotFound`` for a year or a PPID there is no report of."""
    from flask import current_app

    check_year(year)
    org = ppid_by_slug(ppid) if ppid else None
    on = on or services.today()
    cal = services.calendar()
    per_stats, total_stats = services.statistics(year)
    by_id = {s.organization_id: Figures(stats=s) for s in per_stats}
    region = Figures(stats=total_stats)

    def of(handler: Organization) -> Figures:
        found = by_id.get(handler.id)
        if found is None:
            found = by_id[handler.id] = Figures(stats=_empty_stats(handler))
        return found

    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = db.session.scalars(select(InformationRequest).where(
        InformationRequest.received_on >= start, InformationRequest.received_on <= end,
        InformationRequest.state != S.SPAM).order_by(InformationRequest.received_on, InformationRequest.id)).all()
    lines = []
    for r in rows:
        for figures in (of(r.handler), region):
            figures.count_request(r, on)
        if org is not None and r.handler_id != org.id:
            continue
        # The public register's fields (services.public_row) without its per-row dataset query.
        decided = r.decided_on if r.state in DECIDED_STATES else None
        lines.append(RequestLine(
            number=r.number, ppid=r.handler.name, channel=str(r.channel), applicant_type=str(r.applicant_type),
            received_on=r.received_on, due_on=r.due_on, decided_on=decided,
            working_days=max(0, cal.working_days_between(r.received_on, decided)) if decided else None,
            state=str(r.state), extension_days=r.extension_days,
            late=(decided or on) > r.due_on if decided or r.state in OPEN_STATES else False,
            exemptions=tuple(_letters(r.decision, redactions=r.state == S.GRANTED_IN_PART)),
            information=identity.mask_numbers(r.information)))

    objections = db.session.scalars(
        select(Objection).join(InformationRequest, InformationRequest.id == Objection.request_id).where(
            Objection.registered_on >= start, Objection.registered_on <= end, InformationRequest.state != S.SPAM)
        .options(joinedload(Objection.request)).order_by(Objection.registered_on, Objection.id)).all()
    objection_lines = []
    for o in objections:
        request = o.request
        for figures in (of(request.handler), region):
            figures.count_objection(o, cal)
        if org is not None and request.handler_id != org.id:
            continue
        answered = o.decided_on if o.state in ANSWERED else None
        dispute = o.dispute or {}
        objection_lines.append(ObjectionLine(
            number=o.number, request_number=request.number, ppid=request.handler.name, registered_on=o.registered_on,
            due_on=o.due_on, decided_on=answered,
            working_days=max(0, cal.working_days_between(o.registered_on, answered)) if answered else None,
            grounds=tuple(o.grounds or ()), state=str(o.state),
            dispute_number=identity.mask_numbers(str(dispute.get("register_number") or "")),
            dispute_filed_on=_date(dispute.get("filed_on"))))

    try:
        utama_id: int | None = services.ppid_utama().id
    except NotFound:
        utama_id = None
    site_region = str(current_app.config.get("SITE_REGION") or "")
    if org is not None:
        scope = f"{'PPID Utama' if org.id == utama_id else 'PPID Pelaksana'} — {org.name}"
        figures, per_ppid = of(org), [of(org)]
    else:
        scope = f"Seluruh PPID {site_region}".strip()
        figures = region
        per_ppid = sorted(by_id.values(), key=lambda f: (f.stats.organization_id != utama_id, -f.requests, f.name))
    return AnnualReport(year=year, as_of=on, scope=scope, organization=org, figures=figures, per_ppid=per_ppid,
                        requests=lines, objections=objection_lines, narratives=_narratives(year, org, utama_id),
                        site=str(current_app.config.get("SITE_NAME") or ""))


def _narratives(year: int, org: Organization | None, utama_id: int | None) -> list[tuple[str, ReportNarrative]]:
    query = select(ReportNarrative, Organization.name).join(
        Organization, Organization.id == ReportNarrative.organization_id).where(ReportNarrative.year == year)
    if org is not None:
        query = query.where(ReportNarrative.organization_id == org.id)
    found = [(name, n) for n, name in db.session.execute(query)
             if any(getattr(n, key).strip() for key, _, _ in NARRATIVE_FIELDS)]
    return sorted(found, key=lambda item: (item[1].organization_id != utama_id, item[0]))


def summary(report: AnnualReport) -> str:
    """One line: what the CLI prints after writing a report."""
    f = report.figures
    median = f.stats.median_days
    share = f.stats.on_time_share
    return (f"Laporan PPID {report.year} ({report.scope}): {number(f.requests)} permohonan, "
            f"{number(f.stats.decided)} diputus, {number(f.stats.open)} masih diproses, median "
            f"{number(median, 1) if median is not None else '–'} hari kerja, "
            f"{(number(share, 1) + '%') if share is not None else '–'} tepat waktu, "
            f"{number(f.objections)} keberatan, {number(f.disputes)} sengketa.")


# --------------------------------------------------------------------------- the written parts


def get_narrative(org: Organization, year: int) -> ReportNarrative | None:
    return db.session.scalar(select(ReportNarrative).where(ReportNarrative.organization_id == org.id,
                                                           ReportNarrative.year == year))


def narrative_units(actor: Actor) -> list[Organization]:
    """The PPIDs whose written report parts ``actor`` writes."""
    return [o for o in ppid_units() if can(actor, Permission.PPID_REPORT_WRITE, o)]


def narrative_for(actor: Actor, slug: str, year: int) -> tuple[Organization, ReportNarrative | None]:
    """The PPID ``slug`` and its written report parts of ``year``, for an officer who writes them."""
    org = ppid_by_slug(slug)
    require(actor, Permission.PPID_REPORT_WRITE, org)
    check_year(year)
    return org, get_narrative(org, year)


def update_narrative(actor: Actor, org: Organization, year: int, form: dict[str, Any]) -> ReportNarrative:
    """Write the written parts of the annual service report of the PPID of ``org`` for ``year``
    (``form``: the :data:`NARRATIVE_FIELDS`; an empty one is left empty). They are public in the
    report once written; the audit log records who changed which part."""
    require(actor, Permission.PPID_REPORT_WRITE, org)
    check_year(year)
    values = {key: str(form.get(key) or "").replace("\r\n", "\n").strip() for key, _, _ in NARRATIVE_FIELDS}
    problems = {key: [f"Paling panjang {number(NARRATIVE_MAX)} karakter."]
                for key, value in values.items() if len(value) > NARRATIVE_MAX}
    if problems:
        raise Invalid("Periksa isian yang ditandai.", details=problems)
    narrative = get_narrative(org, year)
    if narrative is None:
        try:
            with db.session.begin_nested():
                narrative = ReportNarrative(organization_id=org.id, year=year, updated_by_id=getattr(actor, "id", None))
                db.session.add(narrative)
        except IntegrityError:  # another officer saved the first version at the same moment
            narrative = get_narrative(org, year)
            if narrative is None:
                raise
    changed = [key for key, value in values.items() if (getattr(narrative, key) or "") != value]
    for key in changed:
        setattr(narrative, key, values[key])
    narrative.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit(actor, "ppid.report.narrative", "ppid_report_narrative", narrative.id,
          {"organization": org.slug, "year": year, "fields": changed})
    return narrative


# --------------------------------------------------------------------------- formatting


def number(value: float | int | None, digits: int = 0) -> str:
    """``value`` written the Indonesian way: "1.234", "6,5"; "–" for none."""
    from babel.numbers import format_decimal

    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return str(format_decimal(round(value, digits), format="#,##0." + "#" * digits, locale="id"))
    return str(format_decimal(round(value), format="#,##0", locale="id"))


def short_date(day: date | None) -> str:
    return f"{day.day} {deadlines.MONTH_NAMES[day.month - 1][:3]} {day.year}" if day else "–"


@dataclass(frozen=True)
class Line:
    """One line of the summary both files show: a heading (``kind`` "section") or a figure."""

    label: str
    value: float | int | None = None
    kind: str = "int"  # section, int, days, pct
    indent: int = 0


def summary_lines(report: AnnualReport) -> list[Line]:
    """The Pasal 12 figures, then the objections and disputes, in the order of the law."""
    f, stats = report.figures, report.figures.stats
    lines = [Line("Permohonan informasi (Pasal 12 huruf a)", kind="section"),
             Line("Permohonan diterima", f.requests)]
    lines += [Line(f"Melalui {label.lower()}", f.by_channel.get(str(c), 0), indent=1)
              for c, label in CHANNEL_LABELS.items()]
    lines += [Line(f"Pemohon {label.lower()}", f.by_applicant_type.get(str(a), 0), indent=1)
              for a, label in APPLICANT_LABELS.items()]
    lines += [Line("Hasil permohonan (Pasal 12 huruf c)", kind="section")]
    lines += [Line(transitions.STATE_LABELS[s], f.outcome(s)) for s in OUTCOMES]
    lines += [Line("Masih diproses", stats.open),
              Line("Di antaranya melewati batas waktu", f.open_late, indent=1),
              Line("Waktu layanan (Pasal 12 huruf b)", kind="section"),
              Line("Diputus dengan pemberitahuan tertulis", stats.decided),
              Line("Median waktu layanan (hari kerja)", stats.median_days, "days"),
              Line("Rata-rata waktu layanan (hari kerja)", stats.mean_days, "days"),
              Line("Dijawab tepat waktu", stats.on_time),
              Line("Persentase dijawab tepat waktu", stats.on_time_share, "pct"),
              Line("Dijawab terlambat", f.decided_late),
              Line("Jangka waktu diperpanjang (Pasal 22 ayat 8)", f.extended),
              Line("Alasan penolakan: dasar pengecualian Pasal 17 (Pasal 12 huruf d)", kind="section")]
    lines += [Line(f"Huruf {letter}: {text}", f.refusal_grounds.get(letter, 0))
              for letter, text in transitions.EXEMPTIONS.items()]
    if f.redaction_grounds:
        lines += [Line("Bagian yang dihitamkan pada permohonan dikabulkan sebagian, menurut Pasal 17", kind="section")]
        lines += [Line(f"Huruf {letter}: {transitions.EXEMPTIONS.get(letter, '')}", n)
                  for letter, n in sorted(f.redaction_grounds.items())]
    lines += [Line("Keberatan (Pasal 35–36)", kind="section"), Line("Keberatan diterima", f.objections)]
    lines += [Line(f"Alasan {letter}: {text}", f.objection_grounds.get(letter, 0), indent=1)
              for letter, text in transitions.GROUNDS.items()]
    lines += [Line(f"Hasil: {label}", f.objection_outcomes.get(str(s), 0), indent=1)
              for s, label in OBJECTION_OUTCOMES.items()]
    lines += [Line("Median waktu tanggapan atasan PPID (hari kerja)", f.objection_median_days, "days"),
              Line("Ditanggapi tepat waktu (30 hari kerja)", f.objections_on_time),
              Line("Sengketa informasi (Pasal 37)", kind="section"),
              Line("Keberatan yang diajukan ke Komisi Informasi", f.disputes)]
    return lines


def value_text(line: Line) -> str:
    if line.kind == "pct":
        return f"{number(line.value, 1)}%" if line.value is not None else "–"
    return number(line.value, 1 if line.kind == "days" else 0)


def per_ppid_columns() -> list[tuple[str, Any]]:
    """The per-PPID table: (header, value of a :class:`Figures`)."""
    columns: list[tuple[str, Any]] = [("PPID", lambda f: f.name), ("Permohonan", lambda f: f.requests)]
    columns += [(transitions.STATE_LABELS[s], lambda f, s=s: f.outcome(s)) for s in OUTCOMES]
    columns += [("Masih diproses", lambda f: f.stats.open), ("Median hari kerja", lambda f: f.stats.median_days),
                ("Rata-rata hari kerja", lambda f: f.stats.mean_days),
                ("Tepat waktu (%)", lambda f: f.stats.on_time_share), ("Diperpanjang", lambda f: f.extended),
                ("Terlambat", lambda f: f.decided_late + f.open_late), ("Keberatan", lambda f: f.objections),
                ("Sengketa", lambda f: f.disputes)]
    return columns


def intro(report: AnnualReport) -> list[str]:
    lines = [f"Keadaan data per {deadlines.long_date(report.as_of)}. Dihitung dari permohonan yang diterima "
             f"pada tahun {report.year} (menurut tanggal pendaftaran) dan keberatan yang didaftarkan pada tahun itu; "
             "permohonan yang ditandai spam tidak dihitung. Waktu layanan dihitung dalam hari kerja sejak "
             "pendaftaran sampai pemberitahuan tertulis."]
    if report.provisional:
        lines.append(f"Tahun {report.year} belum berakhir: angka ini sementara.")
    lines.append(f"Laporan tahunan layanan informasi publik disampaikan paling lambat "
                 f"{deadlines.long_date(report.due_on)} (tiga bulan setelah tahun anggaran berakhir, "
                 "Perki SLIP 1/2021).")
    return lines


def on_time_text(r: RequestLine) -> str:
    """Ya, Tidak, "Lewat batas" (unanswered past the due date), or "–" (no notice: withdrawn, not
    entitled, or still within its time)."""
    if r.on_time is None:
        return "Lewat batas" if r.late and r.state in {str(s) for s in OPEN_STATES} else "–"
    return "Ya" if r.on_time else "Tidak"
