"""The ``listing`` harvester: a plain list of datasets an OPD's own system publishes, as JSON (an
array of objects, or an object holding one under ``data``/``result``/``results``/``items``) or as a
CSV (a spreadsheet's "download as CSV" link works). One row or object is one dataset; the source's
config says which column holds what.

It is also the example of how small a plug-in for an OPD's system can be (``harvesters/README.md``):
a config schema, ``gather`` (read the list once, yield each row), ``fetch`` (the row itself) and
``map`` (the row's columns onto our fields).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, fields, validate

from harvesters.base import Gathered, HarvestContext, HarvestError, RemoteDataset, RemoteResource

LIST_KEYS = ("data", "result", "results", "items", "datasets")
MAX_ROWS = 100_000


class ListingConfig(Schema):
    """Which column of the list holds what (``id`` and ``title`` are required of every row)."""

    class Meta:
        unknown = EXCLUDE

    format = fields.String(load_default="auto", validate=validate.OneOf(("auto", "json", "csv")))
    id_field = fields.String(load_default="id")
    title_field = fields.String(load_default="judul")
    description_field = fields.String(load_default="deskripsi")
    url_field = fields.String(load_default="url", metadata={"description": "Kolom alamat berkas datanya."})
    format_field = fields.String(load_default="format")
    tags_field = fields.String(load_default="tag", metadata={"description": "Tag dipisah koma."})
    modified_field = fields.String(load_default="diperbarui")
    organization_field = fields.String(load_default="opd")
    default_tags = fields.List(fields.String(), load_default=list)


class ListingHarvester:
    """See the module docstring."""

    name: ClassVar[str] = "listing"
    title: ClassVar[str] = "Daftar JSON/CSV"
    config_schema: ClassVar[type[Schema]] = ListingConfig

    def _rows(self, ctx: HarvestContext) -> list[dict[str, Any]]:
        fetched = ctx.http.get(ctx.url, accept="application/json, text/csv;q=0.9, */*;q=0.5")
        kind = ctx.config.get("format") or "auto"
        text = fetched.text().lstrip("\ufeff")
        if kind == "auto":
            content_type = fetched.headers.get("content-type", "")
            kind = "json" if "json" in content_type or text.lstrip()[:1] in ("[", "{") else "csv"
        if kind == "json":
            import json

            try:
                data = json.loads(text)
            except ValueError as exc:
                raise HarvestError(f"Daftar di {ctx.url} bukan JSON yang sah ({exc}). Periksa alamatnya, atau pilih "
                                   "format CSV.") from exc
            if isinstance(data, dict):
                data = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), None)
            if not isinstance(data, list):
                raise HarvestError(f"JSON di {ctx.url} bukan daftar dataset: harus larik objek, atau objek dengan "
                                   f"larik di salah satu kunci {', '.join(LIST_KEYS)}.")
            rows = [r for r in data if isinstance(r, dict)]
        else:
            sample = text[:4096]
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        if len(rows) > MAX_ROWS:
            raise HarvestError(f"Daftar di {ctx.url} berisi {len(rows)} baris; paling banyak {MAX_ROWS}. Pecah "
                               "daftarnya menjadi beberapa sumber.")
        return rows

    def gather(self, ctx: HarvestContext) -> Iterator[Gathered]:
        id_field = ctx.config.get("id_field") or "id"
        for row in self._rows(ctx):
            # A row without an id, or repeating one, is yielded all the same: the runner reports it
            # on the job (an OPD's list with a mistake in it should hear about it, not lose a row).
            remote_id = str(row.get(id_field) or "").strip()
            modified = row.get(ctx.config.get("modified_field") or "")
            yield Gathered(remote_id=remote_id, modified=str(modified) if modified else None, record=row)

    def fetch(self, ctx: HarvestContext, item: Gathered) -> dict[str, Any]:
        if item.record is None:
            raise HarvestError("Baris daftar tidak terbawa.", remote_id=item.remote_id)
        return item.record

    def map(self, ctx: HarvestContext, raw: dict[str, Any]) -> RemoteDataset:
        c = ctx.config

        def value(key: str) -> str:
            got = raw.get(c.get(key) or "")
            return str(got).strip() if got not in (None, "") else ""

        remote_id, title = value("id_field"), value("title_field")
        if not remote_id or not title:
            raise HarvestError(f"Baris tanpa {c.get('id_field')} atau {c.get('title_field')}: isi kedua kolom itu.",
                               remote_id=remote_id or None)
        url = value("url_field")
        tags = [t.strip() for t in value("tags_field").split(",") if t.strip()]
        tags += [t for t in c.get("default_tags") or [] if t not in tags]
        used = {c.get(k) for k in ("id_field", "title_field", "description_field", "url_field", "format_field",
                                   "tags_field", "modified_field", "organization_field")}
        organization = value("organization_field")
        return RemoteDataset(
            remote_id=remote_id,
            name=remote_id,
            title=title,
            description=value("description_field"),
            remote_url=url or None,
            organization={"name": organization, "title": organization} if organization else None,
            tags=tags,
            modified=value("modified_field") or None,
            resources=[RemoteResource(remote_id=None, name=title, url=url,
                                      format=value("format_field").upper() or None)] if url else [],
            extras={str(k): str(v) for k, v in raw.items() if k not in used and v not in (None, "")},
        )
