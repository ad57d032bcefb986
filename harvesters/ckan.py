"""The ``ckan`` harvester: another catalogue's CKAN Action API 3 (a regional portal, the national
one, an OPD's CKAN).

**Gather** pages through ``package_search`` (``rows``/``start``, sorted by
``metadata_modified desc``: a record modified while we page moves to the front, behind the
cursor, so later pages shift by one and repeat a record instead of skipping one; ascending, a
modified record would jump to the end and the one after the page boundary would be missed), with
``fq`` built from the config's organisation, group and tag filters and, on an incremental run,
``metadata_modified:[<last run> TO *]``. Each page's records are yielded as they come (the whole
record rides along, so *fetch* costs nothing); nothing holds the full list. A source whose
``package_search`` is missing or broken (CKAN 2.0-era sites, proxies that block it) is read with
``package_list`` and one ``package_show`` per dataset instead. An id seen twice in one run (the shift above) is yielded
once. A source configured ``incremental`` gets the ``since`` filter after its first full run, and
:meth:`CkanHarvester.list_ids` (``fl=id,name``) tells the runner what was deleted meanwhile.

**Map** turns a CKAN package dict into a :class:`RemoteDataset`: name, title, notes, the source
page (``<url>/dataset/<name>``), organisation, groups (topics), tags, licence, created/modified,
contact (maintainer, else author), resources, and the extras (``[{key, value}]`` of classic CKAN
and the top-level custom fields of ckanext-scheming and ckanext-dcat) kept as text. A record
that is not a CKAN dataset is a :class:`HarvestError` naming it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, fields, validate

from harvesters.base import Gathered, HarvestContext, HarvestError, RemoteDataset, RemoteResource
from harvesters.http import FetchError

# CKAN package keys we map or that are bookkeeping; any other top-level scalar is an extra.
_KNOWN = frozenset({
    "id", "name", "title", "notes", "url", "version", "author", "author_email", "maintainer", "maintainer_email",
    "license_id", "license_title", "license_url", "organization", "owner_org", "groups", "tags", "resources",
    "extras", "metadata_created", "metadata_modified", "state", "private", "type", "num_resources", "num_tags",
    "isopen", "revision_id", "revision_timestamp", "tracking_summary", "relationships_as_object",
    "relationships_as_subject", "creator_user_id",
})


class CkanConfig(Schema):
    """What a walidata may set on a CKAN source."""

    class Meta:
        unknown = EXCLUDE

    organizations = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                                metadata={"description": "Hanya dataset organisasi (slug di sumber) ini."})
    groups = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                         metadata={"description": "Hanya dataset grup (slug di sumber) ini."})
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                       metadata={"description": "Hanya dataset bertag ini."})
    organization_map = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                                   metadata={"description": "Organisasi di sumber → organisasi di portal ini."})
    default_topics = fields.List(fields.String(), load_default=list)
    default_tags = fields.List(fields.String(), load_default=list)
    page_size = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    incremental = fields.Boolean(load_default=False, metadata={
        "description": "Hanya dataset yang berubah sejak panen terakhir yang diambil (untuk katalog besar); "
                       "dataset yang hilang di sumber tetap diketahui lewat daftar id."})


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _solr_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class CkanHarvester:
    """See the module docstring."""

    name: ClassVar[str] = "ckan"
    title: ClassVar[str] = "CKAN Action API"
    config_schema: ClassVar[type[Schema]] = CkanConfig

    # ------------------------------------------------------------------ gather

    def _action(self, ctx: HarvestContext, action: str) -> str:
        return ctx.url.rstrip("/") + "/api/3/action/" + action

    def _result(self, ctx: HarvestContext, action: str, params: dict[str, Any]) -> Any:
        data = ctx.http.get_json(self._action(ctx, action), params=params)
        if not isinstance(data, dict) or "result" not in data or data.get("success") is False:
            error = data.get("error") if isinstance(data, dict) else None
            detail = f" (kesalahan dari sumber: {json.dumps(error, ensure_ascii=False)[:200]})" if error else ""
            raise HarvestError(f"Jawaban {action} dari {ctx.url} bukan jawaban CKAN API yang sah{detail}. Periksa "
                               "alamat sumber: harus alamat dasar portal CKAN, misalnya https://data.contoh.go.id.")
        return data["result"]

    def _fq(self, ctx: HarvestContext) -> str:
        parts = []
        for key, solr in (("organizations", "organization"), ("groups", "groups"), ("tags", "tags")):
            values = ctx.config.get(key) or []
            if values:
                parts.append(f"{solr}:(" + " OR ".join(_quote(v) for v in values) + ")")
        if ctx.since is not None:
            parts.append(f"metadata_modified:[{_solr_time(ctx.since)} TO *]")
        return " AND ".join(parts)

    def gather(self, ctx: HarvestContext) -> Iterator[Gathered]:
        rows = int(ctx.config.get("page_size") or ctx.page_size)
        fq = self._fq(ctx)
        seen: set[str] = set()
        start = 0
        first_count: int | None = None
        while True:
            params: dict[str, Any] = {"q": "*:*", "rows": rows, "start": start, "sort": "metadata_modified desc"}
            if fq:
                params["fq"] = fq
            try:
                result = self._result(ctx, "package_search", params)
            except (FetchError, HarvestError) as exc:
                if start == 0 and (not isinstance(exc, FetchError) or exc.status in (400, 403, 404, 405, 409, 500)):
                    yield from self._gather_by_list(ctx, seen)
                    return
                raise
            if not isinstance(result, dict) or not isinstance(result.get("results"), list):
                raise HarvestError(f"package_search dari {ctx.url} tidak berisi daftar dataset (results).")
            page = result["results"]
            for pkg in page:
                if not isinstance(pkg, dict):
                    continue
                if not (pkg.get("id") or pkg.get("name")):
                    # Not skipped in silence: the runner reports a record without an id on the job.
                    yield Gathered(remote_id="", record=pkg)
                    continue
                remote_id = str(pkg.get("id") or pkg.get("name"))
                if remote_id in seen:
                    continue
                seen.add(remote_id)
                yield Gathered(remote_id=remote_id, modified=pkg.get("metadata_modified"), record=pkg)
            count = result.get("count")
            if first_count is None and isinstance(count, int):
                first_count = count
            start += len(page)
            if not page or (isinstance(count, int) and start >= count):
                if isinstance(count, int) and first_count is not None and count < first_count:
                    # A dataset deleted while we paged shifted the later pages forward: one record
                    # may have been skipped, so this listing is not whole (nothing is withdrawn).
                    raise HarvestError(f"Jumlah dataset di sumber berkurang selama panen ({first_count} → {count}); "
                                       "daftar ini mungkin tidak lengkap, jadi penarikan ditunda ke panen berikutnya.")
                return

    def list_ids(self, ctx: HarvestContext) -> Iterator[str]:
        """Every remote id the source lists now (with the config's filters, whatever ``since``),
        light: ``package_search`` asked for ``fl=id,name`` in pages of 1000 (a CKAN that ignores
        ``fl`` sends whole records: slower, still right). An incremental run withdraws by it."""
        fq = self._fq(replace(ctx, since=None))
        start = 0
        while True:
            params: dict[str, Any] = {"q": "*:*", "rows": 1000, "start": start, "sort": "name asc", "fl": "id,name"}
            if fq:
                params["fq"] = fq
            result = self._result(ctx, "package_search", params)
            if not isinstance(result, dict) or not isinstance(result.get("results"), list):
                raise HarvestError(f"package_search dari {ctx.url} tidak berisi daftar dataset (results).")
            page = result["results"]
            for pkg in page:
                if isinstance(pkg, dict) and (pkg.get("id") or pkg.get("name")):
                    yield str(pkg.get("id") or pkg.get("name"))
            count = result.get("count")
            start += len(page)
            if not page or (isinstance(count, int) and start >= count):
                return

    def _gather_by_list(self, ctx: HarvestContext, seen: set[str]) -> Iterator[Gathered]:
        names = self._result(ctx, "package_list", {})
        if not isinstance(names, list):
            raise HarvestError(f"package_list dari {ctx.url} bukan daftar nama dataset.")
        for name in names:
            if isinstance(name, str) and name and name not in seen:
                seen.add(name)
                yield Gathered(remote_id=name)

    # ------------------------------------------------------------------ fetch

    def fetch(self, ctx: HarvestContext, item: Gathered) -> dict[str, Any]:
        if item.record is not None:
            return item.record
        try:
            record = self._result(ctx, "package_show", {"id": item.remote_id})
        except FetchError as exc:
            raise HarvestError(exc.message, remote_id=item.remote_id) from exc
        except HarvestError as exc:
            raise HarvestError(exc.message, remote_id=item.remote_id) from exc
        if not isinstance(record, dict):
            raise HarvestError(f"package_show '{item.remote_id}' bukan dataset CKAN.", remote_id=item.remote_id)
        return record

    # ------------------------------------------------------------------ map

    def map(self, ctx: HarvestContext, raw: dict[str, Any]) -> RemoteDataset:
        remote_id = str(raw.get("id") or raw.get("name") or "")
        name = str(raw.get("name") or raw.get("id") or "")
        if not remote_id or not (raw.get("title") or name):
            raise HarvestError("Rekaman tanpa id, nama atau judul bukan dataset CKAN.", remote_id=remote_id or None)
        org = raw.get("organization") if isinstance(raw.get("organization"), dict) else None
        extras = _extras(raw)
        contact = _contact(raw)
        resources = [_resource(r) for r in raw.get("resources") or [] if isinstance(r, dict) and r.get("url")]
        topics = [{"name": str(g.get("name")), "title": str(g.get("title") or g.get("display_name") or g.get("name"))}
                  for g in raw.get("groups") or [] if isinstance(g, dict) and g.get("name")]
        topics += [{"name": t, "title": t} for t in ctx.config.get("default_topics") or []
                   if t not in {x["name"] for x in topics}]
        # The display name is the tag as people wrote it ("kabupaten/kota"); the name its URL form.
        tags = [str(t.get("display_name") or t.get("name")) if isinstance(t, dict) else str(t)
                for t in raw.get("tags") or []]
        tags += [t for t in ctx.config.get("default_tags") or [] if t not in tags]
        licence = None
        if raw.get("license_id") or raw.get("license_title"):
            licence = {"id": raw.get("license_id"), "title": raw.get("license_title"), "url": raw.get("license_url")}
        return RemoteDataset(
            remote_id=remote_id,
            name=name,
            title=str(raw.get("title") or name),
            description=str(raw.get("notes") or raw.get("description") or ""),
            remote_url=ctx.url.rstrip("/") + "/dataset/" + name if raw.get("name") else (raw.get("url") or None),
            organization={"name": str(org.get("name")), "title": str(org.get("title") or org.get("name"))}
            if org and org.get("name") else None,
            topics=topics,
            tags=[t for t in tags if t and t != "None"],
            licence=licence,
            created=_text(raw.get("metadata_created") or raw.get("issued") or extras.get("dcat_issued")),
            modified=_text(raw.get("metadata_modified") or raw.get("modified") or extras.get("dcat_modified")),
            frequency=_text(raw.get("frequency") or extras.get("frequency")),
            coverage=_text(raw.get("spatial_coverage") or extras.get("spatial_text") or extras.get("spatial")),
            contact=contact,
            resources=resources,
            extras=extras,
        )


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _extras(raw: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in raw.get("extras") or []:
        if isinstance(item, dict) and item.get("key"):
            out[str(item["key"])] = _text(item.get("value")) or ""
    for key, value in raw.items():
        if key not in _KNOWN and value not in (None, "", [], {}):
            out.setdefault(key, _text(value) or "")
    return out


def _contact(raw: dict[str, Any]) -> dict[str, str] | None:
    for name_key, mail_key in (("maintainer", "maintainer_email"), ("author", "author_email")):
        if raw.get(name_key) or raw.get(mail_key):
            return {"name": str(raw.get(name_key) or ""), "email": str(raw.get(mail_key) or "")}
    contacts = raw.get("contact")
    if isinstance(contacts, list) and contacts and isinstance(contacts[0], dict):
        first = contacts[0]
        return {"name": str(first.get("name") or ""), "email": str(first.get("email") or "")}
    return None


def _resource(r: dict[str, Any]) -> RemoteResource:
    size = r.get("size")
    try:
        size_value = int(size) if size not in (None, "") else None
    except (TypeError, ValueError):
        size_value = None
    return RemoteResource(
        remote_id=str(r["id"]) if r.get("id") else None,
        name=str(r.get("name") or r.get("url", "").rsplit("/", 1)[-1] or "Sumber data"),
        url=str(r["url"]),
        description=str(r.get("description") or ""),
        format=str(r.get("format")).upper() if r.get("format") else None,
        media_type=r.get("mimetype") or None,
        size=size_value,
        modified=_text(r.get("last_modified") or r.get("metadata_modified") or r.get("modified")),
    )
