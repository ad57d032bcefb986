"""The standards library service: syncing schemas/ into versions, who may save a standard,
and what a save refuses. (That every file in schemas/ is a valid Table Schema is
tests/tabular/test_standards.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, OrganizationKind
from satudata.authz import AnonymousActor
from satudata.errors import Conflict, Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.tabular import standards
from satudata.tabular.schema import UnusableInput
from satudata.validation import services
from satudata.validation.models import SchemaVersion
from tests.factories import SYSTEM

FILES = sorted(standards.SCHEMAS_DIR.glob("*.json"))
SMALL = {
    "title": "Jumlah Pos Ronda",
    "description": "Pos ronda per desa.",
    "fields": [
        {"name": "kode_desa", "type": "string", "title": "Kode desa", "constraints": {"required": True}},
        {"name": "jumlah", "type": "integer", "title": "Jumlah pos", "satuan": "unit",
         "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["kode_desa"],
}


@pytest.fixture()
def people(app: Any) -> dict[str, Any]:
    """A produsen (in an OPD), a walidata (of the province), a PPID officer and an admin."""
    prov = accounts.create_organization(SYSTEM, slug="pemprov-uji", name="Pemerintah Provinsi Uji",
                                        kind=OrganizationKind.PROVINSI, kode_wilayah="14")
    opd = accounts.create_organization(SYSTEM, slug="dinas-uji", name="Dinas Uji", kind=OrganizationKind.OPD,
                                       parent=prov)
    where = {"produsen": opd, "walidata": prov, "ppid_pelaksana": opd, "admin": prov}
    made = {role: accounts.create_user(SYSTEM, username=f"pustaka.{role}", email=f"pustaka.{role}@uji.go.id",
                                       full_name=f"Pengguna {role}", password="kata-sandi-uji-123",
                                       roles=[(role, org)])
            for role, org in where.items()}
    db.session.commit()
    return made


@pytest.fixture()
def schema_dir(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library folder of two standards that a test may change (SCHEMAS_PATH points at it)."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    for name in ("sekolah", "kemiskinan"):
        shutil.copy(standards.SCHEMAS_DIR / f"{name}.json", folder)
    monkeypatch.setitem(app.config, "SCHEMAS_PATH", str(folder))
    return folder


def _count(**where: Any) -> int:
    query = select(func.count(SchemaVersion.id))
    for key, value in where.items():
        query = query.where(getattr(SchemaVersion, key) == value)
    return int(db.session.scalar(query) or 0)


# --------------------------------------------------------------------------- sync


def test_sync_adds_every_file_once(app: Any) -> None:
    assert services.sync_builtin_schemas() == len(FILES)
    db.session.commit()
    assert services.sync_builtin_schemas() == 0
    assert _count() == _count(builtin=True, version=1) == len(FILES)
    listed = {s.name: s for s in services.list_standards()}
    assert set(listed) == {p.stem for p in FILES}
    sekolah = json.loads((standards.SCHEMAS_DIR / "sekolah.json").read_text(encoding="utf-8"))
    assert listed["sekolah"].title == sekolah["title"]
    assert listed["sekolah"].field_count == len(sekolah["fields"])
    assert listed["sekolah"].builtin and listed["sekolah"].ref == "sekolah@1"
    assert services.get_standard("sekolah").descriptor == sekolah
    audits = db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "schema.create"))
    assert audits == len(FILES)


def test_changed_file_becomes_a_new_version(app: Any, schema_dir: Path) -> None:
    assert services.sync_builtin_schemas() == 2
    path = schema_dir / "sekolah.json"
    original = json.loads(path.read_text(encoding="utf-8"))
    changed = {**original, "title": original["title"] + " (revisi)"}
    path.write_text(json.dumps(changed), encoding="utf-8")

    assert services.sync_builtin_schemas() == 1
    assert services.sync_builtin_schemas() == 0
    versions = services.list_versions("sekolah")
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].builtin and versions[0].note == services.NOTE_UPDATED
    assert versions[0].descriptor == changed and versions[0].title == changed["title"]
    assert versions[1].descriptor == original  # the old version never changes
    assert [v.version for v in services.list_versions("kemiskinan")] == [1]


def test_sync_compares_with_the_newest_builtin_and_numbers_after_walidata(app: Any, schema_dir: Path,
                                                                          people: dict[str, Any]) -> None:
    services.sync_builtin_schemas()
    edited = {**services.get_standard("sekolah").descriptor, "description": "Disesuaikan walidata."}
    services.save_standard(people["walidata"], "sekolah", edited, "Deskripsi daerah")
    assert services.sync_builtin_schemas() == 0  # the file still equals builtin version 1

    path = schema_dir / "sekolah.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "version": "1.1.0"}),
                    encoding="utf-8")
    assert services.sync_builtin_schemas() == 1
    newest = services.get_standard("sekolah")
    assert (newest.version, newest.builtin) == (3, True)


def test_reading_an_empty_library_syncs_it(app: Any, schema_dir: Path) -> None:
    assert _count() == 0
    assert {s.name for s in services.list_standards()} == {"sekolah", "kemiskinan"}
    assert _count() == 2
    assert services.get_standard("kemiskinan", 1).name == "kemiskinan"


def test_unknown_standard_or_version_is_not_found(app: Any, schema_dir: Path) -> None:
    with pytest.raises(NotFound, match='"tidak_ada" tidak ditemukan'):
        services.get_standard("tidak_ada")
    with pytest.raises(NotFound, match="tidak punya versi 7"):
        services.get_standard("sekolah", 7)
    with pytest.raises(NotFound):
        services.list_versions("tidak_ada")


# --------------------------------------------------------------------------- save


@pytest.mark.parametrize("role", ["produsen", "ppid_pelaksana", None])
def test_only_walidata_and_admins_may_save(app: Any, schema_dir: Path, people: dict[str, Any],
                                           role: str | None) -> None:
    actor = people[role] if role else AnonymousActor()
    with pytest.raises(Forbidden):
        services.save_standard(actor, "pos_ronda", SMALL, "", new=True)
    with pytest.raises(Forbidden):
        services.sync_builtin_schemas(actor)
    db.session.rollback()
    assert _count() == 0


@pytest.mark.parametrize("role", ["walidata", "admin"])
def test_walidata_and_admins_add_standards_and_versions(app: Any, schema_dir: Path, people: dict[str, Any],
                                                        role: str) -> None:
    actor = people[role]
    first = services.save_standard(actor, "pos_ronda", SMALL, "", new=True)
    db.session.commit()
    assert (first.version, first.builtin, first.created_by_id) == (1, False, actor.id)
    assert first.descriptor == {**SMALL, "name": "pos_ronda"}
    assert first.title == "Jumlah Pos Ronda" and first.description == "Pos ronda per desa."

    second_descriptor = json.loads(json.dumps(first.descriptor))
    second_descriptor["fields"][1]["constraints"]["maximum"] = 50
    second = services.save_standard(actor, "pos_ronda", second_descriptor, "  Batas atas 50 pos.  ")
    db.session.commit()
    assert (second.version, second.note) == (2, "Batas atas 50 pos.")
    assert services.get_standard("pos_ronda").id == second.id
    assert services.get_standard("pos_ronda", 1).descriptor == first.descriptor
    rows = db.session.execute(select(AuditLog.action, AuditLog.actor_id, AuditLog.summary)
                              .where(AuditLog.action.like("schema.%"), AuditLog.actor_id == actor.id)).all()
    assert sorted((r.action, r.summary["version"]) for r in rows) == [("schema.create", 1), ("schema.version", 2)]


def test_identical_version_is_refused(app: Any, schema_dir: Path, people: dict[str, Any]) -> None:
    services.sync_builtin_schemas()
    db.session.commit()
    same = services.get_standard("sekolah").descriptor
    with pytest.raises(Conflict, match="Tidak ada perubahan"):
        services.save_standard(people["walidata"], "sekolah", same, "Tidak berubah")
    db.session.rollback()
    assert _count(name="sekolah") == 1


def test_new_standard_needs_a_free_name(app: Any, schema_dir: Path, people: dict[str, Any]) -> None:
    services.sync_builtin_schemas()
    with pytest.raises(Conflict, match="Sudah ada standar"):
        services.save_standard(people["walidata"], "sekolah", SMALL, "", new=True)
    with pytest.raises(NotFound):
        services.save_standard(people["walidata"], "belum_ada", SMALL, "Versi kedua")


@pytest.mark.parametrize(("name", "descriptor", "note", "keys"), [
    ("Pos Ronda", SMALL, "", {"name"}),
    ("-pos", SMALL, "", {"name"}),
    ("baru", SMALL, "", {"name"}),
    ("pos_ronda", {**SMALL, "title": "  "}, "", {"title"}),
    ("pos_ronda", {k: v for k, v in SMALL.items() if k != "title"}, "", {"title"}),
])
def test_bad_name_or_title_is_invalid(app: Any, schema_dir: Path, people: dict[str, Any], name: str,
                                      descriptor: dict[str, Any], note: str, keys: set[str]) -> None:
    with pytest.raises(Invalid) as caught:
        services.save_standard(people["walidata"], name, descriptor, note, new=True)
    assert set(caught.value.details) == keys
    assert _count(builtin=False) == 0


def test_new_version_needs_a_note(app: Any, schema_dir: Path, people: dict[str, Any]) -> None:
    services.sync_builtin_schemas()
    changed = {**services.get_standard("sekolah").descriptor, "description": "Baru."}
    with pytest.raises(Invalid) as caught:
        services.save_standard(people["walidata"], "sekolah", changed, "  ")
    assert set(caught.value.details) == {"note"}


@pytest.mark.parametrize("broken", [
    {"title": "Tanpa kolom"},
    {"title": "Tipe salah", "fields": [{"name": "a", "type": "teks"}]},
    {"title": "Pola rusak", "fields": [{"name": "a", "type": "string", "constraints": {"pattern": "[0-9"}}]},
    {"title": "Kunci asing", "fields": [{"name": "a", "type": "string"}], "primaryKey": ["b"]},
    {"title": "Kode wilayah angka", "fields": [{"name": "kode", "type": "integer",
                                                "x-kode-wilayah": "kemendagri_2025"}]},
])
def test_invalid_table_schema_is_refused(app: Any, schema_dir: Path, people: dict[str, Any],
                                         broken: dict[str, Any]) -> None:
    with pytest.raises(UnusableInput) as caught:
        services.save_standard(people["walidata"], "rusak", broken, "", new=True)
    assert caught.value.details["schema"]
    assert _count(builtin=False) == 0


# --------------------------------------------------------------------------- references


def test_schema_refs(app: Any, schema_dir: Path) -> None:
    services.sync_builtin_schemas()
    version = services.get_standard("sekolah")
    assert services.schema_ref_of(version) == "sekolah@1"
    assert services.parse_schema_ref("sekolah@12") == ("sekolah", 12)
    assert services.parse_schema_ref(" sekolah ") == ("sekolah", None)
    assert services.descriptor_of("sekolah@1") == version.descriptor
    assert services.descriptor_of("sekolah") is not version.descriptor  # a copy, safe to change
    for bad in ("", "sekolah@", "sekolah@0", "Sekolah", "sekolah@1@2", "../x"):
        with pytest.raises(Invalid):
            services.parse_schema_ref(bad)
