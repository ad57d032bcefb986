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
from satudata.review.statistik import spec
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
    assert jumlah["konsep"] == "Tenaga kesehatan"  # the dataset's konsep, for a measure
    assert jumlah["tipe_data"] == "Integer" and "satuan" not in jumlah
    # MS-Var has no unit column: the Table Schema's unit is written into the definition.
    assert jumlah["definisi"] == "Banyaknya tenaga kesehatan yang bertugas. Satuan: orang."
    assert jumlah["aturan_validasi"] == "wajib diisi; paling kecil 0"
    assert jumlah["referensi_waktu"] == "2025" and jumlah["akses_umum"] == "Ya"
    assert _entry(meta, "rasio").values["aturan_validasi"] == "0 sampai 100"
    assert _entry(meta, "rasio").values["tipe_data"] == "Float"
    assert _entry(meta, "jenis_tenaga").values["tipe_data"] == "String"
    assert _entry(meta, "jenis_tenaga").values["klasifikasi_isian"] == "dokter; perawat; bidan"
    assert "salah satu dari: dokter, perawat, bidan" in _entry(meta, "jenis_tenaga").values["aturan_validasi"]
    assert _entry(meta, "kode_wilayah").values["referensi_pemilihan"] == "Kode wilayah Kemendagri (kemendagri_2025)"
    assert _entry(meta, "nama_puskesmas").values["aturan_validasi"] == "paling panjang 100 karakter"
    keg = meta.keg
    assert keg["judul_kegiatan"] == "Tenaga Kesehatan menurut Kecamatan"
    assert keg["instansi_penyelenggara"].startswith("Dinas Kesehatan Provinsi Riau")
    assert keg["unit_eselon_1"] == "Pemerintah Provinsi Riau" and keg["unit_eselon_2"] == "Dinas Kesehatan Provinsi Riau"
    assert keg["pj_jabatan"] == "Seksi Data" and keg["pj_email"] == "data@dinkes.riau.go.id"
    assert keg["frekuensi_penyelenggaraan"] == "Tahunan" and keg["kegiatan_dilakukan"] == "Berulang"
    assert keg["cara_pengumpulan"] == "Kompilasi produk administrasi" and keg["sektor_kegiatan"] == "Kesehatan"
    # 4.4/4.5 from the OPD's region (Dinas Kesehatan of Provinsi Riau, code 14).
    assert keg["cakupan_wilayah"] == "Sebagian wilayah Indonesia"
    assert keg["wilayah_kegiatan"] == "Riau, seluruh kabupaten/kota"
    assert keg["tingkat_penyajian"] == "Kecamatan" and keg["tahun_kegiatan"] == "2025"
    assert keg["pengolahan_validasi"] == "Ya" and keg["produk_digital"] == "Ya"
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


# What a producer adds to the prefill of the fixtures' datasets to complete MS-Keg (not a survey,
# no interviewers: block V and 6.4–6.7 are not asked).
KEG_DONE: dict[str, Any] = {
    "latar_belakang": "Perencanaan.", "tujuan": "Menyediakan data.", "metode_analisis": "Deskriptif",
    "alamat_penyelenggara": "Jl. Cut Nyak Dien, Pekanbaru", "telepon_penyelenggara": "(0761) 21000",
    "email_penyelenggara": "dinkes@riau.go.id", "pj_alamat": "Jl. Cut Nyak Dien, Pekanbaru",
    "pj_telepon": "(0761) 21001", "tipe_pengumpulan": "Cross sectional", "sarana_pengumpulan": ["Mail"],
    "unit_pengumpulan": ["Lainnya (sebutkan)"], "unit_pengumpulan_lainnya": "Puskesmas",
    "uji_coba": "Tidak", "metode_pemeriksaan_kualitas": ["Supervisi"], "penyesuaian_nonrespon": "Tidak",
    "pengolahan_editing": "Ya", "pengolahan_coding": "Tidak", "pengolahan_entry": "Ya",
    "unit_analisis": ["Lainnya (sebutkan)"], "unit_analisis_lainnya": "Puskesmas",
    "produk_tercetak": "Tidak", "produk_mikro": "Tidak", "rilis_digital": "2026-03-31",
    **{f"jadwal_{stage}_{end}": f"2026-0{n}-{'01' if end == 'awal' else '20'}"
       for n, (stage, _label) in enumerate(spec.JADWAL_STAGES, start=1) for end in ("awal", "akhir")},
}


def _complete(ds: Any, actor: Any = SYSTEM) -> None:
    values = dict(ms.load(ds).keg)
    values.update(KEG_DONE)
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
    assert _entry(meta, "tahun").values["tipe_data"] == "Integer" and _entry(meta, "tahun").row is None
    assert _entry(meta, "jumlah").values["definisi"] == "Jumlah nakes aktif."


def test_bad_choice_refuses_the_save_with_the_field_named(stat: Any) -> None:
    values = dict(ms.load(stat["draft"]).keg)
    values["metode_analisis"] = "Ramalan"
    values["metode_pengumpulan"] = ["Telepati"]
    with pytest.raises(Invalid) as refused:
        ms.update_kegiatan(SYSTEM, stat["draft"], values)
    assert set(refused.value.details) == {"keg-metode_analisis", "keg-metode_pengumpulan"}
    db.session.rollback()


def _keg_missing(ds: Any, **changes: Any) -> set[str]:
    """The MS-Keg keys still missing once ``changes`` are saved over the completed form (the
    prefill and :data:`KEG_DONE`, whatever an earlier call saved)."""
    values = {**ms.prefill_kegiatan(ds), **KEG_DONE, **changes}
    return {f.key for f in ms.update_kegiatan(SYSTEM, ds, values).keg}


def test_skip_rules_block_v_only_for_a_survey(stat: Any) -> None:
    ds = stat["draft"]
    block_v = {f.key for f in spec.KEG_FIELDS if f.section == spec.BLOK_V}
    # Not a survey: nothing of block V (nor the BPS recommendation) is asked or missing.
    assert _keg_missing(ds) == set()
    gaps = _keg_missing(ds, cara_pengumpulan="Survei")
    assert gaps == {"rekomendasi_bps", "jenis_rancangan_sampel", "metode_pemilihan_sampel", "metode_sampel",
                    "unit_sampel", "unit_observasi"}  # 5.4–5.6 wait for 5.2
    survey = {"cara_pengumpulan": "Survei", "rekomendasi_bps": "Ya", "jenis_rancangan_sampel": "Single stage/phase",
              "metode_pemilihan_sampel": "Sampel nonprobabilitas", "metode_sampel": "Purposive Sampling",
              "unit_sampel": "Puskesmas", "unit_observasi": "Tenaga kesehatan"}
    # Nonprobability: 5.4–5.6 are skipped (the form goes on to 5.7); "Ya" asks for the recommendation's identity.
    assert _keg_missing(ds, **survey) == {"identitas_rekomendasi"}
    probability = {**survey, "identitas_rekomendasi": "B-123/BPS/2026", "metode_pemilihan_sampel": "Sampel probabilitas",
                   "metode_sampel": "Simple Random Sampling"}
    assert _keg_missing(ds, **probability) == {"kerangka_sampel", "fraksi_sampel", "sampling_error"}
    assert _keg_missing(ds, **probability, kerangka_sampel="List frame", fraksi_sampel="0,05",
                        sampling_error="5 persen") == set()
    # A value kept in a field the form no longer asks is ignored, not lost.
    _keg_missing(ds, **{**probability, "cara_pengumpulan": "Kompilasi produk administrasi"})
    meta = ms.load(ds)
    assert meta.keg["unit_sampel"] == "Puskesmas" and not ms.missing(meta).keg
    assert ms.export_json(meta)["ms_keg"]["unit_sampel"] is None
    assert all(ms.export_json(meta)["ms_keg"][k] is None for k in block_v)
    db.session.rollback()


def test_skip_rules_interviewers_and_other_options(stat: Any) -> None:
    ds = stat["draft"]
    interviewers = {"petugas_pengumpulan", "pendidikan_petugas", "jumlah_supervisor", "jumlah_enumerator",
                    "pelatihan_petugas"}
    for sarana in (["Computer Aided Web Interviewing (CAWI)"], ["Mail"]):
        assert not _keg_missing(ds, sarana_pengumpulan=sarana) & interviewers
    for sarana in ("Paper-assisted Personal Interviewing (PAPI)", "Computer-assisted Personal Interviewing (CAPI)",
                   "Computer-assisted Telephones Interviewing (CATI)"):
        assert _keg_missing(ds, sarana_pengumpulan=["Mail", sarana]) == interviewers
    # "Lainnya (sebutkan)" asks for what it is; 4.2 only for a recurring activity, 4.5 for part of Indonesia.
    assert _keg_missing(ds, metode_pengumpulan=["Wawancara", "Lainnya (sebutkan)"]) == {"metode_pengumpulan_lainnya"}
    assert _keg_missing(ds, kegiatan_dilakukan="Berulang", frekuensi_penyelenggaraan="") == \
        {"frekuensi_penyelenggaraan"}
    assert _keg_missing(ds, kegiatan_dilakukan="Hanya sekali", frekuensi_penyelenggaraan="") == set()
    assert _keg_missing(ds, wilayah_kegiatan="") == {"wilayah_kegiatan"}
    assert _keg_missing(ds, wilayah_kegiatan="", cakupan_wilayah="Seluruh wilayah Indonesia") == set()
    # 8.2 per product offered.
    assert _keg_missing(ds, produk_tercetak="Ya") == {"rilis_tercetak"}
    db.session.rollback()


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"frekuensi_penyelenggaraan": "Tidak tetap"}, "frekuensi_penyelenggaraan", "Pilih salah satu: Harian"),
    ({"tingkat_penyajian": ["Desa/Kelurahan"]}, "tingkat_penyajian", "Pilihan tidak dikenal: Desa/Kelurahan"),
    ({"cara_pengumpulan": "Survei", "metode_pemilihan_sampel": "Sampel probabilitas",
      "metode_sampel": "Purposive Sampling"}, "metode_sampel", "metode sampel nonprobabilitas"),
    ({"cara_pengumpulan": "Survei", "metode_pemilihan_sampel": "Sampel nonprobabilitas",
      "metode_sampel": "Cluster Sampling"}, "metode_sampel", "metode sampel probabilitas"),
    ({"jadwal_desain_awal": "2026-02-10", "jadwal_desain_akhir": "2026-02-01"}, "jadwal_desain_akhir",
     "tanggal akhir (01/02/2026) sebelum tanggal awal (10/02/2026)"),
    ({"jadwal_desain_awal": "31/02/2026"}, "jadwal_desain_awal", "bukan tanggal"),
    ({"sarana_pengumpulan": ["Paper-assisted Personal Interviewing (PAPI)"], "jumlah_enumerator": "12,5"},
     "jumlah_enumerator", "bukan bilangan bulat"),
    ({"jumlah_supervisor": "-3"}, "jumlah_supervisor", "bukan bilangan bulat"),
    ({"kerangka_sampel": "List dan area frame"}, "kerangka_sampel", "Pilih salah satu: List frame, Area frame"),
])
def test_values_the_form_refuses(stat: Any, changes: dict[str, Any], field: str, says: str) -> None:
    values = {**ms.load(stat["draft"]).keg, **KEG_DONE, **changes}
    with pytest.raises(Invalid) as refused:
        ms.update_kegiatan(SYSTEM, stat["draft"], values)
    assert list(refused.value.details) == [f"keg-{field}"]
    assert says in refused.value.details[f"keg-{field}"][0]
    db.session.rollback()


def test_dates_and_whole_numbers_are_tidied(stat: Any) -> None:
    ds = stat["draft"]
    _keg_missing(ds, sarana_pengumpulan=["Paper-assisted Personal Interviewing (PAPI)"], jumlah_enumerator="1.250",
                 jumlah_supervisor=" 18 ", jadwal_desain_awal="1/2/2026", jadwal_desain_akhir="2026-02-28")
    keg = ms.load(ds).keg
    assert (keg["jumlah_enumerator"], keg["jumlah_supervisor"]) == ("1250", "18")
    assert (keg["jadwal_desain_awal"], keg["jadwal_desain_akhir"]) == ("2026-02-01", "2026-02-28")
    db.session.rollback()


def test_indicator_komposit_decides_columns_11_to_15(stat: Any) -> None:
    ds = stat["draft"]
    base = {**ms.prefill_indicator(ds), "interpretasi": "Makin tinggi makin baik.", "rumus": "a / b",
            "kegiatan_penghasil": "", "variabel_pembangun": ""}
    gaps = ms.update_indikator(SYSTEM, ds, [{**base, "indikator_komposit": "Tidak"},
                                            {**base, "indikator_komposit": "Ya"}, {**base, "indikator_komposit": ""}])
    missing = {(i, f.key) for i, f in gaps.ind}
    # Not composite: (13) and (15) asked, (14) is BPS's to fill; composite: (11) and (12); unanswered: (10).
    assert missing == {(0, "kegiatan_penghasil"), (0, "variabel_pembangun"), (1, "publikasi_ketersediaan"),
                       (1, "indikator_pembangun"), (2, "indikator_komposit")}
    body = ms.export_json(ms.load(ds))["ms_ind"]
    assert body[0]["publikasi_ketersediaan"] is None and body[1]["kegiatan_penghasil"] is None
    assert body[1]["publikasi_ketersediaan"] == ""
    db.session.rollback()


def test_indicators_saved_checked_and_removed(stat: Any) -> None:
    ds = stat["draft"]
    first = ms.prefill_indicator(ds)
    assert first["nama"] == ds.title and first["satuan"] == "orang" and "jumlah" in first["variabel_pembangun"]
    gaps = ms.update_indikator(SYSTEM, ds, [first, {"nama": "Rasio nakes", "rumus": "nakes / puskesmas"}, {}])
    db.session.commit()
    meta = ms.load(ds)
    assert [r.nama for r in meta.indicators] == [ds.title, "Rasio nakes"]
    assert {(i, f.key) for i, f in gaps.ind} >= {(0, "interpretasi"), (1, "konsep"), (1, "indikator_komposit")}
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
    assert changes[0].startswith("MS-Keg: 3.1. Latar belakang") and changes[1].startswith("MS-Var: ")
    assert "kode_wilayah" in changes[1]
    # The REST revision_diff names the same parts, by key (a client reads it before approving).
    from satudata.review.serializers import RevisionDiffSchema, revision_diff_of
    diff = RevisionDiffSchema().dump(revision_diff_of(revision))
    assert diff["changed"] is True and diff["metadata"] == [] and diff["metadata_statistik"]["ms_ind"] is False
    assert diff["metadata_statistik"]["ms_keg"] == [{"field": "latar_belakang", "number": "3.1",
                                                        "label": "Latar belakang kegiatan"}]
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


def test_a_revision_saving_the_untouched_variable_form_changes_nothing(stat: Any, users: Any) -> None:
    # The published dataset's MS metadata was never started: the revision has no rows to copy.
    # Saving its MS-Var form as shown (every field following the prefill) stores rows of
    # nothing set, which is no change: no "MS-Var berubah", still "belum mengubah apa pun".
    published, producer = stat["published"], users["produsen"]
    revision = review.open_revision(producer, published)
    db.session.commit()
    meta = ms.load(revision)
    ms.update_variabel(producer, revision, [{"resource": e.resource.id, "column": e.column.name, **e.values}
                                            for e in meta.variables])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(MsVariabel)
                             .where(MsVariabel.dataset_id == revision.id)) == len(meta.variables)
    assert not ms.revision_changed_parts(revision) and ms.revision_changes(revision) == []


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
