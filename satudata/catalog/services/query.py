"""The public catalogue's one query: a ``DatasetQuery`` value, the filter registry, and the
SQL translator that answers any query when no search engine can.

Every reader of the public catalogue (the site's lists, ``/api/v1/datasets``, CKAN's
``package_search`` and friends, the DCAT catalogue) builds a ``DatasetQuery`` from its own
syntax (form fields, REST parameters, Solr-style ``q``/``fq``) and hands it to one function:
``search.services.find_public_datasets``, which asks the search engine whether it can answer
and otherwise calls ``query_database`` here. The catalogue's own pages reach it through
``listing.find_public`` (search registers it at start-up; the catalogue sits below search).

- ``Clause``: one condition, a key of ``FILTERS`` matching *any* of its values, or a range
  (``since``/``until`` for times, ``low``/``high`` for counts), possibly negated.
- ``DatasetQuery``: text, clauses as an AND of OR-groups, sorts, offset/limit, facets.
- ``FILTERS``: key → ``FilterField`` (its SQL condition, whether the engines index it, its
  facet counter, its value labels, how a value is checked). Aliases in ``KEY_ALIASES``.
- ``query_database``: the SQL translator; ``load_public``: the rows of a page, in order.
- ``DatasetPage``: the one result type (``page``/``per_page``/``pages`` for page-based front
  ends, ``offset``/``limit`` for CKAN's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, String, and_, cast, false, func, intersect, or_, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from satudata.accounts.models import Organization
from satudata.catalog import tags as tags_rules
from satudata.catalog.models import (
    AccessClass,
    Dataset,
    DatasetState,
    Frequency,
    Licence,
    Resource,
    Tag,
    Topic,
    dataset_tag,
    dataset_topic,
)
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.generations import CATALOG, ProcessCache

__all__ = [
    "Clause", "DatasetQuery", "DatasetPage", "FilterField", "FILTERS", "KEY_ALIASES", "FACET_KEYS",
    "SORT_KEYS", "SITE_SORTS", "site_sort", "check_query", "query_database", "load_public", "Loader", "label_facets",
    "wilayah_levels", "organization_regions", "check_value", "EXTRA_COLUMNS", "TEXT_FILTERS",
]

# (key, descending) pairs a query may sort by. ``relevance`` needs text and a search engine;
# the database skips it (and a query without text drops it).
SORT_KEYS = ("relevance", "published", "modified", "created", "title", "slug", "id", "downloads", "views")
# The sort names of the site and the REST API.
SITE_SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "relevance": (("relevance", True),),
    "newest": (("published", True),),
    "modified": (("modified", True),),
    "name": (("title", False),),
    "downloads": (("downloads", True),),
}
DEFAULT_SORT = [("published", True), ("title", False)]
FREQUENCY_LABELS = {
    "tahunan": "Tahunan", "semesteran": "Semesteran", "triwulanan": "Triwulanan", "bulanan": "Bulanan",
    "mingguan": "Mingguan", "harian": "Harian", "tidak_tentu": "Tidak tentu",
}
_KODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_ORG_ID = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def public_filter() -> Any:
    """What the public may see: published, and classified ``publik``."""
    return and_(Dataset.state == DatasetState.PUBLISHED, Dataset.access_class == AccessClass.PUBLIK)


# --------------------------------------------------------------------------- the query value


@dataclass(frozen=True)
class Clause:
    """A dataset matches when ``key`` equals any of ``values`` (or lies in the range), or,
    with ``negate``, when it does not. An empty ``values`` without a range matches nothing,
    so ``Clause("nothing", negate=True)`` matches everything (Solr's ``*:*``)."""

    key: str
    values: tuple[str, ...] = ()
    negate: bool = False
    since: datetime | None = None  # modified / created: inclusive, either end open
    until: datetime | None = None
    low: int | None = None  # num_resources / num_tags: inclusive, either end open
    high: int | None = None

    @property
    def is_range(self) -> bool:
        return any(v is not None for v in (self.since, self.until, self.low, self.high))

    @property
    def is_everything(self) -> bool:
        return self.key == "nothing" and self.negate


@dataclass(frozen=True)
class DatasetQuery:
    """One read of the public catalogue. ``groups`` is an AND of OR-groups of clauses; ``sort``
    lists ``(key, descending)`` pairs of ``SORT_KEYS`` (empty: newest published first), the id
    breaking ties so paging is stable; ``facet_limit=None`` counts every facet value."""

    text: str = ""
    groups: tuple[tuple[Clause, ...], ...] = ()
    sort: tuple[tuple[str, bool], ...] = ()
    offset: int = 0
    limit: int = 20
    facets: tuple[str, ...] = ()
    facet_limit: int | None = 50
    highlight: bool = False

    @classmethod
    def of(cls, text: str = "", filters: Mapping[str, Iterable[Any] | str] | None = None, *,
           sort: str | Sequence[tuple[str, bool]] = "relevance", page: int = 1, per_page: int = 20,
           **options: Any) -> DatasetQuery:
        """The site's and REST API's form: every value of every filter must hold (each its own
        clause), a named sort (``SITE_SORTS``) and a page number."""
        groups = []
        for key, values in (filters or {}).items():
            for value in ([values] if isinstance(values, str | int) else list(values or [])):
                if str(value).strip():
                    groups.append((Clause(key, (str(value),)),))
        if page < 1 or per_page < 1:
            raise Invalid("Halaman dan jumlah per halaman harus bilangan positif.",
                          details={"page": ["Mulai dari halaman 1."]})
        return cls(text=text or "", groups=tuple(groups), sort=site_sort(sort) if isinstance(sort, str) else tuple(sort),
                   offset=(page - 1) * per_page, limit=per_page, **options)

    def plain_filters(self) -> dict[str, list[str]] | None:
        """The clauses as ``{key: [values]}`` with every value required, or ``None`` when a
        clause is negated, a range, or offers alternatives (what only the database answers)."""
        out: dict[str, list[str]] = {}
        for group in self.groups:
            if len(group) != 1:
                return None
            clause = group[0]
            if clause.is_everything:
                continue
            if clause.negate or clause.is_range or len(clause.values) != 1:
                return None
            bucket = out.setdefault(clause.key, [])
            if clause.values[0] not in bucket:
                bucket.append(clause.values[0])
        return out


def site_sort(name: str) -> tuple[tuple[str, bool], ...]:
    if name not in SITE_SORTS:
        raise Invalid(f"Urutan '{str(name)[:40]}' tidak dikenal.",
                      details={"sort": [f"Pilih salah satu: {', '.join(SITE_SORTS)}."]})
    return SITE_SORTS[name]


@dataclass
class DatasetPage:
    """One page of public datasets in order, facet counts over the whole match
    (``{key: [(value, label, count)]}``), and, from a search engine, highlighted title and
    description per dataset id and a "did you mean". ``degraded``: the search engine is down
    and the database answered (no relevance ranking, no highlights), which a page should say."""

    items: list[Any]  # Dataset rows, or what the search's ``load`` made of them
    total: int
    offset: int
    limit: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    highlights: dict[str, dict[str, Markup]] = field(default_factory=dict)
    suggestion: str | None = None
    degraded: bool = False
    answered_by: str = "database"

    @property
    def per_page(self) -> int:
        return self.limit

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1


# --------------------------------------------------------------------------- the filter registry


@dataclass(frozen=True)
class FilterField:
    """One filter key: ``sql(d, clause)`` is its condition on the dataset alias ``d`` (without
    the negation); ``engine``: the search engines index it with exact values (and can filter
    and count it); ``facet(ids)`` counts its values among the dataset ids of a subquery;
    ``labels(values)`` names values for people; ``check(value)`` returns the value in its
    canonical form or raises ``Invalid``; ``title`` names the filter."""

    key: str
    title: str
    sql: Callable[[Any, Clause], Any]
    engine: bool = False
    facet: Callable[[Any], list[tuple[str, int]]] | None = None
    labels: Callable[[list[str]], dict[str, str]] | None = None
    check: Callable[[str], str] | None = None


def _in_values(column: Any) -> Callable[[Any, Clause], Any]:
    return lambda d, c: getattr(d, column).in_(list(c.values))


def contains(column: Any, value: str) -> Any:
    """``column`` holds ``value`` (case-insensitive, ``%`` and ``_`` literal): every text match
    of the database queries goes through here, so a "50%" typed by someone is never a wildcard."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(cast(column, String)).like(f"%{escaped}%", escape="\\")


def wilayah_levels(code: str | None) -> list[str]:
    """A region code and every code above it (``14.07.01`` → ``14``, ``14.07``, ``14.07.01``)."""
    if not code:
        return []
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _region_condition(column: Any, values: Sequence[str]) -> Any:
    return or_(false(), *[or_(column == v, column.like(f"{v}.%")) for v in values])


def _organization_sql(d: Any, c: Clause) -> Any:
    return d.organization_id.in_(select(Organization.id).where(Organization.slug.in_(list(c.values))))


def _check_organization(value: str) -> str:
    """An organisation named by its public UUID (CKAN's ``owner_org``) or the number of old
    links becomes its slug, what everything else names it by."""
    if _ORG_ID.match(value.lower()):
        key = value.lower()
        slug = db.session.scalar(select(Organization.slug).where(
            or_(Organization.uuid == key, cast(Organization.id, String) == key)))
        return slug or value
    return value


def _check_year(value: str) -> str:
    if not (value.isdigit() and len(value) == 4):
        raise Invalid(f"Tahun '{value[:20]}' tidak valid.", details={"year": ["Gunakan angka tahun, misalnya 2024."]})
    return value


def _check_frequency(value: str) -> str:
    value = value.lower()
    if value not in Frequency.values():
        raise Invalid(f"Frekuensi '{value[:20]}' tidak dikenal.",
                      details={"frequency": [f"Pilih salah satu: {', '.join(Frequency.values())}."]})
    return value


def _check_kode(name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not _KODE.match(value):
            raise Invalid(f"Kode wilayah '{value[:20]}' tidak valid.",
                          details={name: ["Tulis kode wilayah Kemendagri dengan titik, misalnya 14.07."]})
        return value
    return check


def _check_count(value: str) -> str:
    if not value.isdigit():
        raise Invalid(f"Jumlah '{value[:20]}' tidak valid.", details={"filter": ["Gunakan angka, misalnya 2."]})
    return value


def _grouped(q: Any) -> list[tuple[str, int]]:
    return [(str(v), int(n)) for v, n in db.session.execute(q) if v is not None]


def _facet_organization(ids: Any) -> list[tuple[str, int]]:
    return _grouped(select(Organization.slug, func.count()).join(Dataset, Dataset.organization_id == Organization.id)
                    .where(Dataset.id.in_(select(ids.c.id))).group_by(Organization.slug))


def _facet_topic(ids: Any) -> list[tuple[str, int]]:
    return _grouped(select(Topic.slug, func.count()).join(dataset_topic, dataset_topic.c.topic_id == Topic.id)
                    .where(dataset_topic.c.dataset_id.in_(select(ids.c.id))).group_by(Topic.slug))


def _facet_tag(ids: Any) -> list[tuple[str, int]]:
    return _grouped(select(Tag.name, func.count()).join(dataset_tag, dataset_tag.c.tag_id == Tag.id)
                    .where(dataset_tag.c.dataset_id.in_(select(ids.c.id))).group_by(Tag.name))


def _facet_format(ids: Any) -> list[tuple[str, int]]:
    fmt = func.upper(Resource.format)
    return _grouped(select(fmt, func.count(func.distinct(Resource.dataset_id)))
                    .where(Resource.dataset_id.in_(select(ids.c.id)), Resource.format.is_not(None)).group_by(fmt))


def _facet_column(column: str) -> Callable[[Any], list[tuple[str, int]]]:
    def count(ids: Any) -> list[tuple[str, int]]:
        col = getattr(Dataset, column)
        return _grouped(select(col, func.count()).where(Dataset.id.in_(select(ids.c.id)), col.is_not(None))
                        .group_by(col))
    return count


def organization_regions() -> Any:
    """``(organisation id, region code)``: its own ``kode_wilayah``, else its parent's (an OPD
    entered without a code belongs to its government's region)."""
    parent = aliased(Organization)
    code = func.coalesce(func.nullif(Organization.kode_wilayah, ""), parent.kode_wilayah).label("code")
    return select(Organization.id.label("id"), code).outerjoin(parent, parent.id == Organization.parent_id)


def _wilayah_sql(d: Any, c: Clause) -> Any:
    regions = organization_regions().subquery()
    return d.organization_id.in_(select(regions.c.id).where(_region_condition(regions.c.code, c.values)))


def _facet_wilayah(ids: Any) -> list[tuple[str, int]]:
    """Every level of the producing government's region: a dataset of an OPD of Rokan Hilir
    counts under ``14.07`` and under ``14`` (Riau)."""
    totals: Counter[str] = Counter()
    regions = organization_regions().subquery()
    rows = db.session.execute(
        select(regions.c.code, func.count()).join(Dataset, Dataset.organization_id == regions.c.id)
        .where(Dataset.id.in_(select(ids.c.id)), regions.c.code.is_not(None))
        .group_by(regions.c.code))
    for code, n in rows:
        for level in wilayah_levels(code):
            totals[level] += int(n)
    return list(totals.items())


def _labels_of(query: Callable[[list[str]], Any]) -> Callable[[list[str]], dict[str, str]]:
    return lambda values: {str(k): str(v or k) for k, v in db.session.execute(query(values))} if values else {}


def _region_labels(values: list[str]) -> dict[str, str]:
    from satudata import reference

    return {v: (reference.name(v) if _KODE.match(v) else None) or v for v in values}


def _government_labels(values: list[str]) -> dict[str, str]:
    """A government's region by its name, a province's with "Provinsi" (the reference list
    names a province alone: "Riau")."""
    return {v: f"Provinsi {name}" if "." not in v and name != v else name
            for v, name in _region_labels(values).items()}


def _frequency_labels(values: list[str]) -> dict[str, str]:
    return {v: FREQUENCY_LABELS.get(v, v) for v in values}


def _id_sql(d: Any, c: Clause) -> Any:
    return d.id.in_(list(c.values))


def _range_sql(column: str) -> Callable[[Any, Clause], Any]:
    def condition(d: Any, c: Clause) -> Any:
        col = getattr(d, column)
        cond: Any = true() if c.is_range else col.in_(list(c.values))
        if c.since is not None:
            cond = and_(cond, col >= c.since)
        if c.until is not None:
            cond = and_(cond, col <= c.until)
        return cond
    return condition


def _count_sql(d: Any, c: Clause) -> Any:
    """``num_resources`` / ``num_tags`` equal to one of the values or within [low, high]."""
    if c.key == "num_resources":
        counted = select(func.count(Resource.id)).where(Resource.dataset_id == d.id).scalar_subquery()
    else:
        counted = select(func.count()).select_from(dataset_tag).where(dataset_tag.c.dataset_id == d.id) \
            .scalar_subquery()
    if c.values:
        return counted.in_([int(v) for v in c.values])
    cond: Any = true()
    if c.low is not None:
        cond = and_(cond, counted >= c.low)
    if c.high is not None:
        cond = and_(cond, counted <= c.high)
    return cond


# Text the CKAN Action API's ``fq`` may match word by word (Solr text fields).
TEXT_FILTERS = ("title", "notes", "text", "author", "author_email", "maintainer", "maintainer_email",
                "res_name", "res_description", "res_url", "url")
# CKAN extras (the Satu Data fields, ``api.ckan_dicts.satu_data_fields``) and their columns.
EXTRA_COLUMNS = {
    "urusan": "urusan", "konsep": "konsep", "definisi": "definisi", "klasifikasi": "klasifikasi",
    "ukuran": "ukuran", "satuan": "satuan", "tahun": "year", "periode": "period", "frekuensi": "frequency",
    "jadwal_rilis": "release_date", "tingkat_penyajian": "presentation_level", "kode_wilayah": "kode_wilayah",
    "cakupan_wilayah": "coverage", "sumber_data": "data_source", "cara_pengumpulan": "collection_method",
    "jenis_data": "data_kind", "data_prioritas": "is_priority", "status_data": "data_status",
    "klasifikasi_akses": "access_class",
}


def _text_sql(d: Any, c: Clause) -> Any:
    """A dataset whose text field ``c.key`` holds any of the values."""
    return or_(false(), *[_text_condition(d, c.key, v) for v in c.values])


def _text_condition(d: Any, key: str, value: str) -> Any:
    org = select(Organization.id)
    if key == "title":
        return contains(d.title, value)
    if key == "notes":
        return contains(d.description, value)
    if key == "url":
        return contains(d.remote_url, value)
    if key == "author":
        return d.organization_id.in_(org.where(contains(Organization.name, value)))
    if key == "author_email":
        return d.organization_id.in_(org.where(contains(Organization.email, value)))
    if key == "maintainer":
        return or_(contains(d.contact_name, value),
                   and_(d.contact_name.is_(None), d.organization_id.in_(org.where(contains(Organization.name, value)))))
    if key == "maintainer_email":
        return or_(contains(d.contact_email, value),
                   and_(d.contact_email.is_(None),
                        d.organization_id.in_(org.where(contains(Organization.email, value)))))
    if key in ("res_name", "res_description", "res_url"):
        column = {"res_name": Resource.name, "res_description": Resource.description, "res_url": Resource.url}[key]
        return d.id.in_(select(Resource.dataset_id).where(contains(column, value)))
    # "text": Solr's catch-all field
    return or_(contains(d.title, value), contains(d.description, value),
               d.organization_id.in_(org.where(contains(Organization.name, value))),
               d.id.in_(select(dataset_tag.c.dataset_id).join(Tag, Tag.id == dataset_tag.c.tag_id)
                        .where(or_(contains(Tag.name, value), contains(Tag.display_name, value)))))


def _extra_sql(name: str) -> Callable[[Any, Clause], Any]:
    """A Satu Data field (a CKAN extra) equal to one of the values (text: holding it)."""
    def condition(d: Any, c: Clause) -> Any:
        values = list(c.values)
        if name in ("produsen_data", "walidata"):
            column = d.organization_id if name == "produsen_data" else d.walidata_id
            return column.in_(select(Organization.id).where(
                or_(false(), *[contains(Organization.name, v) for v in values])))
        column = getattr(d, EXTRA_COLUMNS[name])
        if name == "data_prioritas":
            wanted = {v.lower() in ("true", "1", "ya") for v in values}
            return or_(false(), *[column.is_(w) for w in wanted])
        if name == "tahun":
            return column.in_([int(v) for v in values if v.isdigit()] or [-1])
        return or_(false(), *[contains(column, v) for v in values])
    return condition


def _build_registry() -> dict[str, FilterField]:
    fields = [
        FilterField("organization", "Organisasi", _organization_sql, engine=True, facet=_facet_organization,
                    labels=_labels_of(lambda v: select(Organization.slug, Organization.name)
                                      .where(Organization.slug.in_(v))),
                    check=_check_organization),
        FilterField("topic", "Topik", lambda d, c: d.id.in_(
            select(dataset_topic.c.dataset_id).join(Topic, Topic.id == dataset_topic.c.topic_id)
            .where(Topic.slug.in_(list(c.values)))), engine=True, facet=_facet_topic,
            labels=_labels_of(lambda v: select(Topic.slug, Topic.name).where(Topic.slug.in_(v)))),
        FilterField("tag", "Kata kunci", lambda d, c: d.id.in_(
            select(dataset_tag.c.dataset_id).join(Tag, Tag.id == dataset_tag.c.tag_id)
            .where(Tag.name.in_(list(c.values)))), engine=True, facet=_facet_tag,
            labels=_labels_of(lambda v: select(Tag.name, Tag.display_name).where(Tag.name.in_(v))),
            check=tags_rules.lookup_key),
        FilterField("format", "Format", lambda d, c: d.id.in_(
            select(Resource.dataset_id).where(func.upper(Resource.format).in_(list(c.values)))),
            engine=True, facet=_facet_format, check=str.upper),
        FilterField("licence", "Lisensi", _in_values("licence_id"), engine=True, facet=_facet_column("licence_id"),
                    labels=_labels_of(lambda v: select(Licence.id, Licence.title).where(Licence.id.in_(v)))),
        FilterField("year", "Tahun data", lambda d, c: d.year.in_([int(v) for v in c.values]), engine=True,
                    facet=_facet_column("year"), check=_check_year),
        FilterField("frequency", "Frekuensi", lambda d, c: d.frequency.in_([Frequency(v) for v in c.values]),
                    engine=True, facet=_facet_column("frequency"), labels=_frequency_labels, check=_check_frequency),
        FilterField("kode_wilayah", "Cakupan wilayah data", lambda d, c: _region_condition(d.kode_wilayah, c.values),
                    engine=True, facet=_facet_column("kode_wilayah"), labels=_region_labels),
        FilterField("wilayah", "Wilayah", _wilayah_sql, engine=True, facet=_facet_wilayah, labels=_government_labels, check=_check_kode("wilayah")),
        FilterField("id", "ID", _id_sql),
        FilterField("slug", "Nama", _in_values("slug")),
        FilterField("modified", "Diperbarui", _range_sql("updated_at")),
        FilterField("created", "Dibuat", _range_sql("created_at")),
        FilterField("nothing", "-", lambda d, c: false()),  # a field no dataset has: CKAN matches none
        FilterField("num_resources", "Jumlah sumber data", _count_sql, check=_check_count),
        FilterField("num_tags", "Jumlah kata kunci", _count_sql, check=_check_count),
        *(FilterField(name, name, _text_sql) for name in TEXT_FILTERS),
        *(FilterField(f"extra:{name}", name, _extra_sql(name)) for name in (*EXTRA_COLUMNS, "produsen_data", "walidata")),
    ]
    return {f.key: f for f in fields}


FILTERS: dict[str, FilterField] = _build_registry()
KEY_ALIASES = {"region": "kode_wilayah", "license": "licence", "license_id": "licence", "groups": "topic",
               "tags": "tag", "res_format": "format"}
FACET_KEYS = tuple(key for key, f in FILTERS.items() if f.facet is not None)


# --------------------------------------------------------------------------- checking


def check_query(query: DatasetQuery) -> DatasetQuery:
    """``query`` with canonical keys and values, or ``Invalid`` (in Bahasa Indonesia) naming
    what cannot be answered: an unknown filter, facet or sort, a bad value, a negative page."""
    if not isinstance(query.offset, int) or not isinstance(query.limit, int) or query.offset < 0 or query.limit < 0:
        raise Invalid("Offset dan limit tidak boleh negatif.", details={"start": ["Mulai dari 0."]})
    if query.facet_limit is not None and (not isinstance(query.facet_limit, int) or query.facet_limit < 1):
        raise Invalid("Batas facet harus bilangan bulat positif.", details={"facet.limit": ["Paling sedikit 1."]})
    for key, _desc in query.sort:
        if key not in SORT_KEYS:
            raise Invalid(f"Urutan '{str(key)[:40]}' tidak dikenal.",
                          details={"sort": [f"Pilih salah satu: {', '.join(SORT_KEYS)}."]})
    facets: list[str] = []
    for raw in query.facets:
        key = KEY_ALIASES.get(raw, raw)
        if key not in FACET_KEYS:
            raise Invalid(f"Facet '{str(raw)[:40]}' tidak dikenal.",
                          details={"facet": [f"Facet yang tersedia: {', '.join(FACET_KEYS)}."]})
        if key not in facets:
            facets.append(key)
    groups = tuple(tuple(_checked_clause(c) for c in group) for group in query.groups)
    text = " ".join(query.text.split())
    sort = tuple(s for s in query.sort if s[0] != "relevance" or text)
    return replace(query, text=text, groups=groups, facets=tuple(facets), sort=sort)


MAX_VALUE_CHARS = 200


def check_value(key: str, raw: Any) -> str | None:
    """One value of filter ``key`` (a canonical key of ``FILTERS``) in its canonical form, or
    ``None`` when blank; ``Invalid`` (in Bahasa Indonesia) when it cannot be one. The one rule
    for values, whoever answers the query (the search engines call it too)."""
    value = "" if raw is None else str(raw).strip()
    if not value:
        return None
    if len(value) > MAX_VALUE_CHARS:
        raise Invalid(f"Nilai filter '{key}' terlalu panjang.", details={key: ["Gunakan nilai dari daftar facet."]})
    check = FILTERS[key].check
    return check(value) if check else value


def _checked_clause(clause: Clause) -> Clause:
    key = KEY_ALIASES.get(clause.key, clause.key)
    spec = FILTERS.get(key)
    if spec is None:
        raise Invalid(f"Filter '{str(clause.key)[:40]}' tidak dikenal.",
                      details={"filter": [f"Filter yang tersedia: {', '.join(k for k in FILTERS if ':' not in k)}."]})
    values: list[str] = []
    for raw in clause.values:
        value = check_value(key, raw)
        if value is not None and value not in values:
            values.append(value)
    if not values and clause.values and not clause.is_range:
        values = [""]  # only blanks: matches nothing, as before
    return replace(clause, key=key, values=tuple(values))


# --------------------------------------------------------------------------- the SQL translator


def _text_match(q: Select[Any], text: str) -> Select[Any]:
    """Every word in the title, the description or a tag (the database's plain text search)."""
    for word in text.split():
        tag_match = select(dataset_tag.c.dataset_id).join(Tag).where(
            or_(contains(Tag.name, word), contains(Tag.display_name, word)))
        q = q.where(or_(contains(Dataset.title, word), contains(Dataset.description, word),
                        Dataset.id.in_(tag_match)))
    return q


def _clause_ids(clause: Clause) -> Select[Any]:
    """The ids of all datasets (public or not) matching ``clause`` without its negation; on an
    alias so it never correlates with the outer query. The caller wraps it in ``IN`` or
    ``NOT IN``, which also keeps NULL columns right under negation."""
    d = aliased(Dataset)
    if not clause.values and not clause.is_range and clause.key not in ("nothing",):
        return select(d.id).where(false())
    return select(d.id).where(FILTERS[clause.key].sql(d, clause))


def _among(q: Select[Any], id_sets: list[Select[Any]]) -> Select[Any]:
    """``q`` limited to datasets whose id is in every one of ``id_sets``, with one ``IN``.

    PostgreSQL turns each ``IN (subquery)`` of a WHERE's top-level AND into a semi-join, and
    its planning time grows exponentially with their number: 50 filter clauses took 40 s to
    plan (issue #16). One ``IN`` over their INTERSECT plans in milliseconds on both databases.
    """
    if not id_sets:
        return q
    return q.where(Dataset.id.in_(id_sets[0] if len(id_sets) == 1 else intersect(*id_sets)))


def _sort_column(key: str) -> Any:
    return {
        "published": Dataset.published_at, "modified": Dataset.updated_at, "created": Dataset.created_at,
        "title": Dataset.title, "slug": Dataset.slug, "id": Dataset.id, "downloads": Dataset.download_count,
        "views": Dataset.view_count,
    }[key]


def matching_ids(query: DatasetQuery) -> Select[Any]:
    """The ids of the public datasets a (checked) query matches."""
    base = _text_match(select(Dataset.id).where(public_filter()), query.text)
    id_sets: list[Select[Any]] = []  # plain clauses, met together (see _among)
    for group in query.groups:
        if len(group) == 1 and group[0].is_everything:
            continue
        if len(group) == 1 and not group[0].negate:
            id_sets.append(_clause_ids(group[0]))
            continue
        alternatives = [Dataset.id.not_in(_clause_ids(c)) if c.negate else Dataset.id.in_(_clause_ids(c))
                        for c in group if not c.is_everything]
        if len(alternatives) == len(group):
            base = base.where(or_(false(), *alternatives))
    return _among(base, id_sets)


# What a page holds for the ids of its datasets, in order, leaving out the ones no longer
# public: the Dataset rows (load_public), or a shape of them (the CKAN API's cached dicts).
Loader = Callable[[Sequence[str]], list[Any]]


def load_public(ids: Sequence[str]) -> list[Dataset]:
    """The public datasets of ``ids`` in that order (one no longer public is left out), with
    everything lists, pages and API dicts read loaded up front and without the columns no list
    shows (validation report, Table Schema, column summary), which can be large.

    By primary key alone: with the public condition in the query, SQLite (which keeps no
    statistics) picks the index on ``state`` and reads every published dataset, about 50 ms
    at 100,000 datasets instead of 1 ms.
    """
    if not ids:
        return []
    rows = db.session.scalars(
        select(Dataset).where(Dataset.id.in_(list(ids)))
        .options(joinedload(Dataset.organization), joinedload(Dataset.walidata), joinedload(Dataset.licence),
                 selectinload(Dataset.resources).defer(Resource.validation_report).defer(Resource.table_schema)
                 .defer(Resource.columns),
                 selectinload(Dataset.topics), selectinload(Dataset.tags))
    )
    by_id = {d.id: d for d in rows if d.is_public}
    return [by_id[i] for i in ids if i in by_id]


def sort_facet(buckets: Iterable[tuple[str, int]], limit: int | None) -> list[tuple[str, int]]:
    """Most frequent first, then by value, at most ``limit`` (``None``: all)."""
    ordered = sorted(((str(v), int(n)) for v, n in buckets if n > 0), key=lambda b: (-b[1], b[0]))
    return ordered if limit is None else ordered[:limit]


# The names facet values are shown with (organisations, topics, tags, licences, regions), kept
# per process until the catalogue changes (satudata/generations.py): a search page or a CKAN
# package_search with facets reads them from memory instead of one query per facet.
_facet_labels: ProcessCache[tuple[str, str], str] = ProcessCache(CATALOG, size=20_000)


def label_facets(facets: Mapping[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, str, int]]]:
    """``{key: [(value, count)]}`` → ``{key: [(value, label, count)]}`` with current names."""
    out = {}
    for key, buckets in facets.items():
        spec = FILTERS.get(key)
        labels: Mapping[tuple[str, str], str] = {}
        if spec and spec.labels:
            names = spec.labels

            def load(wanted: list[tuple[str, str]], key: str = key,
                     names: Callable[[list[str]], dict[str, str]] = names) -> dict[tuple[str, str], str]:
                return {(key, value): label for value, label in names([v for _k, v in wanted]).items()}

            labels = _facet_labels.get_many([(key, v) for v, _n in buckets], load)
        out[key] = [(value, labels.get((key, value), value), count) for value, count in buckets]
    return out


def query_database(query: DatasetQuery, load: Loader | None = None) -> DatasetPage:
    """Answer ``query`` from the database alone (any clause, any sort; text matched word by word
    in title, description and tags, without ranking). ``load`` gives the page's items for their
    ids (default :func:`load_public`). Raises ``Invalid`` for bad input."""
    query = check_query(query)
    ids = matching_ids(query).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    items: list[Dataset] = []
    if query.limit and query.offset < total:
        sort = [s for s in query.sort if s[0] != "relevance"] or DEFAULT_SORT
        order = [_sort_column(k).desc() if desc else _sort_column(k).asc() for k, desc in sort]
        page_ids = list(db.session.scalars(
            select(Dataset.id).where(Dataset.id.in_(select(ids.c.id)))
            .order_by(*order, Dataset.id).offset(query.offset).limit(query.limit)))
        items = (load or load_public)(page_ids)
    facets = {key: sort_facet(FILTERS[key].facet(ids), query.facet_limit)  # type: ignore[misc]
              for key in query.facets}
    return DatasetPage(items=items, total=total, offset=query.offset, limit=query.limit,
                       facets=label_facets(facets))
