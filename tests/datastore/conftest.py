"""Tables with typed copies for the datastore tests: real files in the test app's storage, the
copy written by the same code the job runs."""

from __future__ import annotations

import io
from typing import Any

from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource, ValidationStatus
from satudata.datastore import services as datastore
from satudata.extensions import db as _db
from tests.factories import SYSTEM, make_dataset, publish_dataset

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "title": "Kode wilayah", "description": "Kode Kemendagri."},
        {"name": "nama_wilayah", "type": "string", "title": "Nama wilayah"},
        {"name": "tahun", "type": "year", "title": "Tahun"},
        {"name": "jumlah", "type": "integer", "groupChar": ".", "title": "Jumlah penduduk", "unit": "jiwa"},
        {"name": "persen", "type": "number", "decimalChar": ",", "title": "Persentase", "unit": "persen"},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
        {"name": "aktif", "type": "boolean", "trueValues": ["ya"], "falseValues": ["tidak"]},
    ],
    "missingValues": ["", "-"],
}
CSV = (
    "kode_wilayah,nama_wilayah,tahun,jumlah,persen,tanggal,aktif\n"
    "14.07,Rokan Hilir,2023,\"637.161\",\"7,5\",31/01/2024,ya\n"
    "14.71,Kota Pekanbaru,2023,\"1.007.540\",\"6,25\",01/12/2023,tidak\n"
    "14.07,Rokan Hilir,2024,\"650.000\",-,15/06/2024,ya\n"
    "14.73,Kota Dumai,2024,\"316.782\",\"10,1\",-,tidak\n"
    "14.10,\"Kepulauan Meranti, \"\"Selatpanjang\"\"\",2024,\"206.116\",\"25\",02/02/2024,ya\n"
)


def typed_table(data: str | bytes = CSV, *, schema: dict[str, Any] | None = None, filename: str = "penduduk.csv",
                publish: bool = True, build: bool = True, **fields: Any) -> tuple[Dataset, Resource]:
    """A dataset with one stored table marked valid (setup: these tests are about the copy, not
    validation), published through the lifecycle unless ``publish=False``, its copy written."""
    ds = make_dataset(csv=None, publish=False, **fields)
    raw = data.encode() if isinstance(data, str) else data
    res = catalog.add_resource_file(SYSTEM, ds, io.BytesIO(raw), filename=filename, name="Penduduk")
    res.table_schema = SCHEMA if schema is None else schema
    res.validation_status = ValidationStatus.VALID
    _db.session.commit()
    if publish:
        publish_dataset(ds, index=False)
    if build:
        datastore.build_copy(res)
    return ds, res
