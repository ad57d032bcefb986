"""Turning a plug-in's :class:`~harvesters.base.RemoteDataset` into one of our datasets, and
back out of the public catalogue when it disappears at the source.

Everything goes through the catalogue and review services, as the harvest actor
(``SystemActor("harvest")``), so a harvested dataset has the same history as any other: a draft
created, a ``submit`` and (publish mode ``direct``) a ``publish`` that writes a DatasetVersion;
in mode ``review`` it waits in the walidata's queue. A change at the source of a published
dataset goes through a revision (opened, filled, submitted, and published in mode ``direct``),
so the public keeps the published version until the new one is published and versions are
written as for any publication. A dataset that is gone at the source is withdrawn with a
reason naming the source, never deleted.

What we map (the rest of the record stays in ``HarvestRecord.raw``): title, description,
topics (remote groups/themes matched to our topics by slug, plus the source's default topics),
tags as the source writes them (their display names; plus default tags; a tag our rules refuse
is left out with a note), licence (matched by id, URL or title; an unknown one is left empty
with a note), year, period, coverage, frequency, contact, and every http(s) resource as a link
(name, format, description). Year, period, coverage and frequency are the plug-in's fields,
else the Satu Data extras another Satu Data portal or a ckanext-scheming Satu Data schema
writes (``tahun``, ``periode``, ``cakupan_wilayah``, ``frekuensi``; see
``satudata/api/ckan_dicts.py``). ``data_source`` is the source's own ``sumber_data`` (who
produced the data), else the source's title. A new dataset also starts with the local-only Satu
Data fields a Satu Data source gives (urusan, konsep, definisi, klasifikasi, ukuran, satuan,
tingkat penyajian, kode wilayah, cara pengumpulan, jenis data, status data, jadwal rilis, data
prioritas; unknown codes left out with a note); they are the walidata's own from then on.

A record that carries its values (``RemoteDataset.table``, SIPD e-Walidata's final DSSD values)
gets one stored CSV instead of links (``upload_resource`` with the table's Table Schema, then
``replace_resource_file`` when the values change, so the file keeps its history; validated in
the background like any upload). A record that plans Daftar Data items (``RemoteDataset.daftar``)
has them created or updated through ``review.daftar.services.import_harvested_item`` as the
harvest actor (:func:`import_daftar`), the dataset fulfilling the items of the years it holds.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slugify import slugify
from sqlalchemy import func, or_, select

from harvesters.base import RemoteDataset, RemoteTable
from satudata.accounts.models import Organization
from satudata.authz import SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    CollectionMethod,
    DataKind,
    Dataset,
    DatasetState,
    DataStatus,
    Frequency,
    Licence,
    PresentationLevel,
    Resource,
    Topic,
)
from satudata.catalog.services.catalogue import RESERVED_SLUGS, slug_from
from satudata.errors import Conflict, DomainError, Invalid
from satudata.extensions import db
from satudata.harvest.models import HarvestSource, ObjectStatus, PublishMode
from satudata.review import services as review

HARVEST_ACTOR = SystemActor("harvest")

# Frequencies as CKAN extras, DCAT (EU and Dublin Core) and Indonesian portals write them. EU
# ANNUAL_2 is twice a year (our semesteran, as satudata/api/dcat.py writes it), not yearly.
_FREQUENCIES: dict[str, Frequency] = {}
for _freq, _words in {
    Frequency.TAHUNAN: ("annual", "annually", "yearly", "tahunan", "per tahun", "1 tahun", "a", "p1y"),
    Frequency.SEMESTERAN: ("semiannual", "biannual", "semesteran", "semester", "6 bulan", "p6m", "annual_2"),
    Frequency.TRIWULANAN: ("quarterly", "triwulanan", "triwulan", "3 bulan", "p3m"),
    Frequency.BULANAN: ("monthly", "bulanan", "per bulan", "1 bulan", "p1m", "monthly_2"),
    Frequency.MINGGUAN: ("weekly", "mingguan", "per minggu", "p1w"),
    Frequency.HARIAN: ("daily", "harian", "per hari", "p1d", "continuous", "cont", "update_cont"),
    Frequency.TIDAK_TENTU: ("irregular", "irreg", "tidak tentu", "tidak_tentu", "other", "unknown", "never",
                            "as_needed"),
}.items():
    for _word in _words:
        _FREQUENCIES.setdefault(_word, _freq)


@dataclass
class Outcome:
    """What importing one record did: its status, the dataset, and notes for the people reading the job."""

    status: ObjectStatus
    dataset: Dataset | None
    notes: list[str] = field(default_factory=list)
    # Where this run's values wait when not in ``dataset`` itself: the harvest's revision of a
    # published dataset (submitted to the walidata). A Daftar Data item of a year new in this run
    # is fulfilled by it, not by the published dataset, which does not hold that year yet; when
    # the revision is published its items move to the dataset (review.transitions._hand_over).
    pending: Dataset | None = None

    @property
    def values_holder(self) -> Dataset | None:
        """The version holding the values this run brought: the revision, else the dataset."""
        return self.pending or self.dataset

    @property
    def message(self) -> str | None:
        return " ".join(self.notes) or None


def frequency_of(text: str | None) -> Frequency | None:
    if not text:
        return None
    key = str(text).strip().lower().rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].replace("-", "_")
    return _FREQUENCIES.get(key) or _FREQUENCIES.get(key.replace("_", " "))


# What a run looks up again and again (licences, topics), kept for the run: a run of 10,000
# records would otherwise ask the database the same questions 10,000 times.
_LOOKUPS: ContextVar[dict[Any, Any] | None] = ContextVar("harvest_lookups", default=None)


@contextlib.contextmanager
def lookups() -> Iterator[None]:
    """Keep the licence and topic lookups for the duration of a run."""
    token = _LOOKUPS.set({})
    try:
        yield
    finally:
        _LOOKUPS.reset(token)


def _licence(remote: RemoteDataset, notes: list[str]) -> str | None:
    info = remote.licence or {}
    keys = [str(v).strip() for v in (info.get("id"), info.get("url"), info.get("title")) if v and str(v).strip()]
    if not keys:
        return None
    cache = _LOOKUPS.get()
    if cache is not None and ("licence", tuple(keys)) in cache:
        found_id = cache[("licence", tuple(keys))]
    else:
        found_id = _find_licence(keys)
        if cache is not None:
            cache[("licence", tuple(keys))] = found_id
    if found_id is None:
        notes.append(f'Lisensi "{keys[0][:100]}" tidak dikenal portal ini; dataset dipanen tanpa lisensi.')
    return found_id


def _find_licence(keys: list[str]) -> str | None:
    lowered = [k.lower().rstrip("/") for k in keys]
    found = db.session.scalar(select(Licence).where(or_(
        func.lower(Licence.id).in_(lowered), func.lower(Licence.title).in_(lowered),
        func.lower(func.rtrim(Licence.url, "/")).in_(lowered))).limit(1))
    if found is None:
        # "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/" against our "cc-by-4.0"
        slugs = {slugify(k) for k in keys}
        found = next((lic for lic in db.session.scalars(select(Licence))
                      if lic.id in slugs or (lic.url and slugify(lic.url) in slugs)), None)
    return found.id if found is not None else None


def _topics(remote: RemoteDataset, source: HarvestSource) -> list[str]:
    wanted = {slugify(t.get("name") or t.get("title") or "") for t in remote.topics}
    wanted |= {slugify(t) for t in (source.config or {}).get("default_topics", [])}
    wanted.discard("")
    if not wanted:
        return []
    cache = _LOOKUPS.get()
    if cache is None:
        return sorted(db.session.scalars(select(Topic.slug).where(Topic.slug.in_(wanted))))
    if "topics" not in cache:
        cache["topics"] = set(db.session.scalars(select(Topic.slug)))
    return sorted(wanted & cache["topics"])


def _topic_rows(slugs: list[str]) -> list[Topic]:
    if not slugs:
        return []
    cache = _LOOKUPS.get()
    rows = cache.setdefault("topic_rows", {}) if cache is not None else {}
    missing = [slug for slug in slugs if slug not in rows]
    if missing:
        rows.update({t.slug: t for t in db.session.scalars(select(Topic).where(Topic.slug.in_(missing)))})
    return [rows[slug] for slug in slugs if slug in rows]


def _tags(remote: RemoteDataset, source: HarvestSource, notes: list[str]) -> list[str]:
    """The tags as written (a new tag keeps the text for its display name), one per tag name."""
    kept: dict[str, str] = {}
    refused: list[str] = []
    for text in [*remote.tags, *(source.config or {}).get("default_tags", [])]:
        try:
            names = catalog.tag_names([text])
        except Invalid:
            refused.append(str(text)[:30])
            continue
        if names:
            kept.setdefault(names[0], " ".join(str(text).split()))
    if refused:
        notes.append(f"Kata kunci yang tidak memenuhi aturan dilewati: {', '.join(refused[:10])}.")
    return list(kept.values())[:50]


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text[:limit] or None


# Satu Data extras (ckan_dicts.SATU_DATA_FIELDS, and their English names) read when the plug-in
# left the field empty: a CKAN source's Satu Data schema carries them as extras or custom fields.
_EXTRA_KEYS = {
    "year": ("tahun", "year"),
    "period": ("periode", "period"),
    "coverage": ("cakupan_wilayah", "coverage"),
    "frequency": ("frekuensi", "frequency"),
    "data_source": ("sumber_data", "data_source"),
}


def _extra(remote: RemoteDataset, field_name: str) -> str | None:
    extras = remote.extras or {}
    for key in _EXTRA_KEYS[field_name]:
        value = _text(extras.get(key), 1000)
        if value:
            return value
    return None


def _year(remote: RemoteDataset) -> int | None:
    year = remote.year
    if year is None:
        text = _extra(remote, "year")
        year = int(text) if text and re.fullmatch(r"\d{4}", text) else None
    return year if isinstance(year, int) and 1900 <= year <= 2100 else None


def metadata(remote: RemoteDataset, source: HarvestSource, notes: list[str]) -> dict[str, Any]:
    """The catalogue's metadata values for ``remote`` (the shape ``update_dataset`` takes)."""
    contact = remote.contact or {}
    email = _text(contact.get("email"), 255)
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        notes.append(f'Email kontak "{email[:60]}" tidak valid; dilewati.')
        email = None
    return {
        "title": (_text(remote.title, 300) or _text(remote.name, 300) or remote.remote_id[:300]),
        "description": (remote.description or "").strip(),
        "topics": _topics(remote, source),
        "tags": _tags(remote, source, notes),
        "licence_id": _licence(remote, notes),
        "year": _year(remote),
        "period": _text(remote.period or _extra(remote, "period"), 100),
        "coverage": _text(remote.coverage or _extra(remote, "coverage"), 255),
        "frequency": frequency_of(remote.frequency) or frequency_of(_extra(remote, "frequency")),
        "contact_name": _text(contact.get("name"), 255),
        "contact_email": email,
        "data_source": _text(_extra(remote, "data_source") or source.title, 255),
    }


def _organization(remote: RemoteDataset, source: HarvestSource, notes: list[str]) -> Organization:
    mapping = (source.config or {}).get("organization_map") or {}
    remote_org = (remote.organization or {}).get("name")
    slug = mapping.get(remote_org) if remote_org else None
    if slug:
        org = db.session.scalar(select(Organization).where(Organization.slug == slug))
        if org is not None and same_region(org, source.organization):
            return org
        why = "tidak ada di portal ini" if org is None else "berada di wilayah walidata lain"
        notes.append(f'Organisasi "{slug}" pada pemetaan {why}; dataset masuk ke {source.organization.name}.')
    return source.organization


def same_region(org: Organization, owner: Organization) -> bool:
    """Whether ``org`` is under the same walidata as the source's owner (a source's datasets stay
    in its walidata's region, whatever its organisation map says)."""
    from satudata.review.regions import walidata_of

    return org.id == owner.id or walidata_of(org) == walidata_of(owner)


def safe_url(url: str | None) -> str | None:
    """A source's page address when it is http(s) (it becomes a link on our pages and in our APIs;
    ``javascript:`` or ``data:`` never does)."""
    url = (url or "").strip()
    return url[:1000] if re.match(r"^https?://[^\s]+$", url, re.I) else None


def _free_slug(remote: RemoteDataset) -> str | None:
    """The remote name as our slug when it is free (else None: the title decides, made unique)."""
    base = slug_from(remote.name or "")
    if not base or base in RESERVED_SLUGS:
        return None
    taken = db.session.scalar(select(func.count()).select_from(Dataset).where(Dataset.slug == base))
    return None if taken else base


def _sync_resources(target: Dataset, remote: RemoteDataset, notes: list[str]) -> bool:
    """Make ``target``'s links those of ``remote`` (matched by URL); whether anything changed."""
    wanted = []
    skipped = 0
    for r in remote.resources:
        url = (r.url or "").strip()
        if not re.match(r"^https?://", url, re.I) or len(url) > 1000:
            skipped += 1
            continue
        wanted.append(r)
    if skipped:
        notes.append(f"{skipped} sumber data tanpa tautan http(s) yang sah dilewati.")
    changed = False
    current = {res.url: res for res in target.resources if res.url}
    keep: dict[str, int] = {}  # url -> position
    added: list[dict[str, Any]] = []
    for r in wanted:
        url = r.url.strip()
        if url in keep:
            continue
        keep[url] = len(keep)
        name = (_text(r.name, 300) or url.rsplit("/", 1)[-1][:300] or "Sumber data")
        fmt = (_text(r.format, 20) or "").upper() or None
        res = current.get(url)
        if res is None:
            added.append({"url": url, "name": name, "format": fmt, "description": r.description or ""})
        elif (res.name, res.format, res.description) != (name, fmt, r.description or ""):
            res.name, res.format, res.description = name, fmt, r.description or ""
            changed = True
    for res in list(target.resources):
        if res.url not in keep or res.sha256:
            catalog.delete_resource(HARVEST_ACTOR, res)
            changed = True
    if added:
        catalog.add_resource_links(HARVEST_ACTOR, target, added)  # one flush, one audit row
        changed = True
    for res in target.resources:
        position = keep.get(res.url or "", res.position)
        if res.position != position:
            res.position = position
    return changed


def _table_csv(table: RemoteTable) -> bytes:
    """The values a record carries as a UTF-8 CSV (header = the Table Schema's field names;
    an empty cell for a missing value; numbers with a decimal point)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [str(f["name"]) for f in table.fields]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow(["" if row.get(n) is None else repr(row[n]) if isinstance(row[n], float) else str(row[n])
                         for n in names])
    return out.getvalue().encode("utf-8")


def table_schema(table: RemoteTable) -> dict[str, Any]:
    """The Table Schema a record's table is validated against."""
    return {"fields": [dict(f) for f in table.fields], "missingValues": [""]}


def _sync_table(target: Dataset, table: RemoteTable) -> bool:
    """Make ``target``'s one resource the stored CSV of ``table`` (replaced, with its history,
    when the values changed; validated in the background like any upload); whether anything
    changed. Other resources of the record's dataset go: the source's values are the data."""
    data = _table_csv(table)
    digest = hashlib.sha256(data).hexdigest()
    schema = table_schema(table)
    name = (_text(table.name, 300) or "Nilai")
    changed = False
    stored = [r for r in target.resources if r.sha256]
    for res in [r for r in target.resources if not r.sha256] + stored[1:]:
        catalog.delete_resource(HARVEST_ACTOR, res)
        changed = True
    if not stored:
        catalog.upload_resource(HARVEST_ACTOR, target, io.BytesIO(data), filename=table.filename, name=name,
                                description=table.description, table_schema=schema)
        return True
    current = stored[0]
    if current.sha256 != digest:
        catalog.replace_resource_file(HARVEST_ACTOR, current, io.BytesIO(data), filename=table.filename)
        changed = True
    if current.table_schema != schema:
        catalog.set_resource_schema(HARVEST_ACTOR, current, descriptor=schema, inferred=True)
        changed = True
    if (current.name, current.description) != (name, table.description):
        current.name, current.description = name, table.description
        changed = True
    return changed


def _sync_files(target: Dataset, remote: RemoteDataset, notes: list[str]) -> bool:
    """A record's values (``remote.table``) or its links become the dataset's resources."""
    if remote.table is not None:
        return _sync_table(target, remote.table)
    return _sync_resources(target, remote, notes)


def _release(year: int, day: str) -> date:
    try:
        month, dom = (int(p) for p in (day or "12-31").split("-"))
    except ValueError:
        month, dom = 12, 31
    try:
        return date(year, month, dom)
    except ValueError:  # 02-29 in a common year
        return date(year, month, 28) if 1 <= month <= 12 else date(year, 12, 31)


def import_daftar(source: HarvestSource, remote: RemoteDataset, dataset: Dataset | None,
                  notes: list[str]) -> Counter[str]:
    """The Daftar Data items a record plans (SIPD e-Walidata's DSSD), created or updated through
    the Daftar Data services as the harvest actor, for the OPD the source's organisation map
    names; ``dataset`` (the version holding the record's values: the harvest's revision while it
    waits for review) fulfils the items of the years it holds values for that no dataset
    fulfils yet (a year already fulfilled keeps its link: the published dataset holds it).
    Counts by ``created``/``updated``/``unchanged``."""
    from satudata.review.daftar import services as daftar

    org = _organization(remote, source, notes)
    counts: Counter[str] = Counter()
    release_day = str((source.config or {}).get("release_day") or "12-31")
    for entry in remote.daftar:
        _item, what = daftar.import_harvested_item(
            HARVEST_ACTOR, org, source_id=source.id, remote_id=entry.remote_id, year=entry.year,
            title=entry.title, frequency=frequency_of(entry.frequency) or Frequency.TAHUNAN,
            release_date=_release(entry.year, release_day), element=entry.element,
            indicator_code=entry.indicator, unit=entry.unit,
            dataset=dataset if entry.has_values else None)
        counts[what] += 1
    return counts


def _publish_or_submit(dataset: Dataset, source: HarvestSource) -> None:
    if dataset.state in (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED):
        review.submit_dataset(HARVEST_ACTOR, dataset, note=f"Dipanen dari {source.title}")
    if source.publish_mode == PublishMode.DIRECT and dataset.state == DatasetState.SUBMITTED:
        review.publish_dataset(HARVEST_ACTOR, dataset, note=f"Dipanen dari {source.title}")


# The local-only Satu Data fields (not in catalog.HARVESTED_FIELDS): a new dataset starts with
# what another Satu Data portal says of them (its CKAN extras, ckan_dicts.SATU_DATA_FIELDS), and
# from then on they are the walidata's own here; a later harvest never overwrites them.
_LOCAL_TEXT = {"urusan": "urusan", "konsep": "konsep", "definisi": "definisi", "klasifikasi": "klasifikasi",
               "ukuran": "ukuran", "satuan": "satuan"}
_LOCAL_ENUMS: dict[str, tuple[str, type[Any]]] = {
    "tingkat_penyajian": ("presentation_level", PresentationLevel), "cara_pengumpulan": ("collection_method", CollectionMethod),
    "jenis_data": ("data_kind", DataKind), "status_data": ("data_status", DataStatus)}


def local_start(remote: RemoteDataset, notes: list[str]) -> dict[str, Any]:
    """The local-only Satu Data fields a new dataset starts with, from the source's extras."""
    extras = remote.extras or {}
    values: dict[str, Any] = {}
    for key, name in _LOCAL_TEXT.items():
        text = _text(extras.get(key), 255 if name in ("urusan", "ukuran") else 100 if name == "satuan" else 5000)
        if text:
            values[name] = text
    for key, (name, enum) in _LOCAL_ENUMS.items():
        text = _text(extras.get(key), 50)
        if text:
            try:
                values[name] = enum(text)
            except ValueError:
                notes.append(f'{key} "{text[:40]}" tidak dikenal portal ini; dilewati.')
    kode = _text(extras.get("kode_wilayah"), 20)
    if kode:
        from satudata import reference

        if reference.exists(kode):
            values["kode_wilayah"] = kode
        else:
            notes.append(f'Kode wilayah "{kode}" tidak ada di daftar Kemendagri; dilewati.')
    release = _text(extras.get("jadwal_rilis"), 10)
    if release and re.fullmatch(r"\d{4}-\d{2}-\d{2}", release):
        with contextlib.suppress(ValueError):  # 2026-02-30
            values["release_date"] = date.fromisoformat(release)
    if str(extras.get("data_prioritas", "")).strip().lower() in ("true", "1", "ya"):
        values["is_priority"] = True
    return values


def create(source: HarvestSource, remote: RemoteDataset) -> Outcome:
    """A new dataset for a record never seen from this source."""
    notes: list[str] = []
    values = metadata(remote, source, notes)
    org = _organization(remote, source, notes)
    fields = {k: v for k, v in values.items() if k not in ("title", "topics", "tags")} | local_start(remote, notes)
    dataset = catalog.create_dataset(HARVEST_ACTOR, org, title=values["title"], slug=_free_slug(remote),
                                     topics=_topic_rows(values["topics"]), tags=values["tags"],
                                     harvest_source_id=source.id, remote_id=remote.remote_id[:255],
                                     remote_url=safe_url(remote.remote_url), **fields)
    _sync_files(dataset, remote, notes)
    _publish_or_submit(dataset, source)
    return Outcome(ObjectStatus.NEW, dataset, notes)


def update(source: HarvestSource, dataset: Dataset, remote: RemoteDataset, *, withdrawn_by_harvest: bool = False
           ) -> Outcome:
    """Carry a changed record onto its dataset: in place while it is not published, through a
    revision when it is (the public keeps the published version meanwhile). People's decisions
    stand: a dataset a walidata withdrew is not published again, and a revision someone else
    opened is left to them (the record is an error of the run, saying so)."""
    notes: list[str] = []
    values = metadata(remote, source, notes)
    dataset.remote_url = safe_url(remote.remote_url)
    revision = dataset.revision
    if revision is not None and revision.harvest_source_id is None:
        raise Conflict("Revisi dataset ini dibuka oleh pengguna dan belum selesai; perubahan dari sumber dibawa "
                       "setelah revisi itu diterbitkan atau dibuang.")
    if dataset.state == DatasetState.WITHDRAWN:
        changed = bool(catalog.update_dataset(HARVEST_ACTOR, dataset, values))
        changed = _sync_files(dataset, remote, notes) or changed
        if not withdrawn_by_harvest:
            notes.append("Ditarik oleh walidata; tetap ditarik (walidata dapat menerbitkannya kembali).")
        elif source.publish_mode == PublishMode.DIRECT:
            review.republish_dataset(HARVEST_ACTOR, dataset, note=f"Muncul kembali di {source.title}")
            notes.append("Muncul kembali di sumber; diterbitkan kembali.")
        else:
            notes.append("Muncul kembali di sumber; walidata dapat menerbitkannya kembali.")
        return Outcome(ObjectStatus.UPDATED, dataset, notes)
    target = review.editable_version(HARVEST_ACTOR, dataset)
    if target.is_revision:
        # The revision is the harvest's too: kept out of the producers' workspace like its dataset.
        target.harvest_source_id, target.remote_id = dataset.harvest_source_id, dataset.remote_id
    if target.state == DatasetState.SUBMITTED:
        review.retract_submission(HARVEST_ACTOR, target, note="Diperbarui di sumber harvest")
    changed = bool(catalog.update_dataset(HARVEST_ACTOR, target, values))
    changed = _sync_files(target, remote, notes) or changed
    if target.is_revision and not catalog.diff_revision(target).changed:
        review.discard_revision(HARVEST_ACTOR, target, note="Tidak ada perubahan pada kolom yang dipetakan")
        return Outcome(ObjectStatus.UNCHANGED, dataset, notes)
    _publish_or_submit(target, source)
    # Published at once (direct mode), the revision is gone and its values are the dataset's.
    pending = dataset.revision if target.is_revision else None
    return Outcome(ObjectStatus.UPDATED if changed or target.is_revision else ObjectStatus.UNCHANGED, dataset, notes,
                   pending=pending)


def withdraw(source: HarvestSource, dataset: Dataset, job_id: int) -> Outcome:
    """Take a dataset gone at the source off the public catalogue (never deleted)."""
    notes: list[str] = []
    if dataset.revision is not None:
        revision = dataset.revision
        if revision.state == DatasetState.SUBMITTED:
            review.retract_submission(HARVEST_ACTOR, revision, note="Tidak ada lagi di sumber harvest")
        review.discard_revision(HARVEST_ACTOR, revision, note="Tidak ada lagi di sumber harvest")
    if dataset.state == DatasetState.PUBLISHED:
        review.withdraw_dataset(HARVEST_ACTOR, dataset,
                                reason=f"Tidak lagi tersedia di sumber {source.title} (panen #{job_id}).")
    elif dataset.state == DatasetState.SUBMITTED:
        review.retract_submission(HARVEST_ACTOR, dataset, note="Tidak ada lagi di sumber harvest")
        notes.append("Belum terbit; pengajuannya ditarik.")
    return Outcome(ObjectStatus.WITHDRAWN, dataset, notes)


__all__ = ["HARVEST_ACTOR", "DomainError", "Outcome", "Resource", "create", "frequency_of", "import_daftar", "metadata",
           "table_schema", "update", "withdraw"]
