"""Issue #17: the web server as deployments run it (``gunicorn -c python:satudata.server``,
the app preloaded in the master): a web process that has served its share of requests, or has
grown past WEB_MAX_MEMORY_MB, is replaced by a fresh one without a failed request."""

from __future__ import annotations

import psutil
import pytest
import requests

from tests.fault.conftest import Processes, serve, wait_for

pytestmark = pytest.mark.fault


def _web_processes(processes: Processes) -> set[int]:
    master = next(p for p in reversed(processes.started) if "gunicorn" in " ".join(p.args))
    return {c.pid for c in psutil.Process(master.pid).children()}


def _search(url: str, n: int) -> list[int]:
    with requests.Session() as http:
        return [http.get(url + "/api/3/action/package_search", params={"q": "penduduk"}, timeout=30).status_code
                for _ in range(n)]


def test_a_web_process_is_replaced_after_its_requests(app, processes):
    with serve(app, processes, workers=1, threads=2, WEB_MAX_REQUESTS=20) as url:
        first = _web_processes(processes)
        assert len(first) == 1
        assert set(_search(url, 60)) == {200}  # never a failed answer while processes change
        wait_for(lambda: _web_processes(processes) and not (_web_processes(processes) & first),
                 "the web process to be replaced after 20 (+ up to 2) requests")


def test_a_web_process_grown_past_the_memory_limit_is_replaced(app, processes):
    # 1 MB: every process is past it; it is checked every 100 requests (satudata/server.py).
    with serve(app, processes, workers=1, threads=2, WEB_MAX_REQUESTS=0, WEB_MAX_MEMORY_MB=1) as url:
        first = _web_processes(processes)
        assert set(_search(url, 99)) == {200}
        assert _web_processes(processes) == first  # not before the 100th request
        assert set(_search(url, 30)) == {200}
        wait_for(lambda: _web_processes(processes) and not (_web_processes(processes) & first),
                 "the web process past WEB_MAX_MEMORY_MB to be replaced")


def test_without_limits_the_web_process_stays(app, processes):
    with serve(app, processes, workers=1, threads=2, WEB_MAX_REQUESTS=0, WEB_MAX_MEMORY_MB=0) as url:
        first = _web_processes(processes)
        assert set(_search(url, 120)) == {200}
        assert _web_processes(processes) == first
