"""The figures of Satu Data performance per OPD, for a year and each of its quarters.

Every figure is read from rows other domains keep (nothing is stored here), for the OPD
(organisations of kind ``opd``) in view, each grouped under its region (the nearest
provinsi/kabupaten/kota above it). A period is a calendar year or one quarter of it, in the
portal's zone (WIB): a record belongs to the period its date falls in, as that date is read in
WIB. The definitions (the pages' help text says the same in Bahasa Indonesia):

- **Daftar Data** (``review.daftar``): the items whose release date (jadwal rilis) falls in the
  period, and where each stands today by ``review.daftar.status.standing`` (so the figures
  agree with the release calendar): *due* (all of them), *on time* (published, first on or
  before the release date), *late* (published after it), *overdue* (the release date has passed
  and the item is not published, submitted or not) and *upcoming* (release date today or later,
  not published yet). The on-time share is on time over the items whose outcome is known
  (on time + late + overdue); upcoming items are left out of it.
- **Quality** (``review.quality.quality_of``, scored today): the average score of the OPD's
  published datasets (revisions not counted). For the year it is every dataset published now;
  for a quarter, those first published in that quarter (still scored today).
- **Validation at first upload** (``validation``): the tables (tabular resources, not a
  revision's copy of a published table) first uploaded in the period (``Resource.created_at``),
  and the share whose first validation verdict (the earliest run that finished as valid,
  invalid or error; superseded runs do not count) was *valid*. A table still waiting for its
  first verdict is left out. A table that failed and then passed counts as failed.
- **Time in review** (``review.ReviewEvent``): from each submission (``submit``) to the
  walidata's decision on it (``publish``, ``publish_revision`` or ``request_changes``), in
  days (24 hours), for the decisions made in the period; median and average. A submission taken
  back (``retract``) has no decision. Submissions more than :data:`REVIEW_LOOKBACK_DAYS` before
  the period are not looked for.
- **PPID** (``ppid``): the information requests the OPD's PPID handles (``handler``: filed with
  it or routed to it), answered with a written notice (``ppid.models.DECIDED_STATES``) in the
  period by ``decided_on``, and the share answered on or before the stored deadline
  (``due_on``, which the PPID clock set, with any extension). Requests still open whose deadline
  fell in the period and has passed are counted as *overdue* beside the share.

A period with nothing to divide by has no share (``None``, shown as "—"), never 0 %.

The lists behind an OPD's numbers (``Details``: late items, the slowest reviews, tables that
failed at first, late PPID requests) are of one period too: a row is listed when its date (the
one its figure is binned by, read the same way) falls in that period, so choosing a quarter
narrows the lists exactly as it narrows the figures.

Cost: one query per kind of record for all OPD and all five periods at once (the year and its
quarters), whatever the number of OPD, datasets or events (``tests/kinerja`` counts them).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization, OrganizationKind
from satudata.accounts.policy import is_admin
from satudata.authz import Actor, Permission, Role, SystemActor, require
from satudata.catalog.models import Dataset, DatasetState, Resource
from satudata.errors import Invalid, NotFound
from satudata.extensions import db
from satudata.ppid.models import DECIDED_STATES, OPEN_STATES, InformationRequest
from satudata.review import regions
from satudata.review.daftar.models import YEAR_MAX, YEAR_MIN, DaftarDataItem
from satudata.review.daftar.status import ItemStatus, local_date, local_today, standing, zone
from satudata.review.models import ReviewEvent
from satudata.review.quality import quality_of
from satudata.templating import N_, in_reader_language
from satudata.validation.models import RunStatus, ValidationRun

__all__ = [
    "QUARTERS", "SORTS", "YEAR_MAX", "YEAR_MIN", "DaftarFigures", "Details", "Figures", "OpdRow", "Period",
    "PpidFigures", "QualityFigures", "RegionGroup", "ReviewFigures", "Summary", "ValidationFigures",
    "check_period", "organization_for", "public_summary", "readable_scope", "region_of", "summary_for",
]

QUARTERS = (1, 2, 3, 4)
GOVERNMENT_KINDS = (OrganizationKind.PROVINSI, OrganizationKind.KABUPATEN, OrganizationKind.KOTA)
REVIEW_LOOKBACK_DAYS = 366  # how far before a period a submission decided in it is looked for
DECISIONS = ("publish", "publish_revision", "request_changes")
VERDICTS = (RunStatus.VALID, RunStatus.INVALID, RunStatus.ERROR)
LIST_MAX = 50  # rows per list behind the numbers on an OPD's page


# --------------------------------------------------------------------------- periods


def quarter_of(day: date) -> int:
    """The quarter (1-4) ``day`` falls in: the one definition the figures, their lists and
    :class:`Period` share."""
    return (day.month - 1) // 3 + 1


def quarter_label(quarter: int, year: int) -> str:
    """A quarter as people write it: "T1 2026" (triwulan), "Q1 2026" in English (the request's
    language; outside a request, as the workbook and jobs write it, Bahasa Indonesia)."""
    return in_reader_language(N_("T%(quarter)d %(year)d"), quarter=quarter, year=year)


@dataclass(frozen=True)
class Period:
    """A calendar year (``quarter`` None) or one quarter of it, in the portal's zone."""

    year: int
    quarter: int | None = None

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def key(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}-T{self.quarter}"

    @property
    def label(self) -> str:
        """"2026" or "T1 2026" (triwulan; "Q1 2026" in English)."""
        return str(self.year) if self.quarter is None else quarter_label(self.quarter, self.year)

    def contains(self, day: date) -> bool:
        """Whether ``day`` (a WIB date) falls in the period, by :func:`quarter_of` as the figures
        are binned."""
        return day.year == self.year and (self.quarter is None or quarter_of(day) == self.quarter)


def check_period(year: Any, quarter: Any = None) -> Period:
    """The period named by a year and an optional quarter (1-4), or ``Invalid`` saying what to
    write."""
    problems: dict[str, list[str]] = {}
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        problems["tahun"] = [f"Tahun {YEAR_MIN}–{YEAR_MAX}, misalnya {local_today().year}."]
    if quarter is not None and (isinstance(quarter, bool) or quarter not in QUARTERS):
        problems["triwulan"] = ["Triwulan 1, 2, 3 atau 4; kosongkan untuk setahun penuh."]
    if problems:
        raise Invalid("Periode tidak valid.", details=problems)
    return Period(year, quarter)


def _utc(day: date) -> datetime:
    """The moment ``day`` begins in the portal's zone, in UTC."""
    return datetime.combine(day, time(), tzinfo=zone()).astimezone(UTC)


# --------------------------------------------------------------------------- the figures


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent (one decimal), None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class DaftarFigures:
    due: int = 0
    on_time: int = 0
    late: int = 0  # published after the release date
    overdue: int = 0  # release date passed, not published
    upcoming: int = 0  # release date today or ahead, not published

    @property
    def decided(self) -> int:
        """Items whose outcome is known: published, or past their release date."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.decided)

    def add(self, other: DaftarFigures) -> None:
        for name in ("due", "on_time", "late", "overdue", "upcoming"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class QualityFigures:
    scores: list[int] = field(default_factory=list)

    @property
    def datasets(self) -> int:
        return len(self.scores)

    @property
    def average(self) -> float | None:
        return round(sum(self.scores) / len(self.scores), 1) if self.scores else None

    def add(self, other: QualityFigures) -> None:
        self.scores.extend(other.scores)


@dataclass
class ValidationFigures:
    uploaded: int = 0  # tables with a first verdict
    passed: int = 0

    @property
    def failed(self) -> int:
        return self.uploaded - self.passed

    @property
    def pass_rate(self) -> float | None:
        return share(self.passed, self.uploaded)

    def add(self, other: ValidationFigures) -> None:
        self.uploaded += other.uploaded
        self.passed += other.passed


@dataclass
class ReviewFigures:
    days: list[float] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def mean_days(self) -> float | None:
        return round(statistics.fmean(self.days), 1) if self.days else None

    def add(self, other: ReviewFigures) -> None:
        self.days.extend(other.days)


@dataclass
class PpidFigures:
    answered: int = 0
    on_time: int = 0
    overdue: int = 0  # still open, deadline in the period and passed

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.answered)

    def add(self, other: PpidFigures) -> None:
        self.answered += other.answered
        self.on_time += other.on_time
        self.overdue += other.overdue


@dataclass
class Figures:
    """Every figure of one OPD (or a sum of OPD) in one period."""

    daftar: DaftarFigures = field(default_factory=DaftarFigures)
    quality: QualityFigures = field(default_factory=QualityFigures)
    validation: ValidationFigures = field(default_factory=ValidationFigures)
    review: ReviewFigures = field(default_factory=ReviewFigures)
    ppid: PpidFigures = field(default_factory=PpidFigures)

    def add(self, other: Figures) -> None:
        self.daftar.add(other.daftar)
        self.quality.add(other.quality)
        self.validation.add(other.validation)
        self.review.add(other.review)
        self.ppid.add(other.ppid)

    @property
    def is_empty(self) -> bool:
        return not (self.daftar.due or self.quality.datasets or self.validation.uploaded or self.review.decisions
                    or self.ppid.answered or self.ppid.overdue)


def total_of(many: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in many:
        out.add(f)
    return out


# --------------------------------------------------------------------------- the lists behind the numbers


@dataclass(frozen=True)
class LateItem:
    item: DaftarDataItem
    status: str  # "late" (published late) or "overdue"
    days_late: int  # release date to publication (late) or to today (overdue)
    published_on: date | None


@dataclass(frozen=True)
class ReviewSpan:
    dataset_slug: str
    dataset_title: str
    submitted_at: datetime
    decided_at: datetime
    decision: str
    days: float


@dataclass(frozen=True)
class FailedTable:
    resource_id: str
    name: str
    dataset_slug: str
    dataset_title: str
    uploaded_at: datetime
    status: str
    error_count: int | None


@dataclass(frozen=True)
class LateRequest:
    number: str
    due_on: date
    decided_on: date | None  # None: still open


@dataclass
class Details:
    """The records behind one OPD's figures of ``period`` (the year, or the quarter chosen on
    its page): each list holds only rows whose figure counts in that period, so the lists never
    cover more than the numbers above them."""

    period: Period
    late_items: list[LateItem] = field(default_factory=list)
    slow_reviews: list[ReviewSpan] = field(default_factory=list)
    failed_tables: list[FailedTable] = field(default_factory=list)
    late_requests: list[LateRequest] = field(default_factory=list)

    def covers(self, day: date) -> bool:
        """Whether a row binned by ``day`` belongs in these lists: the test ``_Bins.at`` makes
        for the figures (:meth:`Period.contains`, by :func:`quarter_of`)."""
        return self.period.contains(day)


# --------------------------------------------------------------------------- organisations


def _organizations() -> dict[int, Organization]:
    """Every organisation by id (one region's governments and OPD: a small table)."""
    return {o.id: o for o in db.session.scalars(select(Organization))}


def region_of(org: Organization, orgs: dict[int, Organization] | None = None) -> Organization | None:
    """The government (provinsi, kabupaten or kota) ``org`` belongs to: itself or the nearest
    one above it; None when there is none."""
    seen: set[int] = set()
    node: Organization | None = org
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.kind in GOVERNMENT_KINDS:
            return node
        parent_id = node.parent_id
        node = (orgs.get(parent_id) if orgs is not None else node.parent) if parent_id is not None else None
    return None


def readable_scope(actor: Actor) -> set[int] | None:
    """The organisations whose figures ``actor`` may read on the internal dashboard (None:
    every one): admins everything; a walidata everything below the organisations where they
    hold the role (their region, as for review); an Atasan PPID everything in the region of
    their organisation. Anyone else: nothing."""
    if is_admin(actor) or isinstance(actor, SystemActor):
        return None
    memberships = list(getattr(actor, "memberships", []) or []) if getattr(actor, "is_authenticated", False) else []
    roots = {m.organization_id for m in memberships if m.role == Role.WALIDATA}
    for m in memberships:
        if m.role == Role.ATASAN_PPID:
            region = region_of(m.organization) if m.organization is not None else None
            roots.add(region.id if region is not None else m.organization_id)
    return regions.subtree(roots) if roots else set()


def _opds(scope: set[int] | None, orgs: dict[int, Organization]) -> list[Organization]:
    return [o for o in orgs.values() if o.kind == OrganizationKind.OPD and (scope is None or o.id in scope)]


def organization_for(actor: Actor, slug: str) -> Organization:
    """The OPD ``slug`` for its detail page; 404 when there is no such OPD, 403 outside the
    actor's region."""
    org = db.session.scalar(select(Organization).where(Organization.slug == (slug or "")[:100]))
    if org is None or org.kind != OrganizationKind.OPD:
        raise NotFound("OPD tidak ditemukan.")
    require(actor, Permission.KINERJA_READ, org)
    return org


# --------------------------------------------------------------------------- computing


class _Bins:
    """The figures per OPD for the year and each quarter (index 0: the year; 1-4: quarters)."""

    def __init__(self, year: int, ids: Iterable[int]) -> None:
        self.year = year
        self.by_org: dict[int, list[Figures]] = {i: [Figures() for _ in range(5)] for i in ids}

    def at(self, org_id: int, day: date) -> list[Figures]:
        """The year's and the quarter's figures ``day`` falls in ([] outside the year)."""
        bins = self.by_org.get(org_id)
        if bins is None or day.year != self.year:
            return []
        return [bins[0], bins[quarter_of(day)]]


def _daftar(bins: _Bins, ids: list[int], year: int, today: date, details: Details | None) -> None:
    items = db.session.scalars(
        select(DaftarDataItem)
        .where(DaftarDataItem.organization_id.in_(ids), DaftarDataItem.release_date >= date(year, 1, 1),
               DaftarDataItem.release_date <= date(year, 12, 31))
        .options(selectinload(DaftarDataItem.dataset))
        .order_by(DaftarDataItem.release_date, DaftarDataItem.id))
    for item in items:
        s = standing(item, today)
        for f in bins.at(item.organization_id, item.release_date):
            d = f.daftar
            d.due += 1
            if s.status == ItemStatus.PUBLISHED:
                if s.on_time:
                    d.on_time += 1
                else:
                    d.late += 1
            elif s.status == ItemStatus.LATE:
                d.overdue += 1
            else:
                d.upcoming += 1
        if details is None or not details.covers(item.release_date):
            continue
        if s.status == ItemStatus.PUBLISHED and not s.on_time:
            assert s.published_on is not None
            details.late_items.append(LateItem(item, "late", (s.published_on - item.release_date).days,
                                               s.published_on))
        elif s.status == ItemStatus.LATE:
            details.late_items.append(LateItem(item, "overdue", s.days_late, None))
    if details is not None:
        details.late_items.sort(key=lambda x: (-x.days_late, x.item.release_date))
        del details.late_items[LIST_MAX:]


def _quality(bins: _Bins, ids: list[int]) -> None:
    datasets = db.session.scalars(
        select(Dataset)
        .where(Dataset.organization_id.in_(ids), Dataset.state == DatasetState.PUBLISHED,
               Dataset.revision_of_id.is_(None))
        .options(selectinload(Dataset.resources), selectinload(Dataset.topics), selectinload(Dataset.tags)))
    for ds in datasets:
        score = quality_of(ds).score
        own = bins.by_org.get(ds.organization_id)
        if own is None:
            continue
        own[0].quality.scores.append(score)  # the year: every dataset published now
        if ds.published_at is not None:
            day = local_date(ds.published_at)
            if day.year == bins.year:
                own[quarter_of(day)].quality.scores.append(score)


def _validation(bins: _Bins, ids: list[int], year: int, details: Details | None) -> None:
    first = (select(ValidationRun.resource_id, func.min(ValidationRun.id).label("run_id"))
             .where(ValidationRun.status.in_(VERDICTS)).group_by(ValidationRun.resource_id).subquery())
    rows = db.session.execute(
        select(Resource.id, Resource.name, Resource.created_at, Dataset.organization_id, Dataset.slug, Dataset.title,
               ValidationRun.status, ValidationRun.error_count)
        .join(Dataset, Dataset.id == Resource.dataset_id)
        .join(first, first.c.resource_id == Resource.id)
        .join(ValidationRun, ValidationRun.id == first.c.run_id)
        .where(Dataset.organization_id.in_(ids), Resource.revision_of_id.is_(None),
               Resource.created_at >= _utc(date(year, 1, 1)), Resource.created_at < _utc(date(year + 1, 1, 1)))
        .order_by(Resource.created_at))
    for rid, name, created, org_id, slug, title, status, errors in rows:
        passed = RunStatus(status) == RunStatus.VALID
        day = local_date(created)
        for f in bins.at(org_id, day):
            f.validation.uploaded += 1
            f.validation.passed += passed
        if details is not None and not passed and details.covers(day) and len(details.failed_tables) < LIST_MAX:
            details.failed_tables.append(FailedTable(rid, name, slug, title, created, str(status), errors))


def _review(bins: _Bins, ids: list[int], year: int, details: Details | None) -> None:
    since = _utc(date(year, 1, 1)) - timedelta(days=REVIEW_LOOKBACK_DAYS)
    rows = db.session.execute(
        select(ReviewEvent.dataset_id, ReviewEvent.action, ReviewEvent.created_at, Dataset.organization_id,
               Dataset.slug, Dataset.title)
        .join(Dataset, Dataset.id == ReviewEvent.dataset_id)
        .where(Dataset.organization_id.in_(ids), ReviewEvent.action.in_(("submit", "retract", *DECISIONS)),
               ReviewEvent.created_at >= since, ReviewEvent.created_at < _utc(date(year + 1, 1, 1)))
        .order_by(ReviewEvent.dataset_id, ReviewEvent.created_at, ReviewEvent.id))
    open_since: dict[str, datetime] = {}
    spans: list[ReviewSpan] = []
    for dataset_id, action, created, org_id, slug, title in rows:
        if action == "submit":
            open_since[dataset_id] = created
            continue
        submitted = open_since.pop(dataset_id, None)
        if action == "retract" or submitted is None:
            continue
        days = max(0.0, (created - submitted).total_seconds() / 86400)
        decided_on = local_date(created)
        for f in bins.at(org_id, decided_on):
            f.review.days.append(days)
        if details is not None and details.covers(decided_on):
            spans.append(ReviewSpan(slug, title, submitted, created, action, round(days, 1)))
    if details is not None:
        details.slow_reviews = sorted(spans, key=lambda s: -s.days)[:10]


def _ppid(bins: _Bins, ids: list[int], year: int, today: date, details: Details | None) -> None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = InformationRequest.decided_on.is_not(None) & InformationRequest.decided_on.between(start, end)
    overdue = InformationRequest.state.in_(OPEN_STATES) & InformationRequest.due_on.between(start, end) \
        & (InformationRequest.due_on < today)
    rows = db.session.execute(
        select(InformationRequest.number, InformationRequest.handler_id, InformationRequest.state,
               InformationRequest.due_on, InformationRequest.decided_on)
        .where(InformationRequest.handler_id.in_(ids), decided | overdue)
        .order_by(InformationRequest.due_on, InformationRequest.id))
    for number, handler_id, state, due_on, decided_on in rows:
        if state in DECIDED_STATES and decided_on is not None and start <= decided_on <= end:
            on_time = decided_on <= due_on
            for f in bins.at(handler_id, decided_on):
                f.ppid.answered += 1
                f.ppid.on_time += on_time
            if details is not None and not on_time and details.covers(decided_on):
                details.late_requests.append(LateRequest(number, due_on, decided_on))
        elif state in OPEN_STATES:
            for f in bins.at(handler_id, due_on):
                f.ppid.overdue += 1
            if details is not None and details.covers(due_on):
                details.late_requests.append(LateRequest(number, due_on, None))
    if details is not None:
        del details.late_requests[LIST_MAX:]


def compute(organization_ids: Sequence[int], year: int, *, today: date | None = None,
            details: Details | None = None) -> dict[int, list[Figures]]:
    """The figures of each OPD in ``organization_ids`` for ``year`` (index 0) and its quarters
    (1-4), as of ``today`` (WIB). With ``details`` (for one OPD), the lists behind the numbers of
    ``details.period`` (``year`` or one of its quarters) are filled in too, from the same rows
    (no query more)."""
    if details is not None and details.period.year != year:
        raise ValueError(f"the lists of {details.period.key} are not in {year}")
    today = today or local_today()
    ids = list(dict.fromkeys(organization_ids))
    bins = _Bins(year, ids)
    if ids:
        _daftar(bins, ids, year, today, details)
        _quality(bins, ids)
        _validation(bins, ids, year, details)
        _review(bins, ids, year, details)
        _ppid(bins, ids, year, today, details)
    return bins.by_org


# --------------------------------------------------------------------------- the summaries the pages read


@dataclass
class OpdRow:
    organization: Organization
    region: Organization | None
    figures: Figures  # of the chosen period
    quarters: list[Figures]  # Q1-Q4 of its year


@dataclass
class RegionGroup:
    region: Organization | None
    rows: list[OpdRow]
    total: Figures
    quarters: list[Figures]


@dataclass
class Summary:
    period: Period
    today: date
    groups: list[RegionGroup]
    total: Figures
    quarters: list[Figures]  # Q1-Q4 of every OPD shown

    @property
    def rows(self) -> list[OpdRow]:
        return [r for g in self.groups for r in g.rows]


# Sort keys of the OPD table: key -> (value of a row, whether the larger value is worse).
# ``None`` (nothing to measure) always sorts last.
SORTS: dict[str, tuple[Any, bool]] = {
    "ketepatan": (lambda f: f.daftar.on_time_share, False),
    "terlambat": (lambda f: f.daftar.overdue + f.daftar.late, True),
    "kualitas": (lambda f: f.quality.average, False),
    "validasi": (lambda f: f.validation.pass_rate, False),
    "telaah": (lambda f: f.review.median_days, True),
    "ppid": (lambda f: f.ppid.on_time_share, False),
}
DEFAULT_SORT = "ketepatan"


def _sort_rows(rows: list[OpdRow], sort: str, descending: bool = False) -> list[OpdRow]:
    """Worst first by ``sort`` (``descending`` turns it round); ties by name; ``nama`` by name."""
    if sort == "nama" or sort not in SORTS:
        return sorted(rows, key=lambda r: r.organization.name.casefold(), reverse=descending)
    value, larger_is_worse = SORTS[sort]
    known = [r for r in rows if value(r.figures) is not None]
    unknown = [r for r in rows if value(r.figures) is None]
    worst_first = larger_is_worse != descending
    known.sort(key=lambda r: (-value(r.figures) if worst_first else value(r.figures), r.organization.name))
    unknown.sort(key=lambda r: r.organization.name.casefold())
    return known + unknown


def _summary(opds: list[Organization], orgs: dict[int, Organization], period: Period, today: date,
             sort: str, descending: bool) -> Summary:
    figures = compute([o.id for o in opds], period.year, today=today)
    index = 0 if period.quarter is None else period.quarter
    grouped: dict[int | None, list[OpdRow]] = {}
    regions_by_id: dict[int | None, Organization | None] = {}
    for org in opds:
        region = region_of(org, orgs)
        key = region.id if region is not None else None
        regions_by_id[key] = region
        bins = figures[org.id]
        grouped.setdefault(key, []).append(OpdRow(org, region, bins[index], bins[1:]))
    groups = []
    for key, rows in grouped.items():
        groups.append(RegionGroup(regions_by_id[key], _sort_rows(rows, sort, descending),
                                  total_of(r.figures for r in rows),
                                  [total_of(r.quarters[q] for r in rows) for q in range(4)]))
    # The province first, then kabupaten and kota by name; OPD without a region last.
    groups.sort(key=lambda g: (g.region is None, g.region is not None and g.region.kind != OrganizationKind.PROVINSI,
                               g.region.name if g.region is not None else ""))
    every = [r for g in groups for r in g.rows]
    return Summary(period, today, groups, total_of(r.figures for r in every),
                   [total_of(r.quarters[q] for r in every) for q in range(4)])


def summary_for(actor: Actor, period: Period, *, sort: str = DEFAULT_SORT, descending: bool = False,
                today: date | None = None) -> Summary:
    """The internal dashboard: the OPD of ``actor``'s region (walidata, Atasan PPID; every OPD
    for admins)."""
    require(actor, Permission.KINERJA_READ)
    orgs = _organizations()
    return _summary(_opds(readable_scope(actor), orgs), orgs, period, today or local_today(), sort, descending)


def public_summary(period: Period, *, sort: str = "nama", descending: bool = False,
                   today: date | None = None) -> Summary:
    """The public summary (``/kinerja``, the API): every OPD, counts and rates only."""
    orgs = _organizations()
    return _summary(_opds(None, orgs), orgs, period, today or local_today(), sort, descending)


@dataclass
class OpdDetail:
    organization: Organization
    region: Organization | None
    period: Period
    today: date
    year: Figures
    quarters: list[Figures]
    details: Details  # of ``period``

    @property
    def figures(self) -> Figures:
        """The figures of the chosen period (the year, or its quarter), which ``details`` lists."""
        return self.year if self.period.quarter is None else self.quarters[self.period.quarter - 1]


def opd_detail(actor: Actor, org: Organization, period: Period, *, today: date | None = None) -> OpdDetail:
    """One OPD's figures for ``period``'s year by quarter, and the lists behind the figures of
    ``period`` itself (a quarter's page lists that quarter's records only)."""
    require(actor, Permission.KINERJA_READ, org)
    today = today or local_today()
    details = Details(period)
    bins = compute([org.id], period.year, today=today, details=details)[org.id]
    return OpdDetail(org, region_of(org), period, today, bins[0], bins[1:], details)
