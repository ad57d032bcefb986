"""Statistical metadata services: the prefill from real Table Schemas, saving over it, the
missing mandatory parts, the submission guard and who may edit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from satudata.accounts.models import AuditLog
from satudata.authz import AnonymousActor
from satudata.errors import Conflict, Forbidden, Invalid
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.statistik import services as ms
from satudata.review.statistik.models import MsIndikator, MsKegiatan, MsVariabel
from tests.factories import SYSTEM
from tests.review.statistik.conftest import statistical_dataset


def _entry(meta: ms.Metadata, column: str) -> ms.VarEntry:
    return next(e for e in meta.variables if e.column.name == column)


def test_which_datasets(stat: Any) -> None:
    assert ms.applies(stat["draft"]) and ms.applies(stat["published"])
    assert not ms.applies(stat["geo"])


def test_prefill_from_table_schemas_and_dataset(stat: Any) -> None:
    meta = ms.load(stat["draft"])
    assert not meta.started
    assert [(e.resource.name, e.column.name) for e in meta.variables] == [
        ("Tenaga kesehatan", "kode_wilayah"), ("Tenaga kesehatan", "jenis_tenaga"), ("Tenaga kesehatan", "jumlah"),
        ("Puskesmas", "nama_puskesmas"), ("Puskesmas", "rasio")]
    jumlah = _entry(meta, "jumlah").values
    assert jumlah["nama"] == "jumlah" and jumlah["alias"] == "Jumlah tenaga kesehatan"
    assert jumlah["definisi"] == "Banyaknya tenaga kesehatan yang bertugas."
    assert jumlah["konsep"] == "Tenaga kesehatan"  # the dataset's konsep, for a measure
    assert jumlah["tipe_data"] == "Numerik (bilangan bulat)" and jumlah["satuan"] == "orang"
    assert jumlah["aturan_validasi"] == "wajib diisi; paling kecil 0"
    assert jumlah["referensi_waktu"] == "2025" and jumlah["akses_umum"] == "Ya"
    assert _entry(meta, "rasio").values["aturan_validasi"] == "0 sampai 100"
    assert _entry(meta, "rasio").values["tipe_data"] == "Numerik (desimal)"
    assert _entry(meta, "jenis_tenaga").values["klasifikasi_isian"] == "dokter; perawat; bidan"
    assert "salah satu dari: dokter, perawat, bidan" in _entry(meta, "jenis_tenaga").values["aturan_validasi"]
    assert _entry(meta, "kode_wilayah").values["referensi_pemilihan"] == "Kode wilayah Kemendagri (kemendagri_2025)"
    assert _entry(meta, "nama_puskesmas").values["aturan_validasi"] == "paling panjang 100 karakter"
    keg = meta.keg
    assert keg["judul_kegiatan"] == "Tenaga Kesehatan menurut Kecamatan"
    assert keg["instansi_penyelenggara"].startswith("Dinas Kesehatan Provinsi Riau")
    assert keg["frekuensi_penyelenggaraan"] == "Tahunan" and keg["kegiatan_dilakukan"] == "Berulang"
    assert keg["cara_pengumpulan"] == "Kompilasi produk administrasi"
    assert keg["tingkat_penyajian"] == "Kecamatan" and keg["tahun_kegiatan"] == "2025"
    assert "Jumlah tenaga kesehatan" in keg["variabel_dikumpulkan"]
    assert "latar_belakang" not in meta.keg_prefilled and not keg["latar_belakang"]
    # Never started: no rows, and nothing blocks the submission.
    assert ms.submission_problems(stat["draft"]) == []


def test_saving_kegiatan_keeps_a_draft_and_names_what_is_missing(stat: Any) -> None:
    ds = stat["draft"]
    values = dict(ms.load(ds).keg)
    values["latar_belakang"] = "Kebutuhan data tenaga kesehatan untuk perencanaan."
    values["judul_kegiatan"] = "Pendataan Tenaga Kesehatan"
    gaps = ms.update_kegiatan(stat["user_produsen"], ds, values)
    db.session.commit()
    missing = [f.key for f in gaps.keg]
    assert "tujuan" in missing and "latar_belakang" not in missing and "metode_analisis" in missing
    row = db.session.scalar(select(MsKegiatan).where(MsKegiatan.dataset_id == ds.id))
    assert row is not None and row.judul_kegiatan == "Pendataan Tenaga Kesehatan"
    assert row.frekuensi_penyelenggaraan is None  # still the prefill: it follows the dataset
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "statistik.keg.update")) is not None
    messages = dict(gaps.messages())
    assert messages["keg-tujuan"] == "MS-Keg 3.2. Tujuan kegiatan"
    # Started and incomplete: the submission is refused, naming what is missing.
    problems = review.submission_problems(ds)
    assert any("Metadata statistik BPS" in p and "3.2. Tujuan kegiatan" in p for p in problems)
    with pytest.raises(Invalid) as refused:
        review.submit_dataset(SYSTEM, ds)
    assert "Tujuan kegiatan" in str(refused.value.details) + refused.value.message
    db.session.rollback()


def _complete(ds: Any, actor: Any = SYSTEM) -> None:
    values = dict(ms.load(ds).keg)
    values.update(latar_belakang="Perencanaan.", tujuan="Menyediakan data.", metode_analisis="Deskriptif",
                  unit_pengumpulan=["Instansi/unit kerja"], metode_pemeriksaan_kualitas=["Supervisi"],
                  alamat_penyelenggara="Jl. Cut Nyak Dien, Pekanbaru", rencana_rilis="31/03/2026")
    ms.update_kegiatan(actor, ds, values)
    entries = [{"resource": e.resource.id, "column": e.column.name, **e.values,
                "definisi": e.values["definisi"] or f"Definisi {e.column.name}."} for e in ms.load(ds).variables]
    ms.update_variabel(actor, ds, entries)


def test_complete_metadata_lets_the_dataset_through(stat: Any) -> None:
    ds = stat["draft"]
    _complete(ds)
    db.session.commit()
    assert ms.missing(ms.load(ds)).count == 0
    assert ms.submission_problems(ds) == []
    review.submit_dataset(SYSTEM, ds)
    db.session.commit()
    # Under review: the forms are locked.
    with pytest.raises(Conflict):
        ms.update_kegiatan(SYSTEM, ds, ms.load(ds).keg)
    db.session.rollback()


def test_saved_values_override_prefill_and_follow_schema_changes(stat: Any) -> None:
    ds = stat["draft"]
    meta = ms.load(ds)
    entries = [{"resource": e.resource.id, "column": e.column.name, **e.values} for e in meta.variables]
    entries[2]["definisi"] = "Jumlah nakes aktif."
    ms.update_variabel(SYSTEM, ds, entries)
    db.session.commit()
    assert len(db.session.scalars(select(MsVariabel).where(MsVariabel.dataset_id == ds.id)).all()) == 5
    meta = ms.load(ds)
    assert _entry(meta, "jumlah").values["definisi"] == "Jumlah nakes aktif."
    assert "definisi" not in _entry(meta, "jumlah").prefilled and "alias" in _entry(meta, "jumlah").prefilled
    # The table's schema changes: a new column appears prefilled, a removed one is gone, the
    # saved value of a kept column stays.
    res = ds.resources[0]
    fields = [f for f in res.table_schema["fields"] if f["name"] != "jenis_tenaga"]
    res.table_schema = {"fields": [*fields, {"name": "tahun", "type": "year", "title": "Tahun"}]}
    db.session.commit()
    meta = ms.load(ds)
    names = [e.column.name for e in meta.variables]
    assert "jenis_tenaga" not in names and "tahun" in names
    assert _entry(meta, "tahun").values["tipe_data"] == "Tahun" and _entry(meta, "tahun").row is None
    assert _entry(meta, "jumlah").values["definisi"] == "Jumlah nakes aktif."


def test_bad_choice_refuses_the_save_with_the_field_named(stat: Any) -> None:
    values = dict(ms.load(stat["draft"]).keg)
    values["metode_analisis"] = "Ramalan"
    values["metode_pengumpulan"] = ["Telepati"]
    with pytest.raises(Invalid) as refused:
        ms.update_kegiatan(SYSTEM, stat["draft"], values)
    assert set(refused.value.details) == {"keg-metode_analisis", "keg-metode_pengumpulan"}
    db.session.rollback()


def test_survey_makes_block_v_mandatory(stat: Any) -> None:
    values = dict(ms.load(stat["draft"]).keg)
    values["cara_pengumpulan"] = "Survei"
    gaps = ms.update_kegiatan(SYSTEM, stat["draft"], values)
    assert {"jenis_rancangan_sampel", "unit_sampel"} <= {f.key for f in gaps.keg}
    db.session.rollback()


def test_indicators_saved_checked_and_removed(stat: Any) -> None:
    ds = stat["draft"]
    first = ms.prefill_indicator(ds)
    assert first["nama"] == ds.title and first["satuan"] == "orang" and "jumlah" in first["variabel_pembangun"]
    gaps = ms.update_indikator(SYSTEM, ds, [first, {"nama": "Rasio nakes", "rumus": "nakes / puskesmas"}, {}])
    db.session.commit()
    meta = ms.load(ds)
    assert [r.nama for r in meta.indicators] == [ds.title, "Rasio nakes"]
    assert {(i, f.key) for i, f in gaps.ind} >= {(0, "interpretasi"), (1, "konsep")}
    ms.update_indikator(SYSTEM, ds, [{**meta.indicator_values(meta.indicators[0]), "hapus": True},
                                     meta.indicator_values(meta.indicators[1])])
    db.session.commit()
    assert [r.nama for r in ms.load(ds).indicators] == ["Rasio nakes"]


def test_policy_other_opd_producer_and_citizen_refused(stat: Any, users: Any) -> None:
    ds = stat["draft"]
    values = ms.load(ds).keg
    with pytest.raises(Forbidden):
        ms.update_kegiatan(stat["producer_dumai"], ds, values)
    with pytest.raises(Forbidden):
        ms.update_kegiatan(AnonymousActor(), ds, values)
    db.session.rollback()
    ms.update_kegiatan(users["produsen"], ds, values)  # the dataset's own OPD
    ms.update_kegiatan(users["walidata"], ds, values)  # the region's walidata
    db.session.rollback()


def test_not_for_other_kinds(stat: Any) -> None:
    with pytest.raises(Invalid):
        ms.update_kegiatan(SYSTEM, stat["geo"], {})
    db.session.rollback()


def test_bulk_scope(stat: Any, users: Any) -> None:
    statistical_dataset(stat["dumai_dinkes"], "Nakes Dumai")
    mine = {d.title for d in ms.bulk_datasets(users["produsen"])}
    assert mine == {"Tenaga Kesehatan menurut Kecamatan", "Tenaga Kesehatan 2025"}
    assert "Nakes Dumai" in {d.title for d in ms.bulk_datasets(SYSTEM)}
    assert {d.title for d in ms.bulk_datasets(stat["producer_dumai"])} == {"Nakes Dumai"}
    with pytest.raises(Forbidden):
        ms.bulk_datasets(AnonymousActor())


def _ms_rows(dataset_id: str) -> tuple[Any, list[Any], list[Any]]:
    return (db.session.scalar(select(MsKegiatan).where(MsKegiatan.dataset_id == dataset_id)),
            list(db.session.scalars(select(MsVariabel).where(MsVariabel.dataset_id == dataset_id))),
            list(db.session.scalars(select(MsIndikator).where(MsIndikator.dataset_id == dataset_id))))


def _published_with_metadata(stat: Any) -> Any:
    """The published dataset, its MS metadata filled in as its first version (a loader may)."""
    published = stat["published"]
    _complete(published)
    ms.update_indikator(SYSTEM, published, [{**ms.prefill_indicator(published), "nama": "Rasio nakes",
                                                    "interpretasi": "Makin tinggi makin baik.", "rumus": "a / b"}])
    db.session.commit()
    return published


def test_a_published_or_withdrawn_dataset_changes_only_through_a_revision(stat: Any, users: Any) -> None:
    published = _published_with_metadata(stat)
    producer = users["produsen"]
    meta = ms.load(published)
    for save in (lambda: ms.update_kegiatan(producer, published, dict(meta.keg, latar_belakang="Langsung.")),
                 lambda: ms.update_variabel(producer, published, [
                     {"resource": e.resource.id, "column": e.column.name, **e.values, "definisi": "Langsung."}
                     for e in meta.variables]),
                 lambda: ms.update_indikator(producer, published, [{"nama": "Langsung"}])):
        with pytest.raises(Conflict, match="buat revisi"):
            save()
        db.session.rollback()
    assert ms.load(published).keg["latar_belakang"] == "Perencanaan."
    review.withdraw_dataset(SYSTEM, published, reason="Diperbaiki.")
    db.session.commit()
    with pytest.raises(Conflict, match="ditarik"):
        ms.update_kegiatan(producer, published, dict(meta.keg, latar_belakang="Langsung."))
    db.session.rollback()


def test_a_revision_has_its_own_rows_and_publishing_it_carries_them_over(stat: Any, users: Any) -> None:
    published = _published_with_metadata(stat)
    producer = users["produsen"]
    revision = review.open_revision(producer, published)
    db.session.commit()
    # Opening the revision copied the rows, MS-Var keyed by the revision's copies of the tables.
    keg, var, ind = _ms_rows(revision.id)
    assert keg is not None and keg.latar_belakang == "Perencanaan." and [r.nama for r in ind] == ["Rasio nakes"]
    copies = {r.id for r in revision.resources}
    assert var and {r.resource_id for r in var} <= copies
    assert ms.revision_changes(revision) == []
    meta = ms.load(revision)
    assert meta.started and meta.variables[0].resource.id == revision.resources[0].id
    ms.update_kegiatan(producer, revision, dict(meta.keg, latar_belakang="Revisi: latar belakang."))
    entries = [{"resource": e.resource.id, "column": e.column.name, **e.values} for e in meta.variables]
    entries[0]["definisi"] = "Kode kecamatan (revisi)."
    ms.update_variabel(producer, revision, entries)
    db.session.commit()
    # The public keeps the published version until the walidata publishes the revision.
    public = ms.load(published)
    assert public.keg["latar_belakang"] == "Perencanaan."
    assert public.variables[0].values["definisi"] != "Kode kecamatan (revisi)."
    changes = ms.revision_changes(revision)
    assert changes[0].startswith("MS-Keg: Latar belakang") and changes[1].startswith("MS-Var: ")
    assert "kode_wilayah" in changes[1]
    # The REST revision_diff names the same parts, by key (a client reads it before approving).
    from satudata.review.serializers import RevisionDiffSchema, revision_diff_of
    diff = RevisionDiffSchema().dump(revision_diff_of(revision))
    assert diff["changed"] is True and diff["metadata"] == [] and diff["metadata_statistik"]["ms_ind"] is False
    assert diff["metadata_statistik"]["ms_keg"] == [{"field": "latar_belakang", "label": "Latar belakang kegiatan"}]
    [var] = diff["metadata_statistik"]["ms_var"]
    assert var == {"resource_id": published.resources[0].id, "resource": published.resources[0].name,
                   "column": entries[0]["column"]}
    # A revision changing only its MS metadata is a change: it may be submitted.
    review.submit_dataset(producer, revision)
    review.publish_dataset(SYSTEM, revision)
    db.session.commit()
    after = ms.load(published)
    assert after.keg["latar_belakang"] == "Revisi: latar belakang."
    assert after.variables[0].values["definisi"] == "Kode kecamatan (revisi)."
    keg, var, ind = _ms_rows(published.id)
    assert {r.resource_id for r in var} <= {r.id for r in published.resources} and len(ind) == 1
    assert db.session.scalar(select(func.count()).select_from(MsKegiatan)) == 1  # the revision's rows moved


def test_discarding_a_revision_drops_its_rows(stat: Any, users: Any) -> None:
    published = _published_with_metadata(stat)
    producer = users["produsen"]
    revision = review.open_revision(producer, published)
    db.session.commit()
    revision_id = revision.id
    meta = ms.load(revision)
    ms.update_kegiatan(producer, revision, dict(meta.keg, latar_belakang="Dibuang."))
    ms.update_indikator(producer, revision, [])
    db.session.commit()
    review.discard_revision(producer, revision)
    db.session.commit()
    assert _ms_rows(revision_id) == (None, [], [])
    assert ms.load(published).keg["latar_belakang"] == "Perencanaan."
    assert [r.nama for r in ms.load(published).indicators] == ["Rasio nakes"]


def test_one_indicator_per_position(stat: Any) -> None:
    ds = stat["draft"]
    db.session.add_all([MsIndikator(dataset_id=ds.id, position=0, nama="A"),
                        MsIndikator(dataset_id=ds.id, position=0, nama="A")])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_listing_reads_started_once(stat: Any) -> None:
    _complete(stat["draft"])
    db.session.commit()
    assert ms.started_ids([stat["draft"], stat["published"]]) == {stat["draft"].id}
    assert ms.submission_problems(stat["draft"], started=False) == []
    metas = ms.load_many([stat["draft"], stat["published"]])
    assert [m.started for m in metas] == [True, False]
    assert metas[0].keg == ms.load(stat["draft"]).keg
