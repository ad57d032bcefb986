"""The shapes of the BPS statistical metadata: the JSON export and the REST body
(``{"ms_keg": {...}, "ms_var": [...], "ms_ind": [...]}``), and reading the three HTML forms.

The serializers are built from the forms' field lists (:mod:`satudata.review.statistik.spec`),
so every key is a BPS field, described by its label and number on the form.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from satudata.review.statistik import spec


def _described(field: spec.Field, form: str) -> fields.Field:
    kind = {spec.DATE: " Tanggal YYYY-MM-DD.", spec.INTEGER: " Bilangan bulat (teks).",
            spec.MULTI: " Beberapa pilihan dipisah \"; \"."}.get(field.kind, "")
    when = ""
    if field.when:
        when = f" {spec.condition_text(field, localised=False)} null bila tidak ditanyakan (aturan lompatan formulir)."
    required = " Wajib diisi bila ditanyakan." if field.required else " Boleh kosong."
    return fields.String(allow_none=True, metadata={
        "description": f"{form} {field.numbered_label}.{kind}{when}{required} Kosong bila belum diisi."})


def _schema(name: str, description: str, members: dict[str, fields.Field]) -> type[Schema]:
    meta = type("Meta", (), {"description": description, "ordered": True})
    return type(name, (Schema,), {"Meta": meta, **members})


class ResourceRefSchema(Schema):
    """The table a variable is a column of."""

    class Meta:
        description = "Tabel (sumber data) tempat kolom ini berada."

    id = fields.String(metadata={"description": "Pengenal sumber data (lihat /api/v1/resources/{resource_id})."})
    name = fields.String(metadata={"description": "Nama sumber data."})


MsKegSchema = _schema("MsKegSchema", "MS-Keg: metadata statistik kegiatan (Peraturan BPS 5/2020).", {
    "dataset": fields.String(metadata={"description": "Slug dataset yang dijelaskan."}),
    **{f.key: _described(f, "MS-Keg") for f in spec.KEG_FIELDS},
})
MsVarSchema = _schema("MsVarSchema", "MS-Var: metadata statistik satu variabel (satu kolom satu tabel).", {
    "resource": fields.Nested(ResourceRefSchema, metadata={"description": "Tabel tempat kolom ini berada."}),
    "column": fields.String(metadata={"description": "Nama kolom di Table Schema tabel itu."}),
    **{f.key: _described(f, "MS-Var") for f in spec.VAR_FIELDS},
})
MsIndSchema = _schema("MsIndSchema", "MS-Ind: metadata statistik satu indikator.",
                      {f.key: _described(f, "MS-Ind") for f in spec.IND_FIELDS})


class MetadataStatistikSchema(Schema):
    """The whole BPS statistical metadata of a dataset."""

    class Meta:
        description = ("Metadata statistik BPS sebuah dataset: MS-Keg, MS-Var (satu entri per kolom setiap tabel) "
                       "dan MS-Ind.")
        ordered = True

    ms_keg = fields.Nested(MsKegSchema, metadata={"description": "Metadata kegiatan statistik."})
    ms_var = fields.List(fields.Nested(MsVarSchema), metadata={
        "description": "Metadata variabel: tepat satu entri per kolom setiap tabel dataset."})
    ms_ind = fields.List(fields.Nested(MsIndSchema), metadata={"description": "Metadata indikator (boleh kosong)."})


# --------------------------------------------------------------------------- the HTML forms


def load_keg_form(form: Any) -> dict[str, Any]:
    """The MS-Keg form's values by field key (several choices as a list)."""
    return {f.key: (form.getlist(f"keg-{f.key}") if f.kind == spec.MULTI else form.get(f"keg-{f.key}", ""))
            for f in spec.KEG_FIELDS}


def _rows(form: Any, prefix: str, limit: int) -> list[int]:
    """The row numbers the form carries (``<prefix>-<n>-...``), in order, at most ``limit``."""
    found: set[int] = set()
    for name in form:
        parts = name.split("-", 2)
        # isascii: "²".isdigit() is true, but int("²") raises.
        if len(parts) == 3 and parts[0] == prefix and parts[1].isascii() and parts[1].isdigit() \
                and len(parts[1]) <= 4:
            found.add(int(parts[1]))
    return sorted(found)[:limit]


def load_var_form(form: Any, limit: int = 5000) -> list[dict[str, Any]]:
    """The MS-Var form's entries: the table and column each names, and its values."""
    entries = []
    for i in _rows(form, "var", limit):
        entry: dict[str, Any] = {"resource": form.get(f"var-{i}-resource", ""),
                                 "column": form.get(f"var-{i}-column", "")}
        entry.update({f.key: form.get(f"var-{i}-{f.key}", "") for f in spec.VAR_FIELDS})
        entries.append(entry)
    return entries


def load_ind_form(form: Any, limit: int = 60) -> list[dict[str, Any]]:
    """The MS-Ind form's indicators, in order; ``hapus`` marks one to remove."""
    items = []
    for i in _rows(form, "ind", limit):
        item: dict[str, Any] = {f.key: form.get(f"ind-{i}-{f.key}", "") for f in spec.IND_FIELDS}
        item["hapus"] = bool(form.get(f"ind-{i}-hapus"))
        items.append(item)
    return items
