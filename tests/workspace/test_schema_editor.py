"""The schema editor's rules, written once in ``catalog.services.set_resource_schema`` (issue
#15): a standard of the library by name, or a descriptor; an edited copy of a standard says which
one it came from; a Table Schema inferred from the file is no standard's copy. The web editor
(and the REST API) only call it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.models import Resource
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.validation import services as standards
from tests.workspace.conftest import COMPLETE, csrf_of
from tests.workspace.test_flow import GOOD, SCHEMA


@pytest.fixture()
def table(users: Any, orgs: Any, vocab: Any, queue: Any) -> Resource:
    """A draft's uploaded CSV table, committed, with no Table Schema yet."""
    produsen = users["produsen"]
    data = {**COMPLETE, "tags": ["nakes"], "year": 2025}
    dataset = catalog.create_workspace_dataset(produsen, orgs["dinkes"], data)
    res = catalog.upload_resource(produsen, dataset, io.BytesIO(GOOD.encode()), filename="nakes.csv")
    db.session.commit()
    return res


def _refused(users: Any, res: Resource, **choice: Any) -> str:
    with pytest.raises(Invalid) as caught:
        catalog.set_resource_schema(users["produsen"], res, **choice)
    assert list(caught.value.details) == ["schema"], caught.value.details
    assert caught.value.details["schema"][0] == caught.value.message
    return caught.value.message


def test_a_standard_by_name_then_edited_then_inferred(users: Any, table: Resource) -> None:
    produsen = users["produsen"]
    newest = standards.get_standard("fasilitas_kesehatan")
    catalog.set_resource_schema(produsen, table, standard="fasilitas_kesehatan")
    assert table.schema_ref == f"fasilitas_kesehatan@{newest.version}"
    assert table.table_schema == newest.descriptor and table.table_schema is not newest.descriptor
    catalog.set_resource_schema(produsen, table, standard=" fasilitas_kesehatan@1 ")
    assert table.schema_ref == "fasilitas_kesehatan@1"
    edited = {**table.table_schema, "title": "Faskes Dinkes"}
    catalog.set_resource_schema(produsen, table, descriptor=edited)
    assert table.schema_ref == "fasilitas_kesehatan@1+ubahan" and table.table_schema == edited
    catalog.set_resource_schema(produsen, table, descriptor={**edited, "title": "Faskes Dinkes Riau"})
    assert table.schema_ref == "fasilitas_kesehatan@1+ubahan"  # an edit of the edit: still that standard's copy
    catalog.set_resource_schema(produsen, table, descriptor=SCHEMA, inferred=True)
    assert table.schema_ref is None and table.table_schema == SCHEMA


def test_a_descriptor_of_a_table_without_a_standard_has_no_ref(users: Any, table: Resource) -> None:
    catalog.set_resource_schema(users["produsen"], table, descriptor=SCHEMA)
    assert table.schema_ref is None and table.table_schema == SCHEMA


@pytest.mark.parametrize("choice", [{}, {"standard": "fasilitas_kesehatan", "descriptor": SCHEMA},
                                    {"standard": None, "descriptor": None}])
def test_exactly_one_of_standard_or_descriptor(users: Any, table: Resource, choice: dict[str, Any]) -> None:
    message = _refused(users, table, **choice)
    assert "nama standar data" in message and "Table Schema lengkap" in message and "tidak keduanya" in message
    assert table.table_schema is None and table.schema_ref is None


@pytest.mark.parametrize("standard", ["", "   "])
def test_a_blank_standard_says_what_to_write(users: Any, table: Resource, standard: str) -> None:
    assert "misalnya sekolah atau sekolah@2" in _refused(users, table, standard=standard)


@pytest.mark.parametrize(("standard", "problem"), [
    ("standar_yang_tidak_ada", 'Standar data "standar_yang_tidak_ada" tidak ditemukan'),
    ("fasilitas_kesehatan@99", 'Standar data "fasilitas_kesehatan" tidak punya versi 99'),
    ("Bukan Nama!", "tidak sah"),
])
def test_an_unknown_standard_is_a_schema_error(users: Any, table: Resource, standard: str, problem: str) -> None:
    message = _refused(users, table, standard=standard)
    assert problem in message and "Pilih standar yang ada di halaman Standar Data" in message
    assert table.table_schema is None and table.schema_ref is None


def test_the_web_editor_uses_the_service(produsen: Any, table: Resource) -> None:
    ds = table.dataset
    page = f"/kelola/dataset/{ds.slug}/sumber/{table.id}/skema"
    # A table without a standard is not shown one it never chose (#14: the list defaulted to
    # the first standard of the library).
    html = produsen.get(page).get_data(as_text=True)
    assert re.search(r'<option value="" selected>', html) and ' selected>Fasilitas' not in html
    resp = produsen.post(page, data={"csrf_token": csrf_of(produsen, page), "action": "standard", "schema": ""})
    assert resp.status_code == 400 and "misalnya sekolah atau sekolah@2" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Resource, table.id).schema_ref is None
    resp = produsen.post(page, data={"csrf_token": csrf_of(produsen, page), "action": "standard",
                                     "schema": "fasilitas_kesehatan@1"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Resource, table.id).schema_ref == "fasilitas_kesehatan@1"
    assert "fasilitas_kesehatan@1 dipasang" in produsen.get(resp.headers["Location"]).get_data(as_text=True)


def test_a_file_being_validated_does_not_show_the_last_files_report(users: Any, produsen: Any, table: Resource) -> None:
    """#14: "sedang divalidasi" stood above the old file's "lolos"; its marks landed on the new
    file's preview."""
    from tests.factories import validate

    assert validate(table) == "valid"
    page = f"/kelola/dataset/{table.dataset.slug}/sumber/{table.id}"
    assert "Tabel lolos validasi" in produsen.get(page).get_data(as_text=True)
    catalog.replace_resource_file(users["produsen"], table, io.BytesIO(GOOD.replace("Kubu", "Sinaboi").encode()),
                                  filename="nakes-2.csv")
    db.session.commit()
    html = produsen.get(page).get_data(as_text=True)
    assert str(table.validation_status) == "pending"
    assert "Tabel lolos validasi" not in html and "sedang divalidasi; laporannya tampil" in html
    assert "Unduh laporan lengkap" not in html
    assert validate(table) == "valid"
    assert "Tabel lolos validasi" in produsen.get(page).get_data(as_text=True)
