"""The PPID annual reports (#12): the Pasal 12 figures and the Perki SLIP annual service report, per
PPID and for the whole region, as XLSX and PDF, from the web and the CLI; the written parts by
each PPID's own officers; never who asked."""

from __future__ import annotations

import base64
import io
import re
import zipfile
import zlib
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.authz import AnonymousActor
from satudata.extensions import db
from satudata.ppid import reports, services
from satudata.ppid.cli import ppid_group
from satudata.ppid.models import InformationRequest, Objection, ReportNarrative
from satudata.ppid.reports import pdf, xlsx
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.ppid.test_requests import NIK, REQUEST
from tests.workspace.conftest import csrf_of, sign_in

YEAR = 2025
REPORT_DAY = date(2026, 1, 15)  # the report is made after the year ended
OTHER_NIK = "1407011201850003"
# Who asked, in every request of the scenario: none of it may appear in a report.
SECRETS = [NIK, OTHER_NIK, "Siti Aminah", "Budi Santoso", "Yayasan Lentera", "Kelompok Tani Makmur", "Spammer",
           "siti.aminah@contoh.id", "budi@contoh.id", "lentera@contoh.id", "081277001122", "Jl. Sudirman"]


class Clock:
    """``services.today()`` moved by the test (the portal's only "today")."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: date) -> None:
        self.day = start
        monkeypatch.setattr(services, "today", lambda: self.day)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch, date(YEAR, 2, 3))


def _file(actor: Any, clock: Clock, *, channel: str = "web", **overrides: Any) -> services.Filed:
    from satudata.ppid.models import Channel

    form = {**REQUEST, **overrides}
    return services.file_request(actor, form, channel=Channel(channel), received_on=clock.day)


def _on(clock: Clock, working_days: int, start: date = date(YEAR, 2, 3)) -> date:
    clock.day = services.calendar().add_working_days(start, working_days)
    return clock.day


GRANT = {"given": "Rekap data", "form": "Salinan PDF", "delivery": "Surel", "cost": 0}


@pytest.fixture()
def scenario(app: Any, users: Any, clock: Clock) -> dict[str, Any]:  # noqa: F811
    """Nine requests received on Monday 3 February 2025, one of each outcome, at the PPID Utama
    (Diskominfotik) and Dinkes' PPID Pelaksana; one extended and answered late, one refused with
    a keberatan taken to the Komisi Informasi, one left unanswered, one spam."""
    utama, pelaksana, atasan = users["ppid_utama"], users["ppid_pelaksana"], users["atasan_ppid"]
    web = AnonymousActor()
    r1 = _file(web, clock, information=f"Salinan data penerima bantuan, NIK saya {NIK} untuk pencocokan")
    r2 = _file(utama, clock, channel="email", applicant_type="badan_hukum", name="Yayasan Lentera", nik="",
               identity_number="AHU-0012345.AH.01.04", email="lentera@contoh.id",
               information="Kontrak pengadaan jaringan internet kantor gubernur 2024")
    r3 = _file(pelaksana, clock, channel="surat", applicant_type="kelompok", name="Kelompok Tani Makmur", nik="",
               identity_number="SK-7/2024", email="", copy_method="pos", target="dinkes-riau",
               information="Daftar penerima bantuan alat kesehatan per puskesmas 2024")
    r4 = _file(web, clock, target="dinkes-riau", name="Budi Santoso", nik=OTHER_NIK, email="budi@contoh.id",
               information="Data kasus demam berdarah per kecamatan 2024")
    r5 = _file(web, clock, information="Rencana kerja Diskominfotik tahun 2025 dan anggarannya")
    r6 = _file(web, clock, information="Jumlah menara telekomunikasi per kabupaten di Riau")
    r7 = _file(web, clock, information="Daftar titik wifi publik di Kota Pekanbaru 2024")
    r8 = _file(web, clock, name="Spammer", email="spam@contoh.id", information="Iklan obat kuat murah hubungi kami")
    r9 = _file(web, clock, information="Jumlah tenaga kesehatan honorer per rumah sakit daerah 2024")

    services.act(utama, r9.request, "route", {"to": "dinkes-riau"})
    services.act(utama, r8.request, "mark_spam", {"reason": "Iklan"})
    _on(clock, 1)
    services.act(pelaksana, r4.request, "not_held", {"holder": "Kementerian Kesehatan"})
    services.act(utama, r6.request, "close_not_entitled", {"reason": "Pemohon bukan WNI dan tidak melengkapi"})
    _on(clock, 2)
    services.act(utama, r1.request, "grant", dict(GRANT))
    services.withdraw(r5.request.number, r5.secret, "Sudah ada di situs")
    _on(clock, 3)
    services.act(pelaksana, r9.request, "not_documented", {"available_on": date(YEAR, 6, 30)})
    _on(clock, 5)
    services.act(utama, r2.request, "refuse", {"exemptions": ["h"], "consequence_test": "Memuat data pribadi."})
    _on(clock, 7)
    objection = services.file_objection(r2.request.number, r2.secret, {
        "grounds": ["a"], "case_summary": f"Yang diminta kontrak, bukan data pribadi (NIK {NIK} bukan bagiannya)."})
    _on(clock, 8)
    services.act(pelaksana, r3.request, "extend", {"days": 5, "reason": "Data dihimpun dari 20 puskesmas."})
    _on(clock, 12)  # 5 working days after the objection (day 7)
    services.decide_objection(atasan, objection, "reject", {
        "reasons": "Kontrak memuat data pribadi penyedia.", "decider_name": "Sekretaris Daerah",
        "decider_position": "Atasan PPID Provinsi Riau"})
    _on(clock, 13)
    services.decide_objection(atasan, objection, "record_dispute", {
        "filed_on": clock.day, "register_number": "001/KI-RIAU/PS/2025"})
    _on(clock, 17)  # due on day 15 (10 + 5): two working days late
    services.act(pelaksana, r3.request, "grant_in_part", {**GRANT, "redactions": [
        {"part": "Nama penerima", "exemptions": ["h"], "reason": "Rahasia pribadi penerima"}]})
    clock.day = REPORT_DAY  # r7 is still open, long past its due date
    db.session.commit()
    return {"requests": [r1, r2, r3, r4, r5, r6, r7, r8, r9], "objection": objection}


def _texts_of_xlsx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(name).decode("utf-8") for name in zf.namelist())


def _pdf_text(data: bytes) -> str:
    """The text a PDF of reportlab draws (its standard fonts: strings in ``( ) Tj``), page
    streams inflated: enough to find figures and words without a PDF library."""
    shown = []
    for match in re.finditer(rb"/Filter \[([^\]]*)\][^>]*>>\s*stream\r?\n(.*?)endstream", data, re.S):
        filters, raw = match.group(1), match.group(2).strip()
        if b"ASCII85Decode" in filters:
            raw = base64.a85decode(raw, adobe=True)
        if b"FlateDecode" in filters:
            raw = zlib.decompress(raw)
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", raw):
            text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), text)
            text = re.sub(rb"\\(.)", rb"\1", text)
            shown.append(text.decode("cp1252", "replace"))
    return "\n".join(shown)


# --------------------------------------------------------------------------- the figures


def test_the_figures_follow_pasal_12(scenario: dict[str, Any]) -> None:
    report = reports.build_report(YEAR)
    f, stats = report.figures, report.figures.stats
    assert report.as_of == REPORT_DAY and not report.provisional and report.due_on == date(2026, 3, 31)
    assert f.requests == 8  # the spam request is no request
    assert f.by_channel == {"web": 6, "email": 1, "surat": 1}
    assert f.by_applicant_type == {"perorangan": 6, "badan_hukum": 1, "kelompok": 1}
    assert {k: v for k, v in (stats.outcomes or {}).items()} == {
        "granted": 1, "granted_in_part": 1, "refused": 1, "not_held": 1, "not_documented": 1, "withdrawn": 1,
        "not_entitled": 1, "registered": 1}
    assert stats.open == 1 and f.open_late == 1
    # Working days to the written notice: 2 (grant), 5 (refusal), 17 (in part, extended), 1, 3.
    assert sorted(stats.working_days or []) == [1, 2, 3, 5, 17]
    assert stats.median_days == 3 and stats.mean_days == 5.6
    assert (stats.decided, stats.on_time, stats.on_time_share) == (5, 4, 80.0)
    assert f.extended == 1 and f.decided_late == 1
    assert f.refusal_grounds == {"h": 1} and f.redaction_grounds == {"h": 1}
    assert f.by_month[1] == 8 and sum(f.by_month) == 8
    # The keberatan: ground a, rejected after 5 working days, on time; taken to the Komisi Informasi.
    assert (f.objections, f.objection_grounds, f.objection_outcomes) == (1, {"a": 1}, {"rejected": 1})
    assert (f.objection_median_days, f.objections_on_time, f.disputes) == (5, 1, 1)
    assert reports.summary(report) == (
        "Laporan PPID 2025 (Seluruh PPID Provinsi Riau): 8 permohonan, 5 diputus, 1 masih diproses, median 3 hari "
        "kerja, 80% tepat waktu, 1 keberatan, 1 sengketa.")
    # Time taken per request: one line each, none for the spam; nothing that says who asked.
    lines = {r.number: r for r in report.requests}
    assert len(lines) == 8 and scenario["requests"][7].request.number not in lines
    late = lines[scenario["requests"][2].request.number]
    assert (late.working_days, late.extension_days, late.on_time, late.state) == (17, 5, False, "granted_in_part")
    assert late.ppid == "Dinas Kesehatan Provinsi Riau" and late.exemptions == ("h",)
    assert lines[scenario["requests"][0].request.number].information.count("147102••••••••••") == 1
    assert lines[scenario["requests"][6].request.number].working_days is None
    assert not any(hasattr(r, "name") or hasattr(r, "email") for r in report.requests)
    [objection] = report.objections
    assert (objection.working_days, objection.grounds, objection.dispute_number) == (5, ("a",), "001/KI-RIAU/PS/2025")


def test_per_ppid_and_region_agree(scenario: dict[str, Any]) -> None:
    report = reports.build_report(YEAR)
    assert [f.name for f in report.per_ppid] == ["Diskominfotik Provinsi Riau", "Dinas Kesehatan Provinsi Riau"]
    assert report.per_ppid[0].slug == "diskominfotik-riau"  # the PPID Utama first
    region = report.figures
    for attribute in ("requests", "extended", "decided_late", "open_late", "objections", "disputes"):
        assert sum(getattr(f, attribute) for f in report.per_ppid) == getattr(region, attribute), attribute
    for state in reports.OUTCOMES:
        assert sum(f.outcome(state) for f in report.per_ppid) == region.outcome(state)
    assert sorted(d for f in report.per_ppid for d in f.stats.working_days or []) == \
        sorted(region.stats.working_days or [])
    # The statistics page counts the same (it is the same PpidStats), matched by organisation id.
    per_ppid, total = services.statistics(YEAR)
    assert {s.organization_id: s.requests for s in per_ppid} == {f.stats.organization_id: f.requests
                                                                 for f in report.per_ppid}
    assert total.requests == region.requests and total.on_time == region.stats.on_time
    # One PPID's report is its row of the region's, with only its own requests and objections.
    dinkes = reports.build_report(YEAR, "dinkes-riau")
    assert dinkes.scope == "PPID Pelaksana — Dinas Kesehatan Provinsi Riau" and dinkes.slug == "dinkes-riau"
    assert dinkes.figures.requests == 3 == report.per_ppid[1].requests
    assert {r.ppid for r in dinkes.requests} == {"Dinas Kesehatan Provinsi Riau"} and len(dinkes.requests) == 3
    assert dinkes.objections == [] and dinkes.figures.objections == 0
    utama = reports.build_report(YEAR, "diskominfotik-riau")
    assert utama.scope.startswith("PPID Utama — ") and utama.figures.objections == 1 and len(utama.requests) == 5
    # A PPID without requests that year still has a (zero) report; an unknown one has none.
    assert reports.build_report(2026, "dinkes-riau").figures.requests == 0
    from satudata.errors import NotFound

    for year, slug in ((YEAR, "dinas-yang-tidak-ada"), (YEAR, "pemprov-riau"), (2024, None), (2027, None)):
        with pytest.raises(NotFound):
            reports.build_report(year, slug)


def test_the_xlsx_has_the_sheets_and_the_numbers(scenario: dict[str, Any]) -> None:
    import openpyxl

    data = xlsx.render(reports.build_report(YEAR))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ringkasan Pasal 12", "Per PPID", "Permohonan", "Keberatan", "Laporan Layanan"]
    summary = {str(row[0]).strip(): row[1] for row in book["Ringkasan Pasal 12"].iter_rows(values_only=True)
               if row[0]}
    assert summary["Permohonan diterima"] == 8 and summary["Melalui surel"] == 1
    assert summary["Dikabulkan seluruhnya"] == 1 and summary["Ditolak"] == 1 and summary["Masih diproses"] == 1
    assert summary["Median waktu layanan (hari kerja)"] == 3 and summary["Rata-rata waktu layanan (hari kerja)"] == 5.6
    assert summary["Persentase dijawab tepat waktu"] == pytest.approx(0.8)
    assert summary["Jangka waktu diperpanjang (Pasal 22 ayat 8)"] == 1
    assert summary["Huruf h: mengungkap rahasia pribadi"] == 1 and summary["Huruf a: menghambat proses penegakan hukum"] == 0
    assert summary["Keberatan diterima"] == 1 and summary["Keberatan yang diajukan ke Komisi Informasi"] == 1
    rows = list(book["Per PPID"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "PPID")
    table = {row[0]: dict(zip(rows[header], row, strict=True)) for row in rows[header + 1:]}
    assert table["Diskominfotik Provinsi Riau"]["Permohonan"] == 5
    assert table["Dinas Kesehatan Provinsi Riau"]["Terlambat"] == 1
    assert table["Seluruh PPID"]["Permohonan"] == 8
    requests = list(book["Permohonan"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(requests) if row[0] == "Nomor pendaftaran")
    body = [dict(zip(requests[header], row, strict=True)) for row in requests[header + 1:]]
    assert len(body) == 8
    late = next(r for r in body if r["Nomor pendaftaran"] == scenario["requests"][2].request.number)
    assert (late["Hari kerja"], late["Tepat waktu"], late["Perpanjangan (hari kerja)"]) == (17, "Tidak", 5)
    assert late["Diterima"].date() == date(YEAR, 2, 3)
    objections = [row for row in book["Keberatan"].iter_rows(values_only=True) if row[0] and row[0].startswith("KEB-")]
    assert len(objections) == 1 and objections[0][9] == "001/KI-RIAU/PS/2025"
    text = _texts_of_xlsx(data)
    assert not [s for s in SECRETS if s in text]
    assert "147102••••••••••" in text  # the NIK in a request's text, masked


def test_the_pdf_has_the_figures_in_indonesian(scenario: dict[str, Any]) -> None:
    data = pdf.render(reports.build_report(YEAR))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Laporan Tahunan Layanan Informasi Publik 2025" in text and "Seluruh PPID Provinsi Riau" in text
    assert "15 Januari 2026" in text and "31 Maret 2026" in text  # dates in Indonesian
    assert "Permohonan diterima" in text and "5,6" in text and "80%" in text  # 5.6 days written 5,6
    assert "Grafik 1. Hasil permohonan" in text and "Teks alternatif grafik 1" in text
    assert "Dikabulkan seluruhnya 1; Dikabulkan sebagian 1; Ditolak 1;" in text.replace("\n", " ")
    assert "001/KI-RIAU/PS/2025" in text and scenario["requests"][2].request.number in text
    assert not [s for s in SECRETS if s in text]
    raw = b"".join(zlib.decompress(base64.a85decode(m.strip(), adobe=True))
                   for m in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S) if m.strip().endswith(b"~>"))
    assert NIK.encode() not in raw and NIK.encode() not in data


@pytest.mark.nodb
def test_numbers_and_dates_are_written_the_indonesian_way() -> None:
    assert reports.number(1234) == "1.234" and reports.number(5.6, 1) == "5,6" and reports.number(None) == "–"
    assert reports.number(3.0, 1) == "3" and reports.short_date(date(2025, 8, 17)) == "17 Agu 2025"


# --------------------------------------------------------------------------- the web


def test_the_public_downloads(scratch_client: Any, scenario: dict[str, Any]) -> None:
    resp = scratch_client.get(f"/ppid/laporan/{YEAR}.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.headers["Content-Disposition"] == "attachment; filename=laporan-ppid-2025.xlsx"
    assert resp.data.startswith(b"PK")
    resp = scratch_client.get(f"/ppid/laporan/{YEAR}.pdf?ppid=dinkes-riau")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    assert resp.headers["Content-Disposition"] == "attachment; filename=laporan-ppid-2025-dinkes-riau.pdf"
    assert "Dinas Kesehatan Provinsi Riau" in _pdf_text(resp.data)
    for url, fragment in ((f"/ppid/laporan/{YEAR}.pdf?ppid=tidak-ada", "tidak-ada"),
                          ("/ppid/laporan/2019.xlsx", "2019"), ("/ppid/laporan/2031.pdf", "2031")):
        missing = scratch_client.get(url)
        assert missing.status_code == 404 and fragment in missing.get_data(as_text=True), url
        assert "text/html" in missing.content_type
    assert scratch_client.get(f"/ppid/laporan/{YEAR}.docx").status_code == 404
    # The statistics page links the region's report and each PPID's.
    html = scratch_client.get(f"/ppid/statistik?tahun={YEAR}").get_data(as_text=True)
    assert f'href="/ppid/laporan/{YEAR}.xlsx"' in html and f'href="/ppid/laporan/{YEAR}.pdf"' in html
    assert 'name="ppid"' in html and 'value="dinkes-riau"' in html and 'for="laporan-ppid"' in html


NARRATIVE = {"policy": "SK Gubernur Riau Nomor 100/2024 tentang PPID; SOP layanan informasi.",
             "staff": "Lima petugas layanan, dua di antaranya purnawaktu.", "facilities": "Meja layanan dan situs.",
             "budget": "Rp 150.000.000, terealisasi 92%.", "obstacles": f"Pemohon menulis NIK {NIK} di surat.",
             "recommendations": "Pelatihan uji konsekuensi untuk PPID Pelaksana."}


def test_a_ppid_writes_its_own_narrative_only(scratch_client: Any, scenario: dict[str, Any]) -> None:
    page = "/kelola/ppid/laporan"
    assert scratch_client.get(page).status_code == 302  # sign in first
    sign_in(scratch_client, "produsen")
    assert scratch_client.get(page).status_code == 403
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # Dinkes' PPID Pelaksana writes for Dinkes; for the PPID Utama's organisation it is refused.
    sign_in(scratch_client, "ppid.pelaksana")
    html = scratch_client.get(f"{page}?tahun={YEAR}").get_data(as_text=True)
    assert 'value="dinkes-riau"' in html and 'value="diskominfotik-riau"' not in html
    assert 'for="policy"' in html and 'for="recommendations"' in html
    token = csrf_of(scratch_client, f"{page}?tahun={YEAR}")
    refused = scratch_client.post(page, data={"csrf_token": token, "ppid": "diskominfotik-riau", "tahun": YEAR,
                                              **NARRATIVE})
    assert refused.status_code == 403
    assert scratch_client.get(f"{page}?ppid=diskominfotik-riau&tahun={YEAR}").status_code == 403
    too_long = scratch_client.post(page, data={"csrf_token": token, "ppid": "dinkes-riau", "tahun": YEAR,
                                               **NARRATIVE, "budget": "x" * 10_001})
    assert too_long.status_code == 400 and "Paling panjang 10.000 karakter" in too_long.get_data(as_text=True)
    assert scratch_client.post(page, data={"csrf_token": token, "ppid": "dinkes-riau", "tahun": "1999",
                                           **NARRATIVE}).status_code == 404
    saved = scratch_client.post(page, data={"csrf_token": token, "ppid": "dinkes-riau", "tahun": YEAR, **NARRATIVE})
    assert saved.status_code == 302
    db.session.expire_all()
    [narrative] = db.session.scalars(select(ReportNarrative)).all()
    assert (narrative.organization_id, narrative.year, narrative.budget) == (
        scenario["requests"][2].request.handler_id, YEAR, NARRATIVE["budget"])
    assert narrative.updated_by_id is not None
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.report.narrative")).one()
    assert entry.summary == {"organization": "dinkes-riau", "year": YEAR, "fields": [k for k in NARRATIVE]}
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert len(denied) >= 2
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # The PPID Utama writes for its own organisation, not for an OPD; an admin for any.
    sign_in(scratch_client, "ppid.utama")
    token = csrf_of(scratch_client, page)
    assert scratch_client.post(page, data={"csrf_token": token, "ppid": "dinkes-riau", "tahun": YEAR,
                                           "policy": "x"}).status_code == 403
    assert scratch_client.post(page, data={"csrf_token": token, "ppid": "diskominfotik-riau", "tahun": YEAR,
                                           "policy": "SK PPID Utama."}).status_code == 302
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "admin")
    token = csrf_of(scratch_client, page)
    assert scratch_client.post(page, data={"csrf_token": token, "ppid": "dinkes-riau", "tahun": YEAR,
                                           **NARRATIVE, "staff": "Enam petugas."}).status_code == 302
    changed = db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.report.narrative")
                                 .order_by(AuditLog.id.desc())).first()
    assert changed is not None and changed.summary["fields"] == ["staff"]
    # The written parts are public in the reports, any NIK-like number masked.
    book = _texts_of_xlsx(scratch_client.get(f"/ppid/laporan/{YEAR}.xlsx").data)
    assert "Enam petugas." in book and "SK PPID Utama." in book and "147102••••••••••" in book and NIK not in book
    text = _pdf_text(scratch_client.get(f"/ppid/laporan/{YEAR}.pdf?ppid=dinkes-riau").data)
    assert "Rp 150.000.000, terealisasi 92%." in text and "SK PPID Utama." not in text and NIK not in text


def test_the_inbox_links_the_narrative_page(scratch_client: Any, users: Any) -> None:  # noqa: F811
    sign_in(scratch_client, "ppid.pelaksana")
    assert 'href="/kelola/ppid/laporan"' in scratch_client.get("/kelola/ppid").get_data(as_text=True)


# --------------------------------------------------------------------------- the CLI


def test_the_cli_writes_the_report(app: Any, scenario: dict[str, Any], tmp_path: Any,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    runner = app.test_cli_runner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(ppid_group, ["report", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    path, summary = result.output.splitlines()
    assert path == "laporan-ppid-2025.xlsx" and (tmp_path / path).read_bytes().startswith(b"PK")
    assert summary.startswith("Laporan PPID 2025 (Seluruh PPID Provinsi Riau): 8 permohonan")
    target = tmp_path / "keluar" / "dinkes.pdf"
    target.parent.mkdir()
    result = runner.invoke(ppid_group, ["report", "--year", str(YEAR), "--format", "pdf", "--ppid", "dinkes-riau",
                                        "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == str(target) and target.read_bytes().startswith(b"%PDF")
    assert "3 permohonan" in result.output
    result = runner.invoke(ppid_group, ["report", "--year", str(YEAR), "--format", "pdf", "--ppid", "dinkes-riau"])
    assert result.exit_code == 0 and (tmp_path / "laporan-ppid-2025-dinkes-riau.pdf").exists()
    for args, fragment in ((["--year", "1999"], "Laporan tahun 1999 tidak tersedia"),
                           (["--year", str(YEAR), "--ppid", "tidak-ada"], 'PPID "tidak-ada" tidak dikenal'),
                           (["--year", str(YEAR), "--format", "docx"], "docx"),
                           (["--year", "dua ribu"], "dua ribu")):
        result = runner.invoke(ppid_group, ["report", *args])
        assert result.exit_code == 2 and fragment in result.output, (args, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keluar", "laporan-ppid-2025-dinkes-riau.pdf",
                                                          "laporan-ppid-2025.xlsx"]


def test_nothing_here_changes_a_request(scenario: dict[str, Any]) -> None:
    before = [(r.number, r.state, r.due_on, r.decided_on) for r in db.session.scalars(
        select(InformationRequest).order_by(InformationRequest.id))]
    xlsx.render(reports.build_report(YEAR))
    pdf.render(reports.build_report(YEAR))
    db.session.expire_all()
    assert before == [(r.number, r.state, r.due_on, r.decided_on) for r in db.session.scalars(
        select(InformationRequest).order_by(InformationRequest.id))]
    assert db.session.scalar(select(Objection.state)) == "rejected"
