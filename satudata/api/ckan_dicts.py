"""Our catalogue objects as CKAN dicts: the shapes ``package_show``, ``organization_show``,
``group_show``, ``tag_list``, ``license_list`` and ``resource_show`` return in CKAN 2.10.

Field names are CKAN's, so CKAN clients and harvesters read them unchanged. The Satu Data
metadata (rules/SATU_DATA.md) travels twice: as top-level keys (what a ckanext-scheming schema
would give) and as ``extras`` (what a plain CKAN harvester copies). Timestamps are UTC in
CKAN's format: ISO 8601 without a zone (``2025-03-01T08:15:00.123456``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from flask import current_app

from satudata.accounts.models import Organization
from satudata.catalog.models import Dataset, Licence, Resource, Tag, Topic

# The Satu Data field names a dataset dict carries, in the order of rules/SATU_DATA.md.
SATU_DATA_FIELDS: tuple[str, ...] = (
    "urusan", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "tahun", "periode",
    "frekuensi", "jadwal_rilis", "tingkat_penyajian", "kode_wilayah", "cakupan_wilayah",
    "sumber_data", "cara_pengumpulan", "jenis_data", "data_prioritas", "status_data",
    "klasifikasi_akses", "produsen_data", "walidata",
)


def site_url() -> str:
    """The portal's public root URL (``BASE_URL``) without a trailing slash: never the
    client's Host header."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def ckan_time(value: datetime | None) -> str | None:
    """A UTC timestamp the way CKAN writes it: ISO 8601 with microseconds, no zone suffix
    (``2026-12-03T08:15:00.000000``; clients parse it with ``%Y-%m-%dT%H:%M:%S.%f``)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def satu_data_fields(ds: Dataset) -> dict[str, Any]:
    """The Satu Data metadata of ``ds`` under its Indonesian names, with JSON-native values."""
    release: date | None = ds.release_date
    return {
        "urusan": ds.urusan,
        "konsep": ds.konsep,
        "definisi": ds.definisi,
        "klasifikasi": ds.klasifikasi,
        "ukuran": ds.ukuran,
        "satuan": ds.satuan,
        "tahun": ds.year,
        "periode": ds.period,
        "frekuensi": _str(ds.frequency),
        "jadwal_rilis": release.isoformat() if release else None,
        "tingkat_penyajian": _str(ds.presentation_level),
        "kode_wilayah": ds.kode_wilayah,
        "cakupan_wilayah": ds.coverage,
        "sumber_data": ds.data_source,
        "cara_pengumpulan": _str(ds.collection_method),
        "jenis_data": _str(ds.data_kind),
        "data_prioritas": bool(ds.is_priority),
        "status_data": _str(ds.data_status),
        "klasifikasi_akses": _str(ds.access_class),
        "produsen_data": ds.organization.name,
        "walidata": ds.walidata.name if ds.walidata is not None else None,
    }


def _extra_value(value: Any) -> str:
    """CKAN extras are strings: booleans as ``true``/``false``, missing values as ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def dataset_page_url(ds: Dataset) -> str:
    """The public page of ``ds`` on this portal."""
    return f"{site_url()}/dataset/{quote(ds.slug)}"


def resource_download_url(res: Resource, dataset_slug: str) -> str:
    """Where a client downloads ``res``: our download route for stored files (endpoint
    ``catalog.resource_download``), the external address for links."""
    if res.is_stored:
        return f"{site_url()}/dataset/{quote(dataset_slug)}/resource/{quote(res.id)}/download"
    return res.url or ""


def resource_dict(res: Resource, dataset_slug: str) -> dict[str, Any]:
    """A resource as CKAN's ``resource_show`` returns it."""
    return {
        "id": res.id,
        "package_id": res.dataset_id,
        "name": res.name,
        "description": res.description or "",
        "format": res.format or "",
        "mimetype": res.media_type,
        "mimetype_inner": None,
        "size": res.size,
        "url": resource_download_url(res, dataset_slug),
        "url_type": "upload" if res.is_stored else None,
        "hash": f"sha256:{res.sha256}" if res.sha256 else "",
        "created": ckan_time(res.created_at),
        "last_modified": ckan_time(res.updated_at),
        "metadata_modified": ckan_time(res.updated_at),
        "position": res.position,
        "state": "active",
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        # Every validated stored table is queryable with datastore_search (satudata/datastore).
        "datastore_active": res.is_queryable,
        # Ours, beside CKAN's: what the table holds and whether it met its standard.
        "row_count": res.row_count,
        "validation_status": str(res.validation_status),
    }


def organization_dict(
    org: Organization, *, package_count: int | None = None, full: bool = False
) -> dict[str, Any]:
    """An organisation as CKAN's organisation dicts: the short form embedded in a dataset,
    or with ``package_count`` (``organization_list``), or ``full`` (``organization_show``)."""
    out: dict[str, Any] = {
        "id": org.uuid,
        "name": org.slug,
        "title": org.name,
        "type": "organization",
        "description": org.description or "",
        "image_url": "",
        "created": ckan_time(org.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None or full:
        out.update({
            "display_name": org.name,
            "image_display_url": "",
            "package_count": package_count or 0,
            "num_followers": 0,
        })
    if full:
        extras = {
            "acronym": org.acronym, "kind": _str(org.kind), "kode_wilayah": org.kode_wilayah,
            "region_name": org.region_name, "is_walidata": bool(org.is_walidata),
            "email": org.email, "phone": org.phone, "website": org.website, "address": org.address,
            "parent": org.parent.slug if org.parent is not None else None,
        }
        out.update({
            "extras": [{"key": k, "value": _extra_value(v)} for k, v in extras.items()],
            "users": [],
            "groups": [],
            "tags": [],
            **{k: v for k, v in extras.items() if k not in out},
        })
    return out


def group_dict(topic: Topic, *, package_count: int | None = None, full: bool = False) -> dict[str, Any]:
    """A topic as a CKAN group: the short form embedded in a dataset, or the list/show form."""
    out: dict[str, Any] = {
        "id": topic.uuid,
        "name": topic.slug,
        "title": topic.name,
        "display_name": topic.name,
        "description": topic.description or "",
        "image_display_url": "",
    }
    if package_count is not None or full:
        out.update({
            "type": "group",
            "is_organization": False,
            "approval_status": "approved",
            "state": "active",
            "image_url": "",
            "created": ckan_time(topic.created_at),
            "package_count": package_count or 0,
            "num_followers": 0,
            "title_en": topic.name_en,
        })
    if full:
        out.update({"extras": [], "users": [], "groups": [], "tags": []})
    return out


def tag_dict(tag: Tag) -> dict[str, Any]:
    """A free tag as CKAN writes it (we have no tag vocabularies)."""
    return {"id": str(tag.id), "name": tag.name, "display_name": tag.label, "state": "active",
            "vocabulary_id": None}


def licence_dict(lic: Licence) -> dict[str, Any]:
    """A licence as CKAN's ``license_list`` returns it."""
    return {
        "id": lic.id,
        "title": lic.title,
        "url": lic.url or "",
        "status": "active",
        "maintainer": "",
        "family": "",
        "domain_content": False,
        "domain_data": False,
        "domain_software": False,
        "is_generic": False,
        "od_conformance": lic.od_conformance,
        "osd_conformance": lic.osd_conformance,
        "is_okd_compliant": lic.od_conformance == "approved",
        "is_osi_compliant": lic.osd_conformance == "approved",
    }


def package_dict(ds: Dataset) -> dict[str, Any]:
    """A public dataset as CKAN's ``package_show`` returns it.

    ``author`` is the producing OPD (produsen data) and ``maintainer`` the contact person;
    ``url`` is the source page of a harvested dataset, else our own page.
    """
    org = ds.organization
    lic = ds.licence
    satu = satu_data_fields(ds)
    resources = [resource_dict(r, ds.slug) for r in ds.resources]
    return {
        "id": ds.id,
        "name": ds.slug,
        "title": ds.title,
        "notes": ds.description or "",
        "url": ds.remote_url or dataset_page_url(ds),
        "version": None,
        "author": org.name,
        "author_email": org.email,
        "maintainer": ds.contact_name or org.name,
        "maintainer_email": ds.contact_email or org.email,
        "license_id": ds.licence_id,
        "license_title": lic.title if lic is not None else None,
        "license_url": (lic.url or "") if lic is not None else None,
        "isopen": bool(lic.is_open) if lic is not None else False,
        "state": "active",
        "private": False,
        "type": "dataset",
        "creator_user_id": None,
        "metadata_created": ckan_time(ds.created_at),
        "metadata_modified": ckan_time(ds.updated_at),
        "num_resources": len(resources),
        "num_tags": len(ds.tags),
        "owner_org": org.uuid,
        "organization": organization_dict(org),
        "groups": [group_dict(t) for t in ds.topics],
        "tags": [tag_dict(t) for t in ds.tags],
        "resources": resources,
        "extras": [{"key": k, "value": _extra_value(v)} for k, v in satu.items()],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        **satu,
    }
