"""Daftar Data services: keeping the yearly list, naming the dataset that fulfils an item, the
listings the pages, the API and the export read, and the XLSX import.

Every change starts with ``require()`` and writes an audit row in the caller's unit of work;
nothing here commits. Statuses come from :mod:`satudata.review.daftar.status`.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, Role, require
from satudata.catalog.models import Dataset, DatasetState, Frequency
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.review import regions
from satudata.review.daftar import events, importing, xlsx
from satudata.review.daftar.models import NOTES_MAX, TITLE_MAX, YEAR_MAX, YEAR_MIN, DaftarDataItem, title_key
from satudata.review.daftar.status import ItemStatus, Row, local_today, standing

__all__ = [
    "YEAR_MAX", "YEAR_MIN", "DaftarImportError", "ImportResult", "Row", "count_statuses", "create_item",
    "datasets_for_link", "delete_item", "export_xlsx", "get_item", "import_harvested_item", "import_xlsx",
    "harvested_items", "link_dataset", "list_items",
    "list_years", "managed_organization_ids", "manageable_organizations", "months", "organization_by_id", "organization_by_slug", "organizations_with_items",
    "readable_organizations", "region_walidata", "resolve_standard", "unlink_dataset", "update_item",
]

AUDIT_TYPE = "daftar_data_item"


# --------------------------------------------------------------------------- regions


def _organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def managed_organization_ids(actor: Actor) -> set[int] | None:
    """The organisations whose items ``actor`` keeps: everything under the organisations where
    they are walidata; ``None`` means every organisation (admins)."""
    return None if is_admin(actor) else regions.review_scope(actor)


def manageable_organizations(actor: Actor) -> list[Organization]:
    """The organisations ``actor`` may add items for, by name (the form's OPD choices)."""
    scope = managed_organization_ids(actor)
    return [o for o in _organizations() if scope is None or o.id in scope]


def readable_organizations(actor: Actor) -> list[Organization]:
    """The organisations whose calendar ``actor`` may open: those they keep, and their own OPD
    as a producer."""
    scope = managed_organization_ids(actor)
    own = {m.organization_id for m in getattr(actor, "memberships", []) if m.role == Role.PRODUSEN}
    return [o for o in _organizations() if scope is None or o.id in scope or o.id in own]


def region_walidata(org: Organization) -> Organization | None:
    """The walidata organisation of ``org``'s region (the one the review lifecycle names)."""
    return regions.walidata_of(org)


# --------------------------------------------------------------------------- reads


def get_item(item_id: int) -> DaftarDataItem:
    item = db.session.get(DaftarDataItem, item_id) if 0 < item_id < 2**31 else None
    if item is None:
        raise NotFound("Butir Daftar Data tidak ditemukan.")
    return item


def list_items(*, year: int | None = None, organization_ids: Iterable[int] | None = None,
               status: ItemStatus | None = None, priority_only: bool = False, today: date | None = None) -> list[Row]:
    """Items by release date, with their status on ``today`` (today in the portal's zone when
    not given). ``organization_ids`` None: every organisation."""
    today = today or local_today()
    q = (select(DaftarDataItem)
         .options(selectinload(DaftarDataItem.organization), selectinload(DaftarDataItem.dataset))
         .order_by(DaftarDataItem.release_date, DaftarDataItem.title, DaftarDataItem.id))
    if year is not None:
        q = q.where(DaftarDataItem.year == year)
    if organization_ids is not None:
        ids = list(organization_ids)
        if not ids:
            return []
        q = q.where(DaftarDataItem.organization_id.in_(ids))
    if priority_only:
        q = q.where(DaftarDataItem.is_priority.is_(True))
    rows = [Row(item, standing(item, today)) for item in db.session.scalars(q)]
    return [r for r in rows if status is None or r.status == status]


def list_years(organization_ids: Iterable[int] | None = None) -> list[int]:
    """The years that have items, newest first."""
    q = select(DaftarDataItem.year).distinct().order_by(DaftarDataItem.year.desc())
    if organization_ids is not None:
        q = q.where(DaftarDataItem.organization_id.in_(list(organization_ids)))
    return list(db.session.scalars(q))


def count_statuses(rows: Iterable[Row]) -> dict[ItemStatus, int]:
    counts = dict.fromkeys(ItemStatus, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def months(rows: Iterable[Row]) -> list[tuple[date, list[Row]]]:
    """The rows grouped by the month of their release date (first day of the month), in order."""
    grouped: dict[date, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.item.release_date.replace(day=1)].append(row)
    return sorted(grouped.items())


def datasets_for_link(item: DaftarDataItem) -> list[Dataset]:
    """The datasets that may fulfil ``item``: those of its OPD, by title (a revision is not one:
    its published dataset is)."""
    return list(db.session.scalars(select(Dataset).where(Dataset.organization_id == item.organization_id,
                                                         Dataset.revision_of_id.is_(None))
                                   .order_by(Dataset.title)))


def _dataset_of(item: DaftarDataItem, key: str) -> Dataset:
    """The dataset named by slug, id or a /dataset/<slug> address, which must belong to the
    item's OPD."""
    found = _find_dataset(key)
    if found is not None and found.revision_of is not None:
        found = found.revision_of  # a revision's address names its published dataset
    if found is None:
        raise Invalid("Dataset tidak ditemukan.", details={"dataset": [
            "Pilih dataset dari daftar, atau tulis slug-nya (bagian akhir alamat /dataset/...)."]})
    if found.organization_id != item.organization_id:
        raise Invalid(f'Dataset "{found.title}" bukan milik {item.organization.name}.', details={"dataset": [
            f"Pilih dataset milik {item.organization.name}, OPD produsen butir ini."]})
    return found


# --------------------------------------------------------------------------- changes


def resolve_standard(ref: str | None, field_name: str = "standard_ref") -> str | None:
    """A standard Table Schema named by ``name`` or ``name@version`` as the ``name@version`` it
    is now (a bare name pins the newest version); None for none. Unknown: ``Invalid``."""
    from satudata.validation.services import standard_of

    ref = (ref or "").strip()
    if not ref:
        return None
    try:
        return standard_of(ref)[1]
    except (Invalid, NotFound) as err:
        raise Invalid(f'Standar data "{ref[:80]}" tidak ada di pustaka standar.', details={field_name: [
            "Tulis nama standar atau nama@versi dari halaman Standar data, misalnya sekolah@2, atau kosongkan."
        ]}) from err


def _clean(*, year: Any, title: Any, frequency: Any, release_date: Any, notes: Any) -> dict[str, Any]:
    """The fields of an item, checked; every problem at once, per field."""
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        problems["year"] = [f"Tahun rencana {YEAR_MIN}–{YEAR_MAX}, misalnya {local_today().year + 1}."]
    values["year"] = year
    text = " ".join(str(title or "").split())
    if not text:
        problems["title"] = ["Judul data wajib diisi."]
    elif len(text) > TITLE_MAX:
        problems["title"] = [f"Judul paling panjang {TITLE_MAX} karakter."]
    values["title"] = text
    freq = Frequency.parse(str(frequency)) if frequency is not None else None
    if freq is None:
        problems["frequency"] = ["Pilih frekuensi."]
    values["frequency"] = freq
    if not isinstance(release_date, date):
        problems["release_date"] = ["Isi jadwal rilis (tanggal)."]
    values["release_date"] = release_date
    note_text = str(notes or "").strip()
    if len(note_text) > NOTES_MAX:
        problems["notes"] = [f"Catatan paling panjang {NOTES_MAX} karakter."]
    values["notes"] = note_text
    if problems:
        raise Invalid("Periksa isian yang ditandai.", details=problems)
    return values


def _existing(year: int, organization_id: int, key: str, *, other_than: int | None = None) -> DaftarDataItem | None:
    q = select(DaftarDataItem).where(DaftarDataItem.year == year, DaftarDataItem.organization_id == organization_id,
                                     DaftarDataItem.title_key == key)
    if other_than is not None:
        q = q.where(DaftarDataItem.id != other_than)
    return db.session.scalar(q)


def _duplicate(item: DaftarDataItem) -> Conflict:
    return Conflict(f'Daftar Data {item.year} sudah memuat "{item.title}" untuk {item.organization.name}.',
                    details={"title": ["Judul ini sudah ada untuk OPD dan tahun yang sama; ubah butir itu saja."]})


def _summary(item: DaftarDataItem) -> dict[str, Any]:
    return {"year": item.year, "title": item.title, "organization": item.organization.slug,
            "standard": item.standard_ref, "frequency": str(item.frequency),
            "release_date": item.release_date.isoformat(), "priority": item.is_priority,
            "dataset": item.dataset.slug if item.dataset is not None else None}


def create_item(actor: Actor, organization: Organization, *, year: int, title: str, frequency: Frequency | str,
                release_date: date, standard_ref: str | None = None, is_priority: bool = False,
                notes: str = "") -> DaftarDataItem:
    """Add an item to ``organization``'s part of the Daftar Data of ``year`` (walidata, admins)."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE, organization)
    values = _clean(year=year, title=title, frequency=frequency, release_date=release_date, notes=notes)
    standard = resolve_standard(standard_ref)
    found = _existing(values["year"], organization.id, title_key(values["title"]))
    if found is not None:
        raise _duplicate(found)
    item = DaftarDataItem(organization=organization, walidata=region_walidata(organization),
                          title_key=title_key(values["title"]), standard_ref=standard,
                          is_priority=bool(is_priority), **values)
    db.session.add(item)
    db.session.flush()
    audit(actor, "daftar.create", AUDIT_TYPE, item.id, _summary(item))
    return item


EDITABLE = ("year", "title", "frequency", "release_date", "standard_ref", "is_priority", "notes")


def update_item(actor: Actor, item: DaftarDataItem, *, organization: Organization | None = None,
                **fields: Any) -> list[str]:
    """Change an item (walidata, admins); returns the names of the fields that changed. Moving
    it to another OPD needs the right over that OPD too, and the linked dataset, which belongs
    to the old OPD, to be unlinked first."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE, item)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}.")
    merged = {name: fields.get(name, getattr(item, name)) for name in EDITABLE}
    values = _clean(year=merged["year"], title=merged["title"], frequency=merged["frequency"],
                    release_date=merged["release_date"], notes=merged["notes"])
    values["standard_ref"] = (resolve_standard(merged["standard_ref"])
                              if merged["standard_ref"] != item.standard_ref else item.standard_ref)
    values["is_priority"] = bool(merged["is_priority"])
    target = organization or item.organization
    if target.id != item.organization_id:
        require(actor, Permission.REVIEW_DAFTAR_MANAGE, target)
        if item.dataset is not None:
            raise Conflict("Butir ini sudah terhubung ke dataset milik OPD lama; lepaskan dataset itu dulu, "
                           "lalu pindahkan butirnya.", details={"organization": ["Lepaskan dataset dulu."]})
    found = _existing(values["year"], target.id, title_key(values["title"]), other_than=item.id)
    if found is not None:
        raise _duplicate(found)
    before = _summary(item)
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, values[name])
    item.title_key = title_key(item.title)
    if target.id != item.organization_id:
        item.organization = target
        item.walidata = region_walidata(target)
        changed.append("organization")
    if changed:
        db.session.flush()
        audit(actor, "daftar.update", AUDIT_TYPE, item.id,
              {"changed": changed, "before": before, "after": _summary(item)})
    return changed


def delete_item(actor: Actor, item: DaftarDataItem) -> None:
    """Remove an item from the Daftar Data (walidata, admins). Its dataset stays as it is."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE, item)
    audit(actor, "daftar.delete", AUDIT_TYPE, item.id, _summary(item))
    events.item_deleted.send(item, actor=actor)
    db.session.delete(item)
    db.session.flush()


def link_dataset(actor: Actor, item: DaftarDataItem, key: str) -> Dataset:
    """Name the dataset (slug, id or its address) that fulfils ``item``; it must belong to the
    item's OPD. The walidata, admins and the OPD's producers may."""
    require(actor, Permission.REVIEW_DAFTAR_LINK, item)
    dataset = _dataset_of(item, key)
    if item.dataset_id != dataset.id:
        before = item.dataset.slug if item.dataset is not None else None
        item.dataset, item.fulfilled_at = dataset, None
        db.session.flush()
        audit(actor, "daftar.link", AUDIT_TYPE, item.id, {"dataset": dataset.slug, "before": before})
    return dataset


def unlink_dataset(actor: Actor, item: DaftarDataItem) -> None:
    """Say that no dataset fulfils ``item`` (yet)."""
    require(actor, Permission.REVIEW_DAFTAR_LINK, item)
    if item.dataset is not None:
        audit(actor, "daftar.unlink", AUDIT_TYPE, item.id, {"dataset": item.dataset.slug})
        item.dataset, item.fulfilled_at = None, None
        db.session.flush()


# --------------------------------------------------------------------------- harvested items

# What the source keeps up to date on an item it brought; the rest (release date, frequency,
# priority, standard, notes, the OPD) is the walidata's once the item exists.
HARVESTED = ("title", "element", "indicator_code", "unit")


def _harvest_summary(item: DaftarDataItem) -> dict[str, Any]:
    return {**_summary(item), "element": item.element, "indicator": item.indicator_code, "unit": item.unit,
            "harvest_source": item.harvest_source_id, "remote_id": item.remote_id}


def import_harvested_item(actor: Actor, organization: Organization, *, source_id: int, remote_id: str, year: int,
                          title: str, frequency: Frequency | str, release_date: date, element: str | None = None,
                          indicator_code: str | None = None, unit: str | None = None,
                          dataset: Dataset | None = None) -> tuple[DaftarDataItem, str]:
    """Create or update the item harvest source ``source_id`` knows as ``remote_id`` (SIPD
    e-Walidata's DSSD: an indicator of a year); returns it and ``"created"``, ``"updated"`` or
    ``"unchanged"``. Keyed by source and remote id, so a run again changes nothing. An item the
    walidata typed in with the same year, OPD and title is adopted (it gains the provenance);
    another source's item with that title makes this one's title carry its indicator code.
    ``dataset`` (the harvested values) fulfils the item unless the walidata named another."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE, organization)
    remote_id = remote_id.strip()[:255]
    found = db.session.scalar(select(DaftarDataItem).where(DaftarDataItem.harvest_source_id == source_id,
                                                           DaftarDataItem.remote_id == remote_id))
    text = " ".join(str(title or "").split())[:TITLE_MAX]
    harvested = {"element": (element or "").strip()[:300] or None,
                 "indicator_code": (indicator_code or "").strip()[:100] or None,
                 "unit": (unit or "").strip()[:100] or None}
    adopted = False
    if found is None:
        same = _existing(year, organization.id, title_key(text))
        if same is not None and same.harvest_source_id is None:
            found = same  # the walidata's own item for this data: it now comes from the source
            found.harvest_source_id, found.remote_id = source_id, remote_id
            adopted = True
        elif same is not None and harvested["indicator_code"]:
            text = f"{text[:TITLE_MAX - len(harvested['indicator_code']) - 3]} ({harvested['indicator_code']})"
    if found is None:
        values = _clean(year=year, title=text, frequency=frequency, release_date=release_date, notes="")
        clash = _existing(values["year"], organization.id, title_key(values["title"]))
        if clash is not None:
            raise _duplicate(clash)
        found = DaftarDataItem(organization=organization, walidata=region_walidata(organization),
                               title_key=title_key(values["title"]), is_priority=False, harvest_source_id=source_id,
                               remote_id=remote_id, **values, **harvested)
        if dataset is not None:
            found.dataset = dataset
        db.session.add(found)
        db.session.flush()
        audit(actor, "daftar.harvest", AUDIT_TYPE, found.id, {"created": True, **_harvest_summary(found)})
        return found, "created"
    changed = [name for name, value in harvested.items() if getattr(found, name) != value]
    if found.title != text and text and _existing(found.year, found.organization_id, title_key(text),
                                                  other_than=found.id) is None:
        changed.append("title")
    before = _harvest_summary(found)
    for name in changed:
        setattr(found, name, text if name == "title" else harvested[name])
    found.title_key = title_key(found.title)
    if dataset is not None and found.dataset_id is None:
        found.dataset = dataset
        if dataset.state == DatasetState.PUBLISHED:  # a published dataset's new values: public from now
            found.fulfilled_at = utcnow()
        changed.append("dataset")
    if not changed and not adopted:
        return found, "unchanged"
    db.session.flush()
    audit(actor, "daftar.harvest", AUDIT_TYPE, found.id, {"changed": changed, "adopted": adopted, "before": before,
                                                          "after": _harvest_summary(found)})
    return found, "updated"


def harvested_items(source_id: int) -> list[DaftarDataItem]:
    """The items harvest source ``source_id`` brought, by year and title."""
    return list(db.session.scalars(select(DaftarDataItem).where(DaftarDataItem.harvest_source_id == source_id)
                                   .order_by(DaftarDataItem.year, DaftarDataItem.title)))


# --------------------------------------------------------------------------- XLSX


def export_xlsx(actor: Actor, *, year: int, organization_ids: Iterable[int] | None = None,
                today: date | None = None) -> bytes:
    """The year's Daftar Data (within ``actor``'s region) as the workbook clerks fill in and
    import again: the list, a sheet of instructions, and the reference lists (OPD, standards)."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE)
    scope = managed_organization_ids(actor)
    ids = scope if organization_ids is None else (set(organization_ids) if scope is None
                                                  else set(organization_ids) & scope)
    rows = list_items(year=year, organization_ids=ids, today=today)
    from satudata.validation.services import list_standards

    standards = [(s.ref, s.title) for s in list_standards()]
    return xlsx.write_workbook(rows, year=year, organizations=manageable_organizations(actor), standards=standards)


@dataclass
class ImportResult:
    """What an import did (nothing when ``problems`` is not empty)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


class DaftarImportError(Invalid):
    """The workbook has problems; nothing was saved. ``problems`` is the row report."""

    def __init__(self, message: str, problems: list[importing.Problem], ignored_columns: list[str] | None = None) -> None:
        super().__init__(message, details={"file": [message]})
        self.problems = problems
        self.ignored_columns = ignored_columns or []


def _read_upload(stream: IO[bytes], max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DaftarImportError("Berkas terlalu besar.", [importing.Problem(
            0, "", f"Berkas lebih dari {max_bytes // (1024 * 1024)} MB.",
            "Daftar Data satu tahun jauh lebih kecil; pastikan berkasnya hanya berisi lembar Daftar Data, "
            "tanpa gambar, lalu unggah lagi.")])
    if not data:
        raise DaftarImportError("Berkas kosong.", [importing.Problem(
            0, "", "Tidak ada berkas yang diunggah, atau berkasnya kosong.",
            "Pilih berkas XLSX hasil ekspor Daftar Data yang sudah diisi.")])
    return data


def import_xlsx(actor: Actor, stream: IO[bytes], *, today: date | None = None) -> ImportResult:
    """Read a Daftar Data workbook (the export's layout) and save it: rows matching an item by
    (year, OPD, title) update it, the others are added. Every row is checked first; when any
    is wrong nothing is saved and :class:`DaftarImportError` carries the row report (row,
    column, what is wrong, what to write). The upload is bounded by ``DAFTAR_IMPORT_MAX_BYTES``
    and ``DAFTAR_IMPORT_MAX_ROWS``."""
    require(actor, Permission.REVIEW_DAFTAR_MANAGE)
    config = current_app.config
    data = _read_upload(stream, int(config["DAFTAR_IMPORT_MAX_BYTES"]))
    with tempfile.TemporaryDirectory(prefix="daftar-") as tmp:
        path = Path(tmp) / "daftar.xlsx"
        path.write_bytes(data)
        try:
            sheet = xlsx.read_workbook(path, max_rows=int(config["DAFTAR_IMPORT_MAX_ROWS"]))
        except xlsx.SpreadsheetError as err:
            raise DaftarImportError(err.message, [importing.Problem(0, "", err.message, err.fix)]) from None
    scope = managed_organization_ids(actor)
    checked = importing.check_rows(sheet, organizations=_organizations(), scope=scope,
                                   resolve_standard=resolve_standard, find_dataset=_find_dataset)
    if checked.problems:
        count = len({p.row for p in checked.problems})
        raise DaftarImportError(f"Tidak ada yang disimpan: {count} baris perlu diperbaiki.", checked.problems,
                                sheet.ignored)
    result = ImportResult(ignored_columns=sheet.ignored)
    for record in checked.records:
        _save(actor, record, result)
    audit(actor, "daftar.import", AUDIT_TYPE, "-", {"created": result.created, "updated": result.updated,
                                                     "unchanged": result.unchanged, "rows": len(checked.records)})
    return result


def _find_dataset(key: str) -> Dataset | None:
    """A dataset by slug, id or its page's address (``.../dataset/<slug>``)."""
    key = key.strip().rstrip("/")
    if "/dataset/" in key:
        key = key.rsplit("/dataset/", 1)[1].split("/", 1)[0]
    return db.session.scalar(select(Dataset).where(or_(Dataset.slug == key, Dataset.id == key))) if key else None


def _save(actor: Actor, record: importing.Record, result: ImportResult) -> None:
    """Create or update one checked row through the services (which ``require`` again: the
    walidata's right over the row's OPD was checked with the rows)."""
    found = _existing(record.year, record.organization.id, title_key(record.title))
    fields: dict[str, Any] = {"year": record.year, "title": record.title, "frequency": record.frequency,
                              "release_date": record.release_date, "standard_ref": record.standard_ref,
                              "is_priority": record.is_priority}
    if record.notes is not None:
        fields["notes"] = record.notes
    if found is None:
        item = create_item(actor, record.organization, **fields)
        if record.dataset is not None:
            link_dataset(actor, item, record.dataset.id)
        result.created += 1
        return
    # Matched by (year, OPD, title whatever its case and spacing): a re-typed title keeps the
    # item's own spelling.
    changed = update_item(actor, found, **{**fields, "title": found.title})
    if record.dataset is not None and found.dataset_id != record.dataset.id:
        link_dataset(actor, found, record.dataset.id)
        changed.append("dataset")
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1


def organization_by_id(organization_id: int | None) -> Organization | None:
    """An organisation by id from a form, or None."""
    if organization_id is None or not 0 < organization_id < 2**31:
        return None
    return db.session.get(Organization, organization_id)


def organization_by_slug(slug: str) -> Organization | None:
    """An organisation by slug (a filter's value), or None."""
    return db.session.scalar(select(Organization).where(Organization.slug == slug)) if slug else None


def organizations_with_items(year: int | None = None) -> list[Organization]:
    """The organisations that have items (in ``year``), by name: the public filter's choices."""
    q = select(Organization).where(Organization.id.in_(
        select(DaftarDataItem.organization_id).where(*([DaftarDataItem.year == year] if year is not None else []))))
    return list(db.session.scalars(q.order_by(Organization.name)))
