"""The ``ckan`` harvester plug-in against a CKAN-shaped Action API served on 127.0.0.1: paging
through ``package_search`` without holding the list, incremental ``fq``, the ``package_list`` +
``package_show`` fallback, duplicated ids, sources that answer nonsense, and the mapping of real
CKAN records (ckanext-dcat's examples in tests/data/ckan)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from harvesters import base
from harvesters.base import HarvestContext, HarvestError
from harvesters.ckan import CkanConfig, CkanHarvester
from harvesters.http import GuardedSession

pytestmark = pytest.mark.nodb

DATA = Path(__file__).resolve().parent.parent / "data" / "ckan"


def package(n: int) -> dict[str, Any]:
    return {"id": f"id-{n:04d}", "name": f"dataset-{n:04d}", "title": f"Dataset {n}", "notes": "",
            "metadata_modified": f"2026-01-{1 + n % 28:02d}T00:00:{n % 60:02d}.000000",
            "organization": {"name": "dinkes", "title": "Dinas Kesehatan"}, "tags": [{"name": "kesehatan"}],
            "resources": [{"id": f"r-{n}", "name": "tabel.csv", "url": f"https://contoh.go.id/{n}.csv",
                           "format": "csv", "size": "120"}]}


class FakeCkan:
    """A CKAN Action API in a thread; ``mode`` changes how it behaves."""

    def __init__(self, packages: list[dict[str, Any]]) -> None:
        self.packages = packages
        self.mode = "ok"
        self.calls: list[tuple[str, dict[str, list[str]]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                action = parts.path.rsplit("/", 1)[-1]
                params = parse_qs(parts.query)
                fake.calls.append((action, params))
                status, body, kind = fake.answer(action, params)
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, action: str, params: dict[str, list[str]]) -> tuple[int, Any, str]:
        ok = "application/json"
        if self.mode == "html":
            return 200, "<html><body>Maintenance</body></html>", "text/html"
        if action == "package_search":
            if self.mode == "no_search":
                return 404, {"success": False, "error": {"message": "Not found"}}, ok
            rows, start = int(params["rows"][0]), int(params["start"][0])
            found = sorted(self.packages, key=lambda p: p.get("metadata_modified", ""), reverse=True)
            fq = params.get("fq", [""])[0]
            if "metadata_modified:[" in fq:
                since = fq.split("metadata_modified:[", 1)[1].split(" TO", 1)[0]
                found = [p for p in found if p.get("metadata_modified", "") + "Z" >= since]
            if self.mode == "duplicate" and start > 0:
                start -= 1  # a record modified while we read moved to the front: the rest shift by one
            page = found[start:start + rows]
            return 200, {"success": True, "result": {"count": len(found), "results": page}}, ok
        if action == "package_list":
            return 200, {"success": True, "result": [p["name"] for p in self.packages]}, ok
        if action == "package_show":
            name = params["id"][0]
            for p in self.packages:
                if name in (p.get("name"), p.get("id")):
                    return 200, {"success": True, "result": p}, ok
            return 404, {"success": False, "error": {"__type": "Not Found Error", "message": "Not found"}}, ok
        return 400, "Bad request - Action name not known", ok

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def source() -> Iterator[FakeCkan]:
    fake = FakeCkan([package(n) for n in range(250)])
    yield fake
    fake.close()


def ctx_for(url: str, **config: Any) -> HarvestContext:
    return HarvestContext(url=url, config=CkanConfig().load(config), http=GuardedSession(allow_private=True, backoff=0))


def test_the_plugin_is_registered_under_its_type() -> None:
    found = base.discover()
    assert found.get("ckan") is CkanHarvester
    assert isinstance(CkanHarvester(), base.Harvester)


def test_gather_pages_through_package_search_as_a_stream(source: FakeCkan) -> None:
    ctx = ctx_for(source.url, page_size=100)
    items = CkanHarvester().gather(ctx)
    first = next(items)
    assert first.record is not None and len(source.calls) == 1  # one page read, not the whole list
    rest = list(items)
    assert len(rest) + 1 == 250 and len({i.remote_id for i in [first, *rest]}) == 250
    searches = [p for a, p in source.calls if a == "package_search"]
    assert [p["start"][0] for p in searches] == ["0", "100", "200"]
    assert all(p["sort"][0] == "metadata_modified desc" for p in searches)


def test_incremental_and_filtered_runs_ask_with_fq(source: FakeCkan) -> None:
    since = datetime(2026, 1, 27, tzinfo=UTC)
    ctx = ctx_for(source.url, organizations=["dinkes"], tags=['data "prioritas"'])
    ctx.since = since
    items = list(CkanHarvester().gather(ctx))
    fq = source.calls[0][1]["fq"][0]
    assert 'organization:("dinkes")' in fq and 'tags:("data \\"prioritas\\"")' in fq
    assert "metadata_modified:[2026-01-27T00:00:00.000000Z TO *]" in fq
    assert items and all(i.modified and i.modified >= "2026-01-27" for i in items)


def test_a_record_seen_twice_is_gathered_once(source: FakeCkan) -> None:
    source.mode = "duplicate"
    items = list(CkanHarvester().gather(ctx_for(source.url)))
    assert len(items) == 250 and len({i.remote_id for i in items}) == 250


def test_without_package_search_it_lists_and_shows(source: FakeCkan) -> None:
    source.mode = "no_search"
    harvester = CkanHarvester()
    ctx = ctx_for(source.url)
    items = list(harvester.gather(ctx))
    assert len(items) == 250 and items[0].record is None
    record = harvester.fetch(ctx, items[3])
    assert record["name"] == "dataset-0003"
    with pytest.raises(HarvestError) as gone:
        harvester.fetch(ctx, base.Gathered(remote_id="tidak-ada"))
    assert gone.value.remote_id == "tidak-ada"


def test_html_instead_of_json_is_a_readable_error(source: FakeCkan) -> None:
    source.mode = "html"
    with pytest.raises(Exception) as refused:
        list(CkanHarvester().gather(ctx_for(source.url)))
    message = getattr(refused.value, "message", str(refused.value))
    assert "HTML" in message


@pytest.mark.parametrize("reference", ["full_ckan_dataset_legacy.json", "ckan_dataset.json",
                                       "ckan_full_dataset_dcat_ap.json"])
def test_real_ckan_records_map_without_loss(reference: str) -> None:
    raw = json.loads((DATA / reference).read_text(encoding="utf-8"))
    ctx = ctx_for("https://data.contoh.go.id/", default_tags=["dipanen"])
    mapped = CkanHarvester().map(ctx, raw)
    assert mapped.title == raw["title"] and mapped.description == (raw.get("notes") or "")
    assert set(mapped.tags) >= {t["name"] for t in raw.get("tags", [])} and "dipanen" in mapped.tags
    assert len(mapped.resources) == len([r for r in raw.get("resources", []) if r.get("url")])
    for ours, theirs in zip(mapped.resources, [r for r in raw.get("resources", []) if r.get("url")], strict=True):
        assert ours.url == theirs["url"] and (ours.format or "") == (theirs.get("format") or "").upper()
    for item in raw.get("extras") or []:
        assert mapped.extras[item["key"]] == item["value"]
    if raw.get("name"):
        assert mapped.remote_url == "https://data.contoh.go.id/dataset/" + raw["name"]
    if raw.get("license_id"):
        assert mapped.licence is not None and mapped.licence["id"] == raw["license_id"]
    if raw.get("maintainer") or raw.get("author"):
        assert mapped.contact is not None
    if reference == "ckan_full_dataset_dcat_ap.json":
        assert mapped.frequency == raw["frequency"] and mapped.modified == raw["modified"]
        assert json.loads(mapped.extras["publisher"]) == raw["publisher"]  # scheming fields kept as text
        assert mapped.contact == {"name": raw["contact"][0]["name"], "email": raw["contact"][0]["email"]}
    assert json.loads(json.dumps(mapped.as_dict()))  # plain values only


def test_content_hash_ignores_key_order() -> None:
    assert base.content_hash({"a": 1, "b": [1, 2]}) == base.content_hash({"b": [1, 2], "a": 1})
    assert base.content_hash({"a": 1}) != base.content_hash({"a": 2})


def test_config_is_checked_by_its_schema() -> None:
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as bad:
        CkanConfig().load({"page_size": 5000, "organizations": "dinkes"})
    assert set(bad.value.messages) == {"page_size", "organizations"}


def test_a_deletion_while_paging_makes_the_listing_incomplete(source: FakeCkan) -> None:
    """A dataset deleted between two pages shifts the later ones forward; the gather says so
    rather than pass for a whole listing (the runner would withdraw the record it skipped)."""
    plugin = CkanHarvester()
    ctx = ctx_for(source.url, page_size=100)
    got: list[str] = []
    with pytest.raises(HarvestError, match="berkurang selama panen"):
        for item in plugin.gather(ctx):
            got.append(item.remote_id)
            if len(got) == 100:
                source.packages.pop(0)  # deleted at the source while we read
    assert len(got) >= 148
