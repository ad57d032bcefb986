"""Signed PDF notices (#12): a tanda bukti on filing, a written notice with what the law wants for
each decision (and the surat keputusan of a refusal), the extension notice, the keberatan's
receipt and answer; PAdES signatures pyHanko validates; the public verification page; who may
download which document; and a NIK that never reaches a PDF in full."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog
from satudata.extensions import db
from satudata.ppid import notices, retention, services, signing
from satudata.ppid.identity import mask_numbers
from satudata.ppid.models import InformationRequest, Notice, NoticeKind, Objection, RequestEvent
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.ppid.test_requests import NIK, REQUEST, ktp_scan
from tests.workspace.conftest import csrf_of, sign_in


@pytest.fixture(autouse=True)
def demo_signing(app: Any) -> Any:
    """Documents signed with the demo certificate, as on a demo portal (also on PostgreSQL)."""
    before = app.config.get("PPID_SIGNING_DEMO")
    app.config["PPID_SIGNING_DEMO"] = True
    yield
    app.config["PPID_SIGNING_DEMO"] = before


# --------------------------------------------------------------------------- helpers


_TEXT = re.compile(rb"\(((?:\\.|[^\\()])*)\)\s*Tj|(T\*|Td|TD|Tm|ET)(?![A-Za-z0-9*])", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> str:
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i:i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(raw[i + 1:i + 2], raw[i + 1:i + 2])
            i += 2
    return bytes(out).replace(b"\x7f", "•".encode("cp1252")).decode("cp1252", errors="replace")


def pdf_text(data: bytes) -> str:
    """The text of a reportlab PDF (its standard fonts write text as literal strings), read with
    pyHanko's reader: pieces of one line joined, lines joined by spaces, spaces normalised."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    lines: list[str] = []
    current = ""
    for page in reader.root["/Pages"]["/Kids"]:
        contents = page.get_object()["/Contents"]
        streams = contents if isinstance(contents, list) else [contents]
        for stream in streams:
            for match in _TEXT.finditer(stream.get_object().data):
                if match.group(1) is not None:
                    current += _unescape(match.group(1))
                elif current:
                    lines.append(current)
                    current = ""
    lines.append(current)
    return re.sub(r"\s+", " ", " ".join(lines))


def _file(client: Any, **overrides: Any) -> tuple[InformationRequest, str]:
    resp = client.post("/api/v1/ppid/requests", json={**REQUEST, **overrides})
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()["data"]
    request = db.session.scalars(select(InformationRequest).where(InformationRequest.number == data["number"])).one()
    return request, data["tracking_url"].split("kode=")[1]


def _notices(request: InformationRequest, kind: NoticeKind | None = None) -> list[Notice]:
    query = select(Notice).where(Notice.request_id == request.id).order_by(Notice.id)
    if kind is not None:
        query = query.where(Notice.kind == kind)
    return list(db.session.scalars(query))


def _decide(users: Any, request: InformationRequest, action: str, data: dict[str, Any], note: str = "") -> Any:  # noqa: F811
    event = services.act(users["ppid_utama"], request, action, data, note=note)
    db.session.commit()
    return event


def _enable_logger(monkeypatch: Any, name: str) -> None:
    """Alembic's ``fileConfig`` (``migrations/env.py``, run by every test app's upgrade) disables
    the loggers that existed before it; the test reads this one's records."""
    monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def _no_identity(text: str) -> None:
    """Neither the NIK nor its personal part (birth date and serial) is in ``text``."""
    assert NIK not in text and NIK[6:] not in text and "1471 0245 0390 0007" not in text


# --------------------------------------------------------------------------- the tanda bukti


def test_filing_issues_a_signed_receipt_with_the_request_as_the_law_lists_it(scratch_client: Any,  # noqa: F811
                                                                               users: Any) -> None:  # noqa: F811
    request, _ = _file(scratch_client, information="Jumlah tenaga kesehatan honorer; NIK saya 1471024503900007")
    [receipt] = _notices(request)
    assert receipt.kind == NoticeKind.RECEIPT and receipt.number == f"{request.number}/TB"
    assert receipt.sha256 == hashlib.sha256(receipt.pdf).hexdigest() and receipt.size == len(receipt.pdf)
    assert receipt.demo_certificate and signing.DEMO_MARK in receipt.signer
    text = pdf_text(receipt.pdf)
    for part in ("TANDA BUKTI PENERIMAAN PERMOHONAN INFORMASI PUBLIK", f"Nomor: {request.number}/TB",
                 "DISKOMINFOTIK PROVINSI RIAU", "PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI (PPID)",
                 "Kepada Yth.", REQUEST["name"], REQUEST["address"], REQUEST["occupation"],
                 # Contact as identity.mask_numbers leaves it (the one policy for what is masked).
                 f"Nomor telepon {mask_numbers(REQUEST['phone'])}", f"Surel {mask_numbers(REQUEST['email'])}",
                 "Jumlah tenaga kesehatan honorer", REQUEST["purpose"],
                 "Mendapatkan salinan informasi (softcopy)", "Surat elektronik (e-mail)",
                 "Nomor pendaftaran", request.number, "Tanggal diterima", notices._day(request.received_on),
                 "Pemberitahuan tertulis paling lambat", notices._day(request.due_on), "Petugas Pelayanan Informasi",
                 "NIK (disamarkan)", "147102••••••••••", "Perorangan", "Laman web",
                 f"Nomor dokumen: {request.number}/TB", "http://localhost/ppid/verifikasi",
                 "SERTIFIKAT DEMO", "BUKAN tanda tangan elektronik resmi BSrE"):
        assert part in text, part
    _no_identity(text)
    assert NIK.encode() not in receipt.pdf
    # The date is written the Indonesian way, in WIB.
    assert re.search(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
                     r"Desember) 20\d\d\b", text)


def test_the_signature_is_pades_over_the_whole_document_and_validates(scratch_client: Any,  # noqa: F811
                                                                       users: Any) -> None:  # noqa: F811
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    request, _ = _file(scratch_client)
    [receipt] = _notices(request)
    [signature] = PdfFileReader(io.BytesIO(receipt.pdf)).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    key = signing.current()
    context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
    # pyHanko runs an event loop of its own; a browser test earlier in this process leaves one
    # running in this thread, so validate in another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, context).result()
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signing.subject_name(signature.signer_cert) == receipt.signer
    # The demo certificate was made once, in the instance folder, and is reused.
    from pathlib import Path

    from flask import current_app
    assert (Path(current_app.instance_path) / signing.DEMO_FILE).exists()
    assert signing.current() is key


def test_without_a_certificate_documents_go_out_unsigned_and_say_so(app: Any, scratch_client: Any, users: Any,  # noqa: F811
                                                                    caplog: Any, monkeypatch: Any) -> None:
    app.config["PPID_SIGNING_DEMO"] = False
    monkeypatch.setattr(signing, "_cache", {})  # the warning is said once per process and configuration
    _enable_logger(monkeypatch, "satudata.ppid.signing")
    with caplog.at_level(logging.WARNING, logger="satudata.ppid.signing"):
        request, _ = _file(scratch_client)
    [receipt] = _notices(request)
    assert receipt.signer == "" and not receipt.demo_certificate
    text = pdf_text(receipt.pdf)
    assert "tanpa tanda tangan elektronik" in text and "SERTIFIKAT DEMO" not in text
    assert any("not signed" in r.getMessage() for r in caplog.records)
    assert signing.inspect(receipt.pdf) == []


def _agency_pkcs12(passphrase: bytes) -> bytes:
    """A PKCS#12 file like an agency's (a key and its certificate, passphrase-protected)."""
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PPID Provinsi Riau (uji)")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"ppid", key, cert, None,
                                                 serialization.BestAvailableEncryption(passphrase))


def test_the_agencys_certificate_signs_when_configured(app: Any, scratch_client: Any, users: Any,  # noqa: F811
                                                       tmp_path: Any, monkeypatch: Any, caplog: Any) -> None:
    path = tmp_path / "ppid.p12"
    path.write_bytes(_agency_pkcs12(b"rahasia-dinas"))
    monkeypatch.setitem(app.config, "PPID_SIGNING_PKCS12", str(path))
    monkeypatch.setitem(app.config, "PPID_SIGNING_PASSPHRASE", "rahasia-dinas")
    request, _ = _file(scratch_client)
    [receipt] = _notices(request)
    assert receipt.signer == "PPID Provinsi Riau (uji)" and not receipt.demo_certificate
    text = pdf_text(receipt.pdf)
    assert "Ditandatangani secara elektronik" in text and "SERTIFIKAT DEMO" not in text
    [check] = signing.inspect(receipt.pdf)
    assert check.ours and check.intact and check.whole_file
    # A wrong passphrase is logged; documents go out unsigned (never with the demo certificate).
    monkeypatch.setitem(app.config, "PPID_SIGNING_PASSPHRASE", "salah")
    _enable_logger(monkeypatch, "satudata.ppid.signing")
    with caplog.at_level(logging.ERROR, logger="satudata.ppid.signing"):
        other, _ = _file(scratch_client, information="Daftar puskesmas beserta alamatnya di Kota Pekanbaru")
    [unsigned] = _notices(other)
    assert unsigned.signer == "" and not unsigned.demo_certificate
    assert any("could not be loaded" in r.getMessage() for r in caplog.records)


def test_a_document_that_cannot_be_made_never_stops_the_filing(monkeypatch: Any, scratch_client: Any,  # noqa: F811
                                                               users: Any, caplog: Any) -> None:  # noqa: F811
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("HSM tidak menjawab")

    monkeypatch.setattr(signing, "sign", broken)
    _enable_logger(monkeypatch, "satudata.ppid.notices")
    with caplog.at_level(logging.ERROR, logger="satudata.ppid.notices"):
        request, secret = _file(scratch_client)
    assert request.state == "registered" and db.session.scalar(select(func.count(Notice.id))) == 0
    assert any("could not be made" in r.getMessage() for r in caplog.records)
    # The request is on the register and its applicant follows it; the page says no document yet.
    page = scratch_client.get(f"/ppid/lacak/{request.number}?kode={secret}").get_data(as_text=True)
    assert "Belum ada dokumen resmi" in page
    # A decision goes through too.
    _decide(users, request, "not_held", {"holder_unknown": True})
    assert db.session.get(InformationRequest, request.id).state == "not_held"


# --------------------------------------------------------------------------- written notices


GRANT = {"given": "Rekap tenaga kesehatan per puskesmas 2025", "form": "Salinan PDF", "delivery": "Surel, 2 hari kerja",
         "cost": 15000}


@pytest.mark.parametrize(("action", "data", "parts"), [
    ("grant", GRANT, ["INFORMASI DAPAT DIBERIKAN SELURUHNYA", GRANT["given"], "Salinan PDF", "Rp15.000",
                      "Surel, 2 hari kerja", "Penguasaan informasi", "Kami (Diskominfotik Provinsi Riau)"]),
    ("grant_in_part", {**GRANT, "redactions": [{"part": "Nama tenaga honorer", "exemptions": ["h"],
                                                "reason": "Rahasia pribadi tenaga honorer"}]},
     ["INFORMASI DAPAT DIBERIKAN SEBAGIAN", "Penjelasan penghitaman/pengaburan", "Nama tenaga honorer",
      "Pasal 17 huruf h UU 14/2008", "mengungkap rahasia pribadi", "Rahasia pribadi tenaga honorer", "Rp15.000"]),
    ("refuse", {"exemptions": ["a", "h"], "consequence_test": "Membuka daftar ini mengungkap saksi yang dilindungi."},
     ["INFORMASI TIDAK DAPAT DIBERIKAN: INFORMASI YANG DIKECUALIKAN", "Pasal 17 huruf a UU 14/2008",
      "menghambat proses penegakan hukum", "Pasal 17 huruf h UU 14/2008", "Uji konsekuensi",
      "Membuka daftar ini mengungkap saksi yang dilindungi.", "Surat Keputusan PPID tentang Penolakan"]),
    ("not_held", {"holder": "Badan Pusat Statistik Provinsi Riau"},
     ["INFORMASI YANG DIMINTA TIDAK DIKUASAI", "Badan publik yang menguasai informasi",
      "Badan Pusat Statistik Provinsi Riau"]),
    ("not_held", {"holder_unknown": True}, ["INFORMASI YANG DIMINTA TIDAK DIKUASAI", "Tidak diketahui oleh PPID kami."]),
    ("not_documented", {"available_on": "+20"},
     ["INFORMASI YANG DIMINTA BELUM DIDOKUMENTASIKAN", "Penyediaan informasi yang belum didokumentasikan"]),
])
def test_each_decision_has_its_written_notice(scratch_client: Any, users: Any, action: str,  # noqa: F811
                                             data: dict[str, Any], parts: list[str]) -> None:
    request, _ = _file(scratch_client)
    data = dict(data)
    if data.get("available_on") == "+20":
        data["available_on"] = services.today() + timedelta(days=20)
        parts = [*parts, notices._day(data["available_on"])]
    _decide(users, request, action, data, note="Hubungi kami bila ada pertanyaan.")
    [written] = _notices(request, NoticeKind.WRITTEN_NOTICE)
    assert written.number == f"{request.number}/PT" and written.event_id is not None
    text = pdf_text(written.pdf)
    for part in ("PEMBERITAHUAN TERTULIS", f"Nomor: {request.number}/PT", "Berdasarkan permohonan informasi",
                 request.number, REQUEST["name"], REQUEST["address"], REQUEST["information"][:40],
                 "PPID memutuskan bahwa informasi yang dimohon adalah", "Hubungi kami bila ada pertanyaan.",
                 "mengajukan keberatan kepada Atasan PPID", "Pengguna ppid_utama", *parts):
        assert part in text, part
    _no_identity(text)
    refusals = _notices(request, NoticeKind.REFUSAL)
    assert len(refusals) == (1 if action == "refuse" else 0)
    assert len(_notices(request)) == (3 if action == "refuse" else 2)  # with the receipt


def test_a_refusal_also_gets_the_surat_keputusan_penolakan(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, _ = _file(scratch_client)
    _decide(users, request, "refuse", {"exemptions": ["c"], "consequence_test": "Membuka denah gudang senjata "
                                       "membahayakan pertahanan."})
    [refusal] = _notices(request, NoticeKind.REFUSAL)
    assert refusal.number == f"{request.number}/SKP"
    text = pdf_text(refusal.pdf)
    for part in ("SURAT KEPUTUSAN PPID TENTANG PENOLAKAN PERMOHONAN INFORMASI", f"Nomor: {request.number}/SKP",
                 "INFORMASI YANG DIKECUALIKAN", "Pengecualian informasi didasarkan pada alasan",
                 "Pasal 17 huruf c UU 14/2008", "membahayakan pertahanan dan keamanan negara",
                 "uji konsekuensi", "Membuka denah gudang senjata membahayakan pertahanan.",
                 "PERMOHONAN INFORMASI DITOLAK", "30 (tiga puluh) hari kerja", f"{request.number}/PT",
                 REQUEST["name"]):
        assert part in text, part
    # Both documents of one move name each other and hang on the same event.
    written = _notices(request, NoticeKind.WRITTEN_NOTICE)[0]
    assert f"{request.number}/SKP" in pdf_text(written.pdf) and written.event_id == refusal.event_id


def test_the_extension_notice_gives_reasons_and_the_new_date(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, _ = _file(scratch_client)
    _decide(users, request, "extend", {"days": 7, "reason": "Data honorer dihimpun dari 20 puskesmas."})
    [extension] = _notices(request, NoticeKind.EXTENSION)
    assert extension.number == f"{request.number}/PP"
    text = pdf_text(extension.pdf)
    for part in ("PEMBERITAHUAN PERPANJANGAN JANGKA WAKTU", "Pasal 22 ayat 8", "7 hari kerja",
                 "Data honorer dihimpun dari 20 puskesmas.", notices._day(request.due_on)):
        assert part in text, part


def test_numbers_stay_unique_when_a_kind_repeats(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, _ = _file(scratch_client)
    event = _decide(users, request, "grant", GRANT)
    again = notices.issue_for_event(request, event)
    assert [n.number for n in again] == [f"{request.number}/PT-2"]
    assert len({n.number for n in _notices(request)}) == len(_notices(request)) == 3


def test_the_keberatan_gets_its_receipt_and_the_atasan_answer(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, secret = _file(scratch_client)
    _decide(users, request, "refuse", {"exemptions": ["h"], "consequence_test": "Data pribadi tenaga honorer."})
    objection = services.file_objection(request.number, secret, {
        "grounds": ["a"], "case_summary": "Saya minta angka agregat, bukan nama.", "proxy_name": "LBH Pekanbaru",
        "proxy_letter": "SK-12/2026"})
    db.session.commit()
    [receipt] = _notices(request, NoticeKind.OBJECTION_RECEIPT)
    assert receipt.number == f"{objection.number}/KB" and receipt.objection_id == objection.id
    text = pdf_text(receipt.pdf)
    for part in ("TANDA BUKTI PENERIMAAN KEBERATAN", objection.number, request.number, REQUEST["purpose"],
                 "LBH Pekanbaru", "SK-12/2026", "Permohonan ditolak berdasarkan alasan pengecualian Pasal 17",
                 "Saya minta angka agregat, bukan nama.", "Tanggapan Atasan PPID paling lambat",
                 notices._day(objection.due_on), "Petugas Penerima Keberatan"):
        assert part in text, part
    _no_identity(text)
    services.decide_objection(users["atasan_ppid"], objection, "reject", {
        "reasons": "Nama tenaga honorer adalah data pribadi.", "decider_name": "Drs. H. Sekretaris Daerah",
        "decider_position": "Sekretaris Daerah Provinsi Riau"})
    db.session.commit()
    [answer] = _notices(request, NoticeKind.OBJECTION_ANSWER)
    assert answer.number == f"{objection.number}/TK"
    text = pdf_text(answer.pdf)
    for part in ("TANGGAPAN ATASAN PPID ATAS KEBERATAN", "PEMERINTAH PROVINSI RIAU",
                 "ATASAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI", "KEBERATAN DITOLAK",
                 "Nama tenaga honorer adalah data pribadi.", "Drs. H. Sekretaris Daerah",
                 "Sekretaris Daerah Provinsi Riau", "Komisi Informasi", "14 (empat belas) hari kerja"):
        assert part in text, part
    # A dispute recorded afterwards is no document of the portal's.
    services.decide_objection(users["atasan_ppid"], objection, "record_dispute", {
        "filed_on": services.today(), "register_number": "001/KI-RIAU/PS/2026"})
    assert len(_notices(request)) == 5


# --------------------------------------------------------------------------- downloads


def test_the_applicant_downloads_with_the_tracking_code_only(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, secret = _file(scratch_client)
    other, other_secret = _file(scratch_client, information="Daftar puskesmas beserta alamatnya di Kota Pekanbaru")
    [receipt] = _notices(request)
    url = f"/ppid/lacak/{request.number}/dokumen/{receipt.id}"
    resp = scratch_client.get(f"{url}?kode={secret}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data == receipt.pdf
    assert "attachment" in resp.headers["Content-Disposition"] and "no-store" in resp.headers["Cache-Control"]
    assert scratch_client.get(url).status_code == 404
    assert scratch_client.get(f"{url}?kode=salah").status_code == 404
    assert scratch_client.get(f"{url}?kode={other_secret}").status_code == 404  # another request's code
    other_receipt = _notices(other)[0]
    assert scratch_client.get(f"/ppid/lacak/{request.number}/dokumen/{other_receipt.id}?kode={secret}"
                              ).status_code == 404  # another request's document
    # The tracking page lists the documents with links carrying the code.
    page = scratch_client.get(f"/ppid/lacak/{request.number}?kode={secret}").get_data(as_text=True)
    assert "Dokumen resmi" in page and f"{url}?kode={secret}" in page and receipt.number in page


def test_the_web_form_links_the_receipt(scratch_client: Any, users: Any) -> None:  # noqa: F811
    token = csrf_of(scratch_client, "/ppid/permohonan")
    html = scratch_client.post("/ppid/permohonan", data={**REQUEST, "csrf_token": token, "identity_scan": ktp_scan()},
                               content_type="multipart/form-data").get_data(as_text=True)
    request = db.session.scalars(select(InformationRequest)).one()
    link = re.search(r'href="(/ppid/lacak/[^"]+/dokumen/\d+\?kode=[^"]+)"', html)
    assert link and "Unduh tanda bukti (PDF)" in html
    resp = scratch_client.get(link.group(1).replace("&amp;", "&"))
    assert resp.status_code == 200 and resp.data == _notices(request)[0].pdf


def test_officers_download_only_the_requests_they_may_see(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, secret = _file(scratch_client)
    _decide(users, request, "refuse", {"exemptions": ["h"], "consequence_test": "Data pribadi."})
    written = _notices(request, NoticeKind.WRITTEN_NOTICE)[0]
    url = f"/kelola/ppid/{request.number}/dokumen/{written.id}"
    assert scratch_client.get(url).status_code in (302, 401)  # not signed in
    for outsider in ("produsen", "ppid.pelaksana", "atasan.ppid"):  # the request is the PPID Utama's
        sign_in(scratch_client, outsider)
        assert scratch_client.get(url).status_code == 403, outsider
        scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "ppid.utama")
    resp = scratch_client.get(url)
    assert resp.status_code == 200 and resp.data == written.pdf
    assert scratch_client.get(f"/kelola/ppid/{request.number}/dokumen/999999").status_code == 404
    detail = scratch_client.get(f"/kelola/ppid/{request.number}").get_data(as_text=True)
    assert url in detail and "Dokumen resmi" in detail
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "ppid.notice_view")) == 1
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # Once a keberatan is filed, the Atasan PPID deciding it reads the request's documents too.
    services.file_objection(request.number, secret, {"grounds": ["a"], "case_summary": "Keberatan."})
    db.session.commit()
    objection = db.session.scalars(select(Objection)).one()
    sign_in(scratch_client, "atasan.ppid")
    assert scratch_client.get(url).status_code == 200
    page = scratch_client.get(f"/kelola/keberatan/{objection.number}").get_data(as_text=True)
    assert url in page and f"{objection.number}/KB" in page


# --------------------------------------------------------------------------- verification


def _verify(client: Any, data: bytes | None = None, number: str | None = None, name: str = "dokumen.pdf") -> Any:
    token = csrf_of(client, "/ppid/verifikasi")
    form: dict[str, Any] = {"csrf_token": token}
    if data is not None:
        form["berkas"] = (io.BytesIO(data), name)
    if number is not None:
        form["nomor"] = number
    return client.post("/ppid/verifikasi", data=form, content_type="multipart/form-data")


def test_the_verification_page_knows_our_documents(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, _ = _file(scratch_client)
    _decide(users, request, "grant", GRANT)
    written = _notices(request, NoticeKind.WRITTEN_NOTICE)[0]
    page = scratch_client.get("/ppid/verifikasi")
    assert page.status_code == 200 and 'name="berkas"' in page.get_data(as_text=True)
    assert 'href="/ppid/verifikasi"' in scratch_client.get("/ppid").get_data(as_text=True)
    html = _verify(scratch_client, written.pdf).get_data(as_text=True)
    assert "Asli dan utuh" in html and written.number in html and request.number in html
    assert "Pemberitahuan tertulis" in html and "sertifikat demo" in html
    for personal in (REQUEST["name"], REQUEST["address"], REQUEST["email"], REQUEST["phone"]):
        assert personal not in html, personal
    # By number: the document is named, and the page says a number proves nothing of the content.
    html = _verify(scratch_client, number=written.number).get_data(as_text=True)
    assert "Nomor terdaftar" in html and written.sha256 in html and REQUEST["name"] not in html
    assert "Nomor tidak dikenal" in _verify(scratch_client, number="PPID-9-2026-0001/PT").get_data(as_text=True)


def test_the_verification_page_tells_an_altered_copy(scratch_client: Any, users: Any) -> None:  # noqa: F811
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    request, _ = _file(scratch_client)
    [receipt] = _notices(request)
    # One byte changed inside what was signed (in the page's content).
    stream = receipt.pdf.index(b"stream") + 20
    changed = bytearray(receipt.pdf)
    changed[stream] ^= 0x01
    html = _verify(scratch_client, bytes(changed)).get_data(as_text=True)
    assert "Telah diubah" in html and "diubah setelah ditandatangani" in html
    # Saved again with a change appended (what a PDF editor's "save" does): the signed version
    # is intact and known, the file is not.
    writer = IncrementalPdfFileWriter(io.BytesIO(receipt.pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    resaved = io.BytesIO()
    writer.write(resaved)
    html = _verify(scratch_client, resaved.getvalue()).get_data(as_text=True)
    assert "Telah diubah" in html and "ditambahkan sesudahnya" in html and receipt.number in html
    assert notices.verify(resaved.getvalue()).notice == receipt


def test_the_verification_page_refuses_what_it_cannot_check(app: Any, scratch_client: Any, users: Any) -> None:  # noqa: F811
    from reportlab.pdfgen import canvas

    # A PDF of someone else's: unknown.
    other = io.BytesIO()
    pdf = canvas.Canvas(other)
    pdf.drawString(100, 700, "Surat palsu PPID")
    pdf.save()
    html = _verify(scratch_client, other.getvalue()).get_data(as_text=True)
    assert "Tidak dikenal atau telah diubah" in html
    # Not a PDF at all: said so, 400.
    resp = _verify(scratch_client, b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="foto.png")
    assert resp.status_code == 400 and "bukan PDF" in resp.get_data(as_text=True)
    # Too large: refused before anything is read further.
    app.config["PPID_VERIFY_MAX_BYTES"] = 2048
    try:
        resp = _verify(scratch_client, b"%PDF-1.4\n" + b"0" * 4096)
    finally:
        app.config["PPID_VERIFY_MAX_BYTES"] = 10 * 1024 * 1024
    assert resp.status_code == 413 and "terlalu besar" in resp.get_data(as_text=True)
    # Neither a file nor a number.
    assert _verify(scratch_client).status_code == 400
    # Nothing was written by any of it.
    assert db.session.scalar(select(func.count(Notice.id))) == 0
    assert db.session.scalar(select(func.count(RequestEvent.id))) == 0


def test_verification_posts_are_rate_limited(scratch_client: Any, users: Any) -> None:  # noqa: F811
    token = csrf_of(scratch_client, "/ppid/verifikasi")
    limit = int(notices_limit())
    statuses = [scratch_client.post("/ppid/verifikasi", data={"csrf_token": token, "nomor": "X"}).status_code
                for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429


def notices_limit() -> str:
    from satudata.ppid.notice_views import VERIFY_LIMIT

    return VERIFY_LIMIT.split()[0]


def test_a_purged_requests_documents_are_gone_but_still_verify(scratch_client: Any, users: Any) -> None:  # noqa: F811
    request, secret = _file(scratch_client)
    _decide(users, request, "not_held", {"holder": "Badan Pusat Statistik Provinsi Riau"})
    [receipt, written] = _notices(request)
    kept = written.pdf
    days = int(scratch_client.application.config["PPID_RETENTION_DAYS"])
    assert retention.purge_personal_data(services.today() + timedelta(days=days + 1)) == [request.number]
    db.session.commit()
    db.session.expire_all()
    # The bytes are gone with the applicant's personal data: no download, for anyone.
    resp = scratch_client.get(f"/ppid/lacak/{request.number}/dokumen/{written.id}?kode={secret}")
    assert resp.status_code == 404 and "masa retensi" in resp.get_data(as_text=True)
    page = scratch_client.get(f"/ppid/lacak/{request.number}?kode={secret}").get_data(as_text=True)
    assert written.number in page and "berkas dihapus setelah masa retensi" in page
    assert f"/dokumen/{written.id}" not in page
    # The copy the applicant kept is still ours, unaltered.
    assert "Asli dan utuh" in _verify(scratch_client, kept).get_data(as_text=True)


def test_a_pinned_clock_dates_the_filing_and_its_receipt(scratch_client: Any, users: Any) -> None:  # noqa: F811
    """What the demo does to file last year's requests on their own day: the clock's pinned day
    is the filing's day 0 and the receipt's letter date (the signature keeps the real time)."""
    from datetime import UTC, date, datetime

    from satudata.ppid import clock

    with clock.pinned(date(2025, 2, 10), datetime(2025, 2, 10, 2, 30, tzinfo=UTC)):
        assert services.today() == date(2025, 2, 10)
        request, _ = _file(scratch_client)
    assert request.received_on == date(2025, 2, 10)
    [receipt] = _notices(request)
    assert "10 Februari 2025" in pdf_text(receipt.pdf)
    assert services.today() != date(2025, 2, 10)  # unpinned after the block
