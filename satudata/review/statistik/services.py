"""BPS statistical metadata services: which datasets carry it, what the portal already knows
of it (the prefill), reading what was saved over the prefill, saving the three forms, what is
still missing (per field), the submission guard, and the exports.

Which datasets: those whose *jenis data* is *statistik sektoral* (``DataKind.STATISTIK_SEKTORAL``)
and that are made here (a harvested record's metadata is its source's). Other datasets have no
MS forms and their pages show nothing of it.

The submission guard (:func:`submission_problems`, read by ``review.transitions``) refuses a
statistical dataset whose MS metadata was *started* (any of its forms saved once) and is still
incomplete, naming what is missing. Metadata never started does not block: the portal's
existing flows (and every dataset made before this feature) go on as before, and nothing in
the dataset says that MS metadata is mandatory for it; a region that wants it mandatory can make
the check unconditional here.

Every change starts with ``require()``, writes an audit row in the caller's unit of work and
only flushes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from flask import current_app
from sqlalchemy import delete, select, union, update
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, Role, SystemActor, can, require
from satudata.catalog import services as catalog
from satudata.catalog.models import DataKind, Dataset, DatasetState, Resource
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.review import regions
from satudata.review.statistik import importing, spec, xlsx
from satudata.review.statistik.importing import ImportResult, StatistikImportError
from satudata.review.statistik.models import MsIndikator, MsKegiatan, MsVariabel
from satudata.review.statistik.prefill import (
    ColumnRef,
    columns,
    prefill_indicator,
    prefill_kegiatan,
    prefill_variabel,
)
from satudata.templating import N_, in_reader_language

__all__ = [
    "applies", "bulk_datasets", "carry_onto_published", "copy_to_revision", "drop_rows", "editable_state",
    "export_json", "export_xlsx", "get_public", "import_xlsx", "ImportResult", "load", "load_many", "Metadata",
    "Missing", "missing", "prefill_indicator", "revision_changed_parts", "revision_changes", "RevisionMsChanges",
    "started_ids", "StatistikImportError", "submission_problems", "update_indikator", "update_kegiatan",
    "update_variabel", "VarEntry",
]

AUDIT_TYPE = "dataset"
MAX_INDICATORS = 50
# How many missing parts the guard names before "dan N lainnya".
GUARD_NAMES = 8

# --------------------------------------------------------------------------- which datasets


def applies(dataset: Dataset) -> bool:
    """Whether ``dataset`` carries BPS statistical metadata: statistik sektoral, made here."""
    root = _root(dataset)
    return root.data_kind == DataKind.STATISTIK_SEKTORAL and not catalog.is_harvested(root)


def _root(dataset: Dataset) -> Dataset:
    """The published dataset of a revision (what its kind and origin are); ``dataset`` itself
    otherwise. The rows belong to ``dataset`` itself (see the models' docstring)."""
    return dataset.revision_of or dataset


# --------------------------------------------------------------------------- the prefill
# What the portal already knows (the dataset's metadata, OPD and Table Schemas): ``prefill``.

# --------------------------------------------------------------------------- reading


@dataclass
class VarEntry:
    """One column's MS-Var: the values shown (saved over prefilled), which of them follow the
    prefill, and its saved row (None: never saved)."""

    column: ColumnRef
    values: dict[str, str]
    prefilled: set[str]
    row: MsVariabel | None

    @property
    def resource(self) -> Resource:
        return self.column.resource


@dataclass
class Metadata:
    """A dataset's MS metadata as the forms, pages and exports show it."""

    dataset: Dataset
    keg: dict[str, str]
    keg_prefilled: set[str]
    keg_row: MsKegiatan | None
    variables: list[VarEntry]
    indicators: list[MsIndikator]
    started: bool

    def indicator_values(self, row: MsIndikator) -> dict[str, str]:
        return {f.key: getattr(row, f.key) or "" for f in spec.IND_FIELDS}


def _merge(saved: Any, prefill: dict[str, str], fields: Iterable[spec.Field]) -> tuple[dict[str, str], set[str]]:
    values: dict[str, str] = {}
    prefilled: set[str] = set()
    for f in fields:
        own = getattr(saved, f.key) if saved is not None else None
        if own is None:
            values[f.key] = prefill.get(f.key, "")
            if f.key in prefill:
                prefilled.add(f.key)
        else:
            values[f.key] = own
    return values, prefilled


def load(dataset: Dataset) -> Metadata:
    """``dataset``'s MS metadata: saved values over the prefill. MS-Var has one entry per
    column of the tables ``dataset`` holds now (a column gone is not shown; its saved row stays
    until its table goes)."""
    return load_many([dataset])[0]


def load_many(datasets: list[Dataset]) -> list[Metadata]:
    """:func:`load` of every dataset of ``datasets`` (in order) with one query per MS table,
    whatever their number (their resources, organisation and topics are best loaded with them:
    :func:`bulk_datasets` does)."""
    ids = [d.id for d in datasets]
    if not ids:
        return []
    kegs = {r.dataset_id: r for r in db.session.scalars(select(MsKegiatan).where(MsKegiatan.dataset_id.in_(ids)))}
    var_rows: dict[str, dict[tuple[str, str], MsVariabel]] = {i: {} for i in ids}
    for r in db.session.scalars(select(MsVariabel).where(MsVariabel.dataset_id.in_(ids))):
        var_rows[r.dataset_id][(r.resource_id, r.column_name)] = r
    ind_rows: dict[str, list[MsIndikator]] = {i: [] for i in ids}
    for ind in db.session.scalars(select(MsIndikator).where(MsIndikator.dataset_id.in_(ids))
                                  .order_by(MsIndikator.position, MsIndikator.id)):
        ind_rows[ind.dataset_id].append(ind)
    found = []
    for dataset in datasets:
        keg_row, saved_vars, indicators = kegs.get(dataset.id), var_rows[dataset.id], ind_rows[dataset.id]
        keg, keg_prefilled = _merge(keg_row, prefill_kegiatan(dataset), spec.KEG_FIELDS)
        entries = []
        for col in columns(dataset):
            row = saved_vars.get((col.resource_key, col.name))
            values, prefilled = _merge(row, prefill_variabel(dataset, col), spec.VAR_FIELDS)
            entries.append(VarEntry(col, values, prefilled, row))
        started = keg_row is not None or bool(saved_vars) or bool(indicators)
        found.append(Metadata(dataset, keg, keg_prefilled, keg_row, entries, indicators, started))
    return found


def started_ids(datasets: Iterable[Dataset]) -> set[str]:
    """The ids of those of ``datasets`` whose MS metadata was started (any form saved once),
    in one query: what a listing needs to know before checking any one of them."""
    ids = list({d.id for d in datasets})
    if not ids:
        return set()
    q = union(select(MsKegiatan.dataset_id).where(MsKegiatan.dataset_id.in_(ids)),
              select(MsVariabel.dataset_id).where(MsVariabel.dataset_id.in_(ids)),
              select(MsIndikator.dataset_id).where(MsIndikator.dataset_id.in_(ids)))
    return set(db.session.scalars(q))


@dataclass
class Missing:
    """The mandatory parts still empty, per form; ``anchor`` is the form field's id."""

    keg: list[spec.Field] = field(default_factory=list)
    var: list[tuple[int, VarEntry, spec.Field]] = field(default_factory=list)
    ind: list[tuple[int, spec.Field]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.keg) + len(self.var) + len(self.ind)

    def messages(self, *, localised: bool = True) -> list[tuple[str, str]]:
        """(anchor, message) for each missing part, in the forms' order: in the reader's language
        (the form pages), or in Bahasa Indonesia (``localised=False``: the submission guard's
        sentence, written like the review's other reasons)."""
        say = in_reader_language if localised else (lambda text, **values: text % values)
        label = in_reader_language if localised else (lambda text: text)
        out = [(f"keg-{f.key}", f"MS-Keg {f.shown_label if localised else f.numbered_label}") for f in self.keg]
        out += [(f"var-{i}-{f.key}", say(N_('MS-Var tabel "%(table)s" kolom "%(column)s": %(label)s'),
                                         table=e.resource.name, column=e.column.name, label=label(f.label)))
                for i, e, f in self.var]
        out += [(f"ind-{i}-{f.key}", say(N_("MS-Ind ke-%(number)s: %(label)s"), number=str(i + 1),
                                         label=label(f.label))) for i, f in self.ind]
        return out


def missing(meta: Metadata) -> Missing:
    """What is still empty among the parts of ``meta`` the forms ask and require (the skip
    rules of :mod:`spec` leave out what a form does not ask for these answers)."""
    found = Missing()
    found.keg = [f for f in spec.required_fields(spec.KEG_FIELDS, meta.keg) if not (meta.keg.get(f.key) or "").strip()]
    for i, entry in enumerate(meta.variables):
        found.var += [(i, entry, f) for f in spec.required_fields(spec.VAR_FIELDS, entry.values)
                      if not entry.values.get(f.key, "").strip()]
    for i, row in enumerate(meta.indicators):
        values = meta.indicator_values(row)
        found.ind += [(i, f) for f in spec.required_fields(spec.IND_FIELDS, values) if not values[f.key].strip()]
    return found


@dataclass(frozen=True)
class Completeness:
    """Filled mandatory parts over all mandatory parts, per form."""

    keg: tuple[int, int]
    var: tuple[int, int]
    ind: tuple[int, int]

    @property
    def complete(self) -> bool:
        return all(done == total for done, total in (self.keg, self.var, self.ind))


def completeness(meta: Metadata, gaps: Missing | None = None) -> Completeness:
    gaps = gaps or missing(meta)
    keg_total = len(spec.required_fields(spec.KEG_FIELDS, meta.keg))
    var_total = sum(len(spec.required_fields(spec.VAR_FIELDS, e.values)) for e in meta.variables)
    ind_total = sum(len(spec.required_fields(spec.IND_FIELDS, meta.indicator_values(row))) for row in meta.indicators)
    return Completeness((keg_total - len(gaps.keg), keg_total), (var_total - len(gaps.var), var_total),
                        (ind_total - len(gaps.ind), ind_total))


def submission_problems(dataset: Dataset, *, started: bool | None = None) -> list[str]:
    """What the MS metadata of ``dataset`` still lacks, when it has been started (see the
    module's docstring): one sentence naming the missing parts; empty otherwise. ``started``:
    whether it was, when the caller knows (a listing asks :func:`started_ids` once for all its
    rows); a dataset not started costs no query then."""
    if started is False or not applies(dataset):
        return []
    if started is None and not started_ids([dataset]):
        return []
    meta = load(dataset)
    if not meta.started:
        return []
    gaps = missing(meta).messages(localised=False)
    if not gaps:
        return []
    names = [text for _anchor, text in gaps[:GUARD_NAMES]]
    more = f" dan {len(gaps) - GUARD_NAMES} bagian lainnya" if len(gaps) > GUARD_NAMES else ""
    return ["Metadata statistik BPS sudah mulai diisi tetapi belum lengkap; lengkapi di halaman Metadata "
            f"Statistik: {'; '.join(names)}{more}."]


# --------------------------------------------------------------------------- saving


def editable_state(dataset: Dataset) -> str | None:
    """Why the MS metadata of ``dataset`` cannot be edited in its state (None: it can). A
    published dataset changes only through a revision, as its other metadata does."""
    if dataset.state == DatasetState.SUBMITTED:
        return ("Dataset ini sedang diperiksa walidata, jadi metadata statistiknya tidak dapat diubah. "
                "Tarik kembali pengajuan bila Anda perlu mengubahnya.")
    if dataset.state == DatasetState.PUBLISHED:
        return ("Dataset ini sudah terbit; ubah metadata statistiknya melalui revisi (buat revisi untuk mengubahnya, "
                "tombol \"Buat revisi\" di halaman dataset). Publik tetap melihat versi terbit sampai revisi "
                "diterbitkan walidata.")
    if dataset.state == DatasetState.WITHDRAWN:
        return ("Dataset ini ditarik dari publik, jadi metadata statistiknya tidak dapat diubah; walidata dapat "
                "menerbitkannya kembali.")
    return None


def _check_editable(actor: Actor, dataset: Dataset) -> None:
    if not applies(dataset):
        raise Invalid("Metadata statistik BPS hanya untuk dataset berjenis statistik sektoral.",
                      details={"_form": ["Ubah jenis data di metadata dataset bila dataset ini statistik sektoral."]})
    refusal = editable_state(dataset)
    # The portal's own loaders (the demo, imports) fill in a published dataset's metadata as
    # its first version; people change it through a revision.
    if refusal and not (isinstance(actor, SystemActor) and dataset.state != DatasetState.SUBMITTED):
        raise Conflict(refusal)


def _lock(dataset: Dataset) -> None:
    """Hold the dataset's row until the transaction ends, so two saves of its MS metadata at
    once (a double click, two tabs) run one after the other, the second seeing the first's rows.
    PostgreSQL locks the row; SQLite has no row locks, so a write takes its one write lock."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Dataset).where(Dataset.id == dataset.id)
                           .values(updated_at=Dataset.updated_at).execution_options(synchronize_session=False))
    db.session.execute(select(Dataset.id).where(Dataset.id == dataset.id).with_for_update())


def _own(values: Mapping[str, str], prefill: Mapping[str, str]) -> dict[str, str | None]:
    """What to store: None where the value is the prefill (it then follows the dataset)."""
    return {k: (None if v == prefill.get(k, "") else v) for k, v in values.items()}


def update_kegiatan(actor: Actor, dataset: Dataset, raw: Mapping[str, Any]) -> Missing:
    """Save the MS-Keg form of ``dataset`` (a draft: mandatory parts may still be empty); what
    is missing afterwards. A value not offered by a choice, or too long, refuses the save with
    ``Invalid`` naming the field."""
    require(actor, Permission.REVIEW_STATISTIK_EDIT, dataset)
    _check_editable(actor, dataset)
    _lock(dataset)
    changed = _save_kegiatan(actor, dataset, raw)
    audit(actor, "statistik.keg.update", AUDIT_TYPE, dataset.id, {"dataset": dataset.slug, "changed": changed})
    return missing(load(dataset))


def _save_kegiatan(actor: Actor, dataset: Dataset, raw: Mapping[str, Any]) -> list[str]:
    """Check and store the MS-Keg values ``raw`` (the whole form); the keys whose stored value
    changed. Raises ``Invalid`` (details by ``keg-<key>``) before writing anything. The caller
    has authorised, checked the state and locked (:func:`update_kegiatan`, :func:`import_xlsx`)."""
    values, problems = spec.clean_values(spec.KEG_FIELDS, raw, "keg-")
    if problems:
        raise Invalid("Periksa isian yang ditandai; belum ada yang disimpan.", details=problems)
    row = db.session.scalar(select(MsKegiatan).where(MsKegiatan.dataset_id == dataset.id)
                            .execution_options(populate_existing=True))
    if row is None:
        row = MsKegiatan(dataset_id=dataset.id)
        db.session.add(row)
    own = _own(values, prefill_kegiatan(dataset))
    changed = [k for k, v in own.items() if getattr(row, k) != v]
    for key in changed:
        setattr(row, key, own[key])
    row.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    return changed


def update_variabel(actor: Actor, dataset: Dataset, entries: Iterable[Mapping[str, Any]]) -> Missing:
    """Save the MS-Var form: ``entries`` name a column by ``resource`` (the table's id, as the
    form shows it) and ``column`` and carry its values. A column the tables no longer have is
    ignored. Saving creates a row for every column, so the metadata counts as started."""
    require(actor, Permission.REVIEW_STATISTIK_EDIT, dataset)
    _check_editable(actor, dataset)
    _lock(dataset)
    changed = _save_variabel(dataset, entries)
    audit(actor, "statistik.var.update", AUDIT_TYPE, dataset.id, {"dataset": dataset.slug, "changed": changed[:200]})
    return missing(load(dataset))


def _save_variabel(dataset: Dataset, entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """Check and store MS-Var ``entries`` (see :func:`update_variabel`); "table/column: keys"
    for each column whose stored values changed. Raises ``Invalid`` (details by
    ``var-<index in entries>-<key>``) before writing anything."""
    by_key = {(c.resource.id, c.name): c for c in columns(dataset)}
    saved = {(r.resource_id, r.column_name): r for r in db.session.scalars(
        select(MsVariabel).where(MsVariabel.dataset_id == dataset.id).execution_options(populate_existing=True))}
    problems: dict[str, list[str]] = {}
    cleaned: list[tuple[ColumnRef, dict[str, str]]] = []
    for i, entry in enumerate(entries):
        col = by_key.get((str(entry.get("resource") or ""), str(entry.get("column") or "")))
        if col is None:
            continue
        values, found = spec.clean_values(spec.VAR_FIELDS, entry, f"var-{i}-")
        problems.update(found)
        cleaned.append((col, values))
    if problems:
        raise Invalid("Periksa isian yang ditandai; belum ada yang disimpan.", details=problems)
    changed: list[str] = []
    for col, values in cleaned:
        row = saved.get((col.resource_key, col.name))
        if row is None:
            row = MsVariabel(dataset_id=dataset.id, resource_id=col.resource_key, column_name=col.name)
            db.session.add(row)
            saved[(col.resource_key, col.name)] = row
        own = _own(values, prefill_variabel(dataset, col))
        keys = [k for k, v in own.items() if getattr(row, k) != v]
        for key in keys:
            setattr(row, key, own[key])
        if keys:
            changed.append(f"{col.resource.name}/{col.name}: {', '.join(keys)}")
    db.session.flush()
    return changed


def update_indikator(actor: Actor, dataset: Dataset, items: Iterable[Mapping[str, Any]]) -> Missing:
    """Replace the MS-Ind of ``dataset`` with ``items`` (in order); an item with every field
    empty, or marked ``hapus``, is left out (removing it)."""
    require(actor, Permission.REVIEW_STATISTIK_EDIT, dataset)
    _check_editable(actor, dataset)
    _lock(dataset)
    kept = _save_indikator(dataset, items)
    audit(actor, "statistik.ind.update", AUDIT_TYPE, dataset.id, {"dataset": dataset.slug, "indicators": kept})
    return missing(load(dataset))


def _save_indikator(dataset: Dataset, items: Iterable[Mapping[str, Any]]) -> list[str]:
    """Check ``items`` and make them the MS-Ind of ``dataset`` (see :func:`update_indikator`);
    the names of the indicators kept. Raises ``Invalid`` (details by ``ind-<index in
    items>-<key>``, ``_form`` for too many) before writing anything. One row per position: the
    rows there are updated in place, so saving the same list twice adds nothing."""
    problems: dict[str, list[str]] = {}
    kept: list[dict[str, str]] = []
    for i, item in enumerate(items):
        values, found = spec.clean_values(spec.IND_FIELDS, item, f"ind-{i}-")
        if item.get("hapus") or not any(values.values()):
            continue
        problems.update(found)
        kept.append(values)
    if len(kept) > MAX_INDICATORS:
        problems["_form"] = [f"Paling banyak {MAX_INDICATORS} indikator per dataset."]
    if problems:
        raise Invalid("Periksa isian yang ditandai; belum ada yang disimpan.", details=problems)
    existing = list(db.session.scalars(select(MsIndikator).where(MsIndikator.dataset_id == dataset.id)
                                       .order_by(MsIndikator.position, MsIndikator.id)
                                       .execution_options(populate_existing=True)))
    for position, values in enumerate(kept):
        row = existing[position] if position < len(existing) else None
        if row is None:
            row = MsIndikator(dataset_id=dataset.id)
            db.session.add(row)
        row.position = position
        for key, value in values.items():
            setattr(row, key, value)
    for row in existing[len(kept):]:
        db.session.delete(row)
    db.session.flush()
    return [v["nama"] for v in kept]


def import_xlsx(actor: Actor, dataset: Dataset, stream: IO[bytes]) -> ImportResult:
    """Import the MS-Keg, MS-Var and MS-Ind of ``dataset`` from a workbook in the export's layout
    (:mod:`satudata.review.statistik.importing` says how rows are matched; an empty cell keeps
    the portal's value). Authorised and locked like the forms; every value passes the forms'
    check. All or nothing: any problem (a choice not offered, a field twice, an unreadable file
    ...) raises :class:`StatistikImportError` with the report by sheet, row and field, and the
    caller's unit of work rolls back what was flushed. One ``statistik.import`` audit row."""
    require(actor, Permission.REVIEW_STATISTIK_EDIT, dataset)
    _check_editable(actor, dataset)
    config = current_app.config
    book = importing.read_upload(stream, max_bytes=int(config["STATISTIK_IMPORT_MAX_BYTES"]),
                                 max_rows=int(config["STATISTIK_IMPORT_MAX_ROWS"]),
                                 max_unpacked=int(config["STATISTIK_IMPORT_MAX_UNPACKED"]))
    _lock(dataset)
    plan = importing.plan(book, load(dataset))
    problems = list(plan.problems)
    if not problems:
        saves = ((xlsx.KEG_SHEET, plan.keg is not None, lambda: _save_kegiatan(actor, dataset, plan.keg or {})),
                 (xlsx.VAR_SHEET, bool(plan.var), lambda: _save_variabel(dataset, plan.var)),
                 (xlsx.IND_SHEET, plan.ind is not None, lambda: _save_indikator(dataset, plan.ind or [])))
        for sheet, needed, save in saves:
            if not needed:
                continue
            try:
                save()  # each checks every value before it writes anything
            except Invalid as err:
                problems += importing.problems_of(err, sheet, plan)
    if problems:
        raise StatistikImportError(f"Tidak ada yang diimpor: {len(problems)} hal perlu diperbaiki di berkas.",
                                   problems, plan.result)
    audit(actor, "statistik.import", AUDIT_TYPE, dataset.id, {"dataset": dataset.slug, **plan.result.audit_data()})
    plan.result.missing = missing(load(dataset))
    return plan.result


# --------------------------------------------------------------------------- revisions
# A published dataset's MS rows change only through a revision (see the models' docstring); the
# review domain's lifecycle moves call these (``review.transitions``: open, publish, discard).

_KEG_KEYS = tuple(f.key for f in spec.KEG_FIELDS)
_VAR_KEYS = tuple(f.key for f in spec.VAR_FIELDS)
_IND_KEYS = tuple(f.key for f in spec.IND_FIELDS)


def _rows_of(dataset_id: str) -> tuple[MsKegiatan | None, list[MsVariabel], list[MsIndikator]]:
    keg = db.session.scalar(select(MsKegiatan).where(MsKegiatan.dataset_id == dataset_id))
    var = list(db.session.scalars(select(MsVariabel).where(MsVariabel.dataset_id == dataset_id)))
    ind = list(db.session.scalars(select(MsIndikator).where(MsIndikator.dataset_id == dataset_id)
                                  .order_by(MsIndikator.position, MsIndikator.id)))
    return keg, var, ind


def copy_to_revision(published: Dataset, revision: Dataset) -> None:
    """Give a new ``revision`` a copy of ``published``'s MS rows; an MS-Var row follows its
    table to the revision's copy of it (``Resource.revision_of_id``)."""
    keg, var, ind = _rows_of(published.id)
    copies = {res.revision_of_id: res.id for res in revision.resources if res.revision_of_id}
    if keg is not None:
        db.session.add(MsKegiatan(dataset_id=revision.id, updated_by_id=keg.updated_by_id,
                                  **{k: getattr(keg, k) for k in _KEG_KEYS}))
    for row in var:
        if row.resource_id in copies:
            db.session.add(MsVariabel(dataset_id=revision.id, resource_id=copies[row.resource_id],
                                      column_name=row.column_name, **{k: getattr(row, k) for k in _VAR_KEYS}))
    for indicator in ind:
        db.session.add(MsIndikator(dataset_id=revision.id, position=indicator.position,
                                   **{k: getattr(indicator, k) for k in _IND_KEYS}))
    db.session.flush()


def drop_rows(dataset: Dataset) -> None:
    """Delete ``dataset``'s MS rows (a revision discarded)."""
    for table in (MsKegiatan, MsVariabel, MsIndikator):
        db.session.execute(delete(table).where(table.dataset_id == dataset.id)
                           .execution_options(synchronize_session="fetch"))


def carry_onto_published(revision: Dataset) -> None:
    """Before ``revision`` is merged: its MS rows replace its published dataset's. An MS-Var
    row of a table the revision copied names the published table (the merge keeps that id); of
    a table the revision added, the table itself (it moves over)."""
    published = revision.revision_of
    assert published is not None, "not a revision"
    drop_rows(published)
    db.session.flush()
    published_of = {res.id: res.revision_of_id for res in revision.resources if res.revision_of_id}
    for res_id, original in published_of.items():
        db.session.execute(update(MsVariabel).where(MsVariabel.resource_id == res_id)
                           .values(resource_id=original).execution_options(synchronize_session="fetch"))
    for table in (MsKegiatan, MsVariabel, MsIndikator):
        db.session.execute(update(table).where(table.dataset_id == revision.id)
                           .values(dataset_id=published.id).execution_options(synchronize_session="fetch"))
    db.session.flush()


@dataclass(frozen=True)
class RevisionMsChanges:
    """What a revision changes in its published dataset's MS metadata: the MS-Keg field keys,
    the MS-Var (table, column) pairs (the table as published: its id, or the revision's copy's
    id for a table the revision adds) and whether the MS-Ind rows differ."""

    keg: list[str] = field(default_factory=list)
    var: list[tuple[str, str, str]] = field(default_factory=list)  # (published table id, table name, column)
    ind: bool = False
    ind_before: int = 0
    ind_after: int = 0

    def __bool__(self) -> bool:
        return bool(self.keg or self.var or self.ind)


def revision_changed_parts(revision: Dataset) -> RevisionMsChanges:
    """What ``revision`` changes in its published dataset's MS metadata (falsy: nothing);
    compares the saved rows (a value following the prefill changes with the Satu Data
    metadata, which the revision's own comparison shows)."""
    published = revision.revision_of
    if published is None or not applies(revision):
        return RevisionMsChanges()
    old_keg, old_var, old_ind = _rows_of(published.id)
    new_keg, new_var, new_ind = _rows_of(revision.id)
    keg = [k for k in _KEG_KEYS
           if (getattr(old_keg, k) if old_keg else None) != (getattr(new_keg, k) if new_keg else None)]
    names = {res.id: res.name for res in revision.resources}
    names.update({res.id: res.name for res in published.resources})
    published_of = {res.id: res.revision_of_id or res.id for res in revision.resources}
    before = {(r.resource_id, r.column_name): tuple(getattr(r, k) for k in _VAR_KEYS) for r in old_var}
    after = {(published_of.get(r.resource_id, r.resource_id), r.column_name): tuple(getattr(r, k) for k in _VAR_KEYS)
             for r in new_var}
    unset = (None,) * len(_VAR_KEYS)  # no row and a row saved with every field following the prefill
    var = sorted(((key[0], names.get(key[0], "?"), key[1]) for key in set(before) | set(after)
                  if before.get(key, unset) != after.get(key, unset)), key=lambda v: (v[1], v[2], v[0]))
    ind = ([tuple(getattr(r, k) for k in _IND_KEYS) for r in old_ind]
           != [tuple(getattr(r, k) for k in _IND_KEYS) for r in new_ind])
    return RevisionMsChanges(keg=keg, var=var, ind=ind, ind_before=len(old_ind), ind_after=len(new_ind))


def revision_changes(revision: Dataset) -> list[str]:
    """What ``revision`` changes in its published dataset's MS metadata, one sentence per form
    (empty: nothing), for the walidata's and the producer's pages."""
    parts = revision_changed_parts(revision)
    changes: list[str] = []
    labels = {f.key: f.numbered_label for f in spec.KEG_FIELDS}  # numbered: "Telepon" is in 1.2 and 2.2
    keg = [labels[k] for k in parts.keg]
    if keg:
        changes.append("MS-Keg: " + ", ".join(keg[:GUARD_NAMES])
                       + (f" dan {len(keg) - GUARD_NAMES} isian lainnya" if len(keg) > GUARD_NAMES else "") + ".")
    var = [f"{name}/{column}" for _, name, column in parts.var]
    if var:
        changes.append("MS-Var: " + ", ".join(var[:GUARD_NAMES])
                       + (f" dan {len(var) - GUARD_NAMES} kolom lainnya" if len(var) > GUARD_NAMES else "") + ".")
    if parts.ind:
        changes.append(f"MS-Ind: {parts.ind_before} → {parts.ind_after} indikator, isinya berubah.")
    return changes


# --------------------------------------------------------------------------- reads for pages


def get_public(slug: str, *, explain_withdrawn: bool = False) -> Dataset:
    """A published public statistical dataset, for the public page, exports and API."""
    dataset = catalog.get_public_dataset(slug[:200], explain_withdrawn=explain_withdrawn)
    if not applies(dataset):
        raise NotFound(f'Dataset "{dataset.slug}" tidak memiliki metadata statistik (bukan statistik sektoral).')
    return dataset


def bulk_organizations(actor: Actor) -> list[Organization]:
    """The OPD whose statistical metadata ``actor`` may export in bulk: their own as a producer,
    every one in their region as walidata, all for admins."""
    orgs = list(db.session.scalars(select(Organization).order_by(Organization.name)))
    scope = None if getattr(actor, "is_admin", False) else regions.review_scope(actor)
    own = {m.organization_id for m in getattr(actor, "memberships", []) if m.role == Role.PRODUSEN}
    return [o for o in orgs if scope is None or o.id in scope or o.id in own]


def bulk_datasets(actor: Actor, organization: Organization | None = None) -> list[Dataset]:
    """The statistical datasets (not revisions, not harvested) ``actor`` may export in bulk,
    of ``organization`` or of every OPD they may see, by OPD and title."""
    require(actor, Permission.REVIEW_STATISTIK_EDIT, organization)
    ids = [o.id for o in bulk_organizations(actor)]
    if organization is not None:
        ids = [i for i in ids if i == organization.id]
    if not ids:
        return []
    q = (select(Dataset).where(Dataset.organization_id.in_(ids), Dataset.revision_of_id.is_(None),
                               Dataset.data_kind == DataKind.STATISTIK_SEKTORAL)
         .options(selectinload(Dataset.resources), selectinload(Dataset.topics),
                  selectinload(Dataset.organization).selectinload(Organization.parent))
         .order_by(Dataset.organization_id, Dataset.title))
    return [d for d in db.session.scalars(q) if applies(d) and can(actor, Permission.CATALOG_DATASET_READ, d)]


# --------------------------------------------------------------------------- exports


def export_json(meta: Metadata) -> dict[str, Any]:
    """The body of the JSON export and of ``GET /api/v1/datasets/{slug}/metadata-statistik``:
    exactly ``ms_keg`` (object), ``ms_var`` (one entry per column of the tables), ``ms_ind``; a
    field the form does not ask for these answers (its skip rule) is ``null``."""
    from satudata.review.statistik.serializers import MetadataStatistikSchema

    return MetadataStatistikSchema().dump({
        "ms_keg": {"dataset": meta.dataset.slug, **spec.shown_values(spec.KEG_FIELDS, meta.keg)},
        "ms_var": [{"resource": {"id": e.resource.id, "name": e.resource.name}, "column": e.column.name,
                    **spec.shown_values(spec.VAR_FIELDS, e.values)} for e in meta.variables],
        "ms_ind": [spec.shown_values(spec.IND_FIELDS, meta.indicator_values(row)) for row in meta.indicators],
    })


def export_xlsx(metas: list[Metadata]) -> bytes:
    """The workbook of ``metas`` in BPS's layout (see :mod:`satudata.review.statistik.xlsx`)."""
    return xlsx.write_workbook(metas)
