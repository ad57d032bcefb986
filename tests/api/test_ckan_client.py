"""The real ``ckanapi`` client, as a library and as the command line, against the portal
served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckanapi
import pytest
import requests
from flask import Flask

from satudata.catalog.models import Dataset
from tests.conftest import serve_live
from tests.factories import make_dataset, make_licence, make_org, make_topic

CKANAPI = Path(sys.executable).parent / "ckanapi"
# The bulk commands start their workers as ``ckanapi`` from PATH.
CLI_ENV = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    assert CKANAPI.exists(), f"ckanapi is not installed next to {sys.executable}"
    return subprocess.run([str(CKANAPI), *args], capture_output=True, text=True, timeout=120, check=False, env=CLI_ENV)


def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port in a thread; yield its URL; stop it afterwards."""
    for url in serve_live(app, "ckan-live-server"):
        _SERVED[url] = app
        try:
            yield url
        finally:
            _SERVED.pop(url, None)


_SERVED: dict[str, Flask] = {}


def remote_app_endpoints(url: str) -> set[str]:
    """The endpoints of the app served at ``url`` (routes other helpers may not have built yet)."""
    return set(_SERVED[url].view_functions)


@pytest.fixture()
def datasets(app: Flask) -> list[Dataset]:
    org = make_org(slug="disdukcapil-dumai", name="Disdukcapil Kota Dumai")
    other = make_org(slug="dinkes-pelalawan", name="Dinas Kesehatan Kabupaten Pelalawan")
    topic = make_topic()
    make_licence()
    return [
        make_dataset(org, title="Jumlah Penduduk Kota Dumai", slug="penduduk-dumai", topics=[topic],
                     tags=["penduduk"], licence_id="cc-by-4.0", kode_wilayah="14.72"),
        make_dataset(org, title="Kepadatan Penduduk per Kecamatan", slug="kepadatan-penduduk-dumai",
                     tags=["penduduk", "kepadatan"], topics=[topic]),
        make_dataset(other, title="Puskesmas Kabupaten Pelalawan", slug="puskesmas-pelalawan", tags=["kesehatan"],
                     topics=[make_topic("kesehatan", "Kesehatan")]),
        make_dataset(other, title="Draf Penduduk", slug="draf-penduduk", publish=False, topics=[topic]),
    ]


@pytest.fixture()
def live_url(app: Flask, datasets: list[Dataset]) -> Iterator[str]:
    yield from serve(app)


def ckanapi_cli(*args: str) -> Any:
    """Run the ``ckanapi`` command; return the JSON it prints."""
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return json.loads(proc.stdout)


def test_ckanapi_library(live_url: str) -> None:
    with ckanapi.RemoteCKAN(live_url, user_agent="satudata-tests") as remote:
        found = remote.action.package_search(q="penduduk", sort="name asc")
        assert found["count"] == 2
        assert [d["name"] for d in found["results"]] == ["kepadatan-penduduk-dumai", "penduduk-dumai"]

        pkg = remote.action.package_show(id="penduduk-dumai")
        assert pkg["organization"]["name"] == "disdukcapil-dumai"
        assert pkg["kode_wilayah"] == "14.72"
        res = pkg["resources"][0]
        assert res["url"].startswith(live_url + "/dataset/penduduk-dumai/resource/")
        assert remote.action.resource_show(id=res["id"])["hash"] == res["hash"]
        if "catalog.resource_download" in remote_app_endpoints(live_url):
            with requests.get(res["url"], timeout=30) as download:
                assert download.status_code == 200
                assert "sha256:" + hashlib.sha256(download.content).hexdigest() == res["hash"]

        assert remote.action.organization_list() == ["dinkes-pelalawan", "disdukcapil-dumai"]
        orgs = remote.action.organization_list(all_fields=True)
        assert {o["name"]: o["package_count"] for o in orgs} == {"dinkes-pelalawan": 1, "disdukcapil-dumai": 2}
        assert remote.action.organization_show(id="dinkes-pelalawan", include_datasets=True)["packages"][0][
            "name"] == "puskesmas-pelalawan"
        assert remote.action.group_list() == ["kependudukan", "kesehatan"]
        assert "penduduk" in remote.action.tag_list()
        assert remote.action.license_list()[0]["id"] == "cc-by-4.0"
        assert remote.action.package_list() == ["kepadatan-penduduk-dumai", "penduduk-dumai", "puskesmas-pelalawan"]
        assert remote.action.status_show()["ckan_version"].startswith("2.")

        facets = remote.action.package_search(**{"facet.field": ["organization", "tags"], "rows": 0})
        assert facets["facets"]["tags"]["penduduk"] == 2
        assert facets["search_facets"]["organization"]["items"]

        # ckanapi turns CKAN's error bodies back into its exceptions.
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="draf-penduduk")
        with pytest.raises(ckanapi.ValidationError) as invalid:
            remote.action.package_search(rows="banyak")
        assert "rows" in invalid.value.error_dict
        with pytest.raises(ckanapi.ValidationError) as bad_fq:
            remote.action.package_search(fq="tags:(a AND b)")
        assert "fq" in bad_fq.value.error_dict
        assert remote.action.package_search(fq="warna:merah")["count"] == 0  # a field no dataset has
        with pytest.raises(ckanapi.NotAuthorized):
            remote.action.package_create(name="baru", title="Baru")
        with pytest.raises(ckanapi.CKANAPIError):
            remote.action.package_frobnicate()


def test_ckanapi_library_get_only(live_url: str) -> None:
    with ckanapi.RemoteCKAN(live_url, get_only=True) as remote:
        found = remote.action.package_search(fq='organization:dinkes-pelalawan tags:"kesehatan"')
        assert [d["name"] for d in found["results"]] == ["puskesmas-pelalawan"]
        assert remote.action.package_show(id="penduduk-dumai")["name"] == "penduduk-dumai"


def test_ckanapi_command_line(live_url: str) -> None:
    found = ckanapi_cli("action", "package_search", "-r", live_url, "q=penduduk")
    assert found["count"] == 2
    assert {d["name"] for d in found["results"]} == {"penduduk-dumai", "kepadatan-penduduk-dumai"}
    assert all(d["organization"]["name"] == "disdukcapil-dumai" for d in found["results"])

    pkg = ckanapi_cli("action", "package_show", "-r", live_url, "id=puskesmas-pelalawan")
    assert pkg["title"] == "Puskesmas Kabupaten Pelalawan"
    assert ckanapi_cli("action", "organization_list", "-r", live_url) == ["dinkes-pelalawan", "disdukcapil-dumai"]
    # GET-only mode and a JSON-typed parameter
    got = ckanapi_cli("action", "package_search", "-r", live_url, "-g", 'facet.field:["organization"]', "rows:0")
    assert got["facets"]["organization"] == {"disdukcapil-dumai": 2, "dinkes-pelalawan": 1}


def test_ckanapi_command_line_reports_errors(live_url: str) -> None:
    proc = run_cli("action", "package_show", "-r", live_url, "id=tidak-ada")
    assert proc.returncode != 0
    assert "ckanapi.errors.NotFound" in proc.stderr and "tidak-ada" in proc.stderr


def test_ckanapi_dump_and_search(live_url: str, tmp_path: Path) -> None:
    """The bulk commands page through package_list/package_search the way mirrors do."""
    out = tmp_path / "datasets.jsonl"
    proc = run_cli("dump", "datasets", "--all", "-q", "-p", "2", "-r", live_url, "-O", str(out))
    assert proc.returncode == 0, proc.stderr
    dumped = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    assert sorted(d["name"] for d in dumped) == ["kepadatan-penduduk-dumai", "penduduk-dumai", "puskesmas-pelalawan"]

    proc = run_cli("search", "datasets", "-r", live_url, "q=penduduk")
    assert proc.returncode == 0, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert sorted(d["name"] for d in found) == ["kepadatan-penduduk-dumai", "penduduk-dumai"]
