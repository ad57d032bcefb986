"""The standards-library pages in the Flask test client, with CSRF protection on as in
production: anyone browses and downloads; walidata and admins add standards and versions."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, OrganizationKind
from satudata.extensions import db
from satudata.tabular import standards
from satudata.validation import services
from satudata.validation.models import SchemaVersion
from tests.factories import SYSTEM

PASSWORD = "kata-sandi-uji-123"
PENDUDUK = json.loads((standards.SCHEMAS_DIR / "penduduk_kecamatan_jenis_kelamin.json").read_text("utf-8"))


@pytest.fixture()
def people(app: Any) -> dict[str, Any]:
    prov = accounts.create_organization(SYSTEM, slug="pemprov-uji", name="Pemerintah Provinsi Uji",
                                        kind=OrganizationKind.PROVINSI, kode_wilayah="14")
    opd = accounts.create_organization(SYSTEM, slug="dinas-uji", name="Dinas Uji", kind=OrganizationKind.OPD,
                                       parent=prov)
    where = {"produsen": opd, "walidata": prov, "admin": prov}
    made = {role: accounts.create_user(SYSTEM, username=f"pustaka.{role}", email=f"pustaka.{role}@uji.go.id",
                                       full_name=f"Pengguna {role}", password=PASSWORD, roles=[(role, org)])
            for role, org in where.items()}
    services.sync_builtin_schemas()
    db.session.commit()
    return made


def csrf(client: FlaskClient, path: str = "/masuk") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def sign_in(client: FlaskClient, username: str) -> None:
    resp = client.post("/masuk", data={"login": username, "password": PASSWORD, "csrf_token": csrf(client)})
    assert resp.status_code == 302


class EditorForm(HTMLParser):
    """What a browser would post from the editor form (outside its <template> row)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._in_form = self._in_template = False
        self._textarea: str | None = None
        self._text = ""
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-schema-editor" in a:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "template":
            self._in_template = True
        if self._in_template or "name" not in a and tag != "option":
            return
        if tag == "input" and (a.get("type") not in ("checkbox", "file") or "checked" in a):
            self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template = False
        elif tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self.pairs.append((self._textarea, self._text.replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [v for v, on in self._options if on] or ([] if multiple else [self._options[0][0]])
            self.pairs.extend((name, v) for v in chosen)
            self._select = None


def editor_post(html: str, **changes: str) -> dict[str, list[str]]:
    parser = EditorForm()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = [value]
    return data


def _versions(name: str) -> list[int]:
    return list(db.session.scalars(select(SchemaVersion.version).where(SchemaVersion.name == name)
                                   .order_by(SchemaVersion.version)))


# --------------------------------------------------------------------------- public pages


def test_list_detail_and_download_for_everyone(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    page = scratch_client.get("/standar-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert PENDUDUK["title"] in html and "/standar-data/penduduk_kecamatan_jenis_kelamin" in html
    assert "Tambah standar" not in html  # only for walidata and admins

    detail = scratch_client.get("/standar-data/penduduk_kecamatan_jenis_kelamin")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    for field in PENDUDUK["fields"]:
        assert f"<code>{field['name']}</code>" in html
    assert "jiwa" in html and "Bilangan bulat" in html and "Kode wilayah Kemendagri" in html
    assert "/standar-data/penduduk_kecamatan_jenis_kelamin/v1.json" in html
    assert "penduduk_kecamatan_jenis_kelamin@1" in html

    download = scratch_client.get("/standar-data/penduduk_kecamatan_jenis_kelamin/v1.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert 'filename="penduduk_kecamatan_jenis_kelamin-v1.json"' in download.headers["Content-Disposition"]
    assert json.loads(download.get_data(as_text=True)) == PENDUDUK


def test_unknown_standard_or_version_is_404(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    assert scratch_client.get("/standar-data/tidak_ada").status_code == 404
    assert scratch_client.get("/standar-data/sekolah/v9").status_code == 404
    assert scratch_client.get("/standar-data/sekolah/v9.json").status_code == 404


def test_list_syncs_an_empty_library(scratch_client: FlaskClient) -> None:
    assert scratch_client.get("/standar-data").status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count(SchemaVersion.id))) == len(list(standards.SCHEMAS_DIR.glob("*.json")))


# --------------------------------------------------------------------------- who may manage


def test_anonymous_is_sent_to_sign_in(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    for path in ("/standar-data/baru", "/standar-data/sekolah/versi-baru"):
        resp = scratch_client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk?next=")


def test_produsen_is_refused_and_the_refusal_is_audited(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.produsen")
    assert scratch_client.get("/standar-data/baru").status_code == 403
    assert scratch_client.get("/standar-data/sekolah/versi-baru").status_code == 403
    token = csrf(scratch_client, "/akun")
    resp = scratch_client.post("/standar-data/baru", data={
        "csrf_token": token, "mode": "upload", "name": "pos_ronda",
        "file": (io.BytesIO(json.dumps({**PENDUDUK, "name": "x"}).encode()), "skema.json")})
    assert resp.status_code == 403
    denials = db.session.execute(select(AuditLog.actor_id, AuditLog.object_id)
                                 .where(AuditLog.action == "access.denied")).all()
    assert (people["produsen"].id, "POST /standar-data/baru") in denials
    assert _versions("pos_ronda") == []
    assert "Tambah standar" not in scratch_client.get("/standar-data").get_data(as_text=True)


# --------------------------------------------------------------------------- adding standards


@pytest.mark.parametrize("role", ["walidata", "admin"])
def test_add_a_standard_in_the_editor(scratch_client: FlaskClient, people: dict[str, Any], role: str) -> None:
    sign_in(scratch_client, f"pustaka.{role}")
    page = scratch_client.get("/standar-data/baru").get_data(as_text=True)
    assert "Tambah standar data" in page and "schema_editor.js" in page
    data = editor_post(page, name="pos_ronda", title="Jumlah Pos Ronda", **{
        "fields-0-name": "kode_desa", "fields-0-type": "string", "fields-0-required": "on",
        "fields-1-name": "jumlah", "fields-1-type": "integer", "fields-1-minimum": "0", "fields-1-satuan": "unit",
    })
    resp = scratch_client.post("/standar-data/baru", data=data)
    assert resp.status_code == 302 and resp.headers["Location"] == "/standar-data/pos_ronda"
    saved = services.get_standard("pos_ronda")
    assert saved.descriptor == {
        "name": "pos_ronda", "title": "Jumlah Pos Ronda", "missingValues": [""],
        "fields": [{"name": "kode_desa", "type": "string", "constraints": {"required": True}},
                   {"name": "jumlah", "type": "integer", "satuan": "unit", "constraints": {"minimum": 0}}],
    }
    assert saved.created_by_id == people[role].id
    html = scratch_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Jumlah Pos Ronda" in html and "disimpan sebagai versi 1" in html


def test_editor_errors_are_shown_and_nothing_is_saved(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    data = editor_post(scratch_client.get("/standar-data/baru").get_data(as_text=True), name="pos_ronda",
                       title="Jumlah Pos Ronda", **{"fields-0-name": "jumlah", "fields-0-type": "number",
                                                    "fields-0-minimum": "nol koma lima"})
    resp = scratch_client.post("/standar-data/baru", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "Batas bawah harus angka" in html
    assert 'value="nol koma lima"' in html and 'value="pos_ronda"' in html  # what was typed stays
    assert 'aria-invalid="true" aria-describedby="fields-0-minimum-error"' in html
    assert _versions("pos_ronda") == []


def test_name_taken_is_a_conflict(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    data = editor_post(scratch_client.get("/standar-data/baru").get_data(as_text=True), name="sekolah",
                       title="Sekolah lain", **{"fields-0-name": "npsn"})
    resp = scratch_client.post("/standar-data/baru", data=data)
    assert resp.status_code == 409 and "Sudah ada standar data bernama" in resp.get_data(as_text=True)
    assert _versions("sekolah") == [1]


def test_add_a_standard_from_a_json_file(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    token = csrf(scratch_client, "/standar-data/baru")
    upload = {**PENDUDUK, "name": "dari_berkas", "title": "Penduduk (unggahan)"}
    resp = scratch_client.post("/standar-data/baru", data={
        "csrf_token": token, "mode": "upload", "name": "penduduk_unggahan", "note": "Dari BPS",
        "file": (io.BytesIO(json.dumps(upload).encode("utf-8")), "penduduk.json")})
    assert resp.status_code == 302
    saved = services.get_standard("penduduk_unggahan")
    assert saved.descriptor == {**upload, "name": "penduduk_unggahan"} and saved.note == "Dari BPS"

    bad = scratch_client.post("/standar-data/baru", data={
        "csrf_token": token, "mode": "upload", "name": "rusak",
        "file": (io.BytesIO(b"{bukan json"), "rusak.json")})
    assert bad.status_code == 400 and "bukan JSON yang sah" in bad.get_data(as_text=True)
    assert _versions("rusak") == []


def test_a_sample_table_opens_in_the_editor_unsaved(scratch_client: FlaskClient, people: dict[str, Any],
                                                    tmp_path: Path) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    token = csrf(scratch_client, "/standar-data/baru")
    table = "kode_wilayah;jumlah_kk;luas\n14.07;120;1,5\n14.08;98;-\n".encode("cp1252")
    resp = scratch_client.post("/standar-data/baru", data={
        "csrf_token": token, "mode": "infer", "sample": (io.BytesIO(table), "Rumah Tangga 2025.csv")})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "diusulkan dari contoh tabel" in html and 'value="rumah_tangga_2025"' in html
    data = editor_post(html, title="Rumah tangga")
    assert data["fields-1-name"] == ["jumlah_kk"] and data["fields-1-type"] == ["integer"]
    assert data["fields-2-type"] == ["number"] and data["missingValues"] == ["-"]
    assert db.session.scalar(select(func.count(SchemaVersion.id)).where(SchemaVersion.builtin.is_(False))) == 0

    saved = scratch_client.post("/standar-data/baru", data=data)
    assert saved.status_code == 302
    assert services.get_standard("rumah_tangga_2025").descriptor["fields"][0] == {
        "name": "kode_wilayah", "type": "string", "title": "Kode wilayah"}


# --------------------------------------------------------------------------- new versions


def test_new_version_in_the_editor(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    url = "/standar-data/penduduk_kecamatan_jenis_kelamin/versi-baru"
    page = scratch_client.get(url).get_data(as_text=True)

    unchanged = scratch_client.post(url, data=editor_post(page, note="Tidak ada yang diubah"))
    assert unchanged.status_code == 409  # the form posted back as shown is the same Table Schema
    assert "Tidak ada perubahan dibanding versi 1" in unchanged.get_data(as_text=True)

    no_note = scratch_client.post(url, data=editor_post(page, **{"fields-7-maximum": "5000"}))
    assert no_note.status_code == 400 and "catatan perubahan" in no_note.get_data(as_text=True).lower()
    assert _versions("penduduk_kecamatan_jenis_kelamin") == [1]

    resp = scratch_client.post(url, data=editor_post(page, note="Batas KK", **{"fields-7-maximum": "5000"}))
    assert resp.status_code == 302
    assert _versions("penduduk_kecamatan_jenis_kelamin") == [1, 2]
    newest = services.get_standard("penduduk_kecamatan_jenis_kelamin")
    assert newest.descriptor["fields"][7]["constraints"] == {"minimum": 0, "maximum": 5000}
    assert newest.note == "Batas KK" and not newest.builtin
    assert services.get_standard("penduduk_kecamatan_jenis_kelamin", 1).descriptor == PENDUDUK

    html = scratch_client.get("/standar-data/penduduk_kecamatan_jenis_kelamin").get_data(as_text=True)
    assert "Batas KK" in html and "/standar-data/penduduk_kecamatan_jenis_kelamin/v1" in html
    old = scratch_client.get("/standar-data/penduduk_kecamatan_jenis_kelamin/v1").get_data(as_text=True)
    assert "bukan versi terbaru" in old


def test_new_version_from_a_json_file(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.admin")
    url = "/standar-data/sekolah/versi-baru"
    changed = {**services.get_standard("sekolah").descriptor, "description": "Diperbarui admin."}
    resp = scratch_client.post(url, data={
        "csrf_token": csrf(scratch_client, url), "mode": "upload", "note": "Deskripsi baru",
        "file": (io.BytesIO(json.dumps(changed).encode()), "sekolah.json")})
    assert resp.status_code == 302
    assert services.get_standard("sekolah").descriptor == changed
    assert _versions("sekolah") == [1, 2]


def test_post_without_csrf_token_is_refused(scratch_client: FlaskClient, people: dict[str, Any]) -> None:
    sign_in(scratch_client, "pustaka.walidata")
    page = scratch_client.get("/standar-data/sekolah/versi-baru").get_data(as_text=True)
    data = editor_post(page, note="Tanpa token", title="Sekolah (tanpa token)")
    data.pop("csrf_token")
    assert scratch_client.post("/standar-data/sekolah/versi-baru", data=data).status_code == 400
    assert _versions("sekolah") == [1]
