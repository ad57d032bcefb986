"""The guarded HTTP session against real HTTP servers on 127.0.0.1: JSON, HTML and broken JSON,
4xx without retries, 5xx with them, a slow source, bodies past the size limit (with and without
Content-Length), redirects (relative, too many, to another scheme), the address guard and the
User-Agent. Every failure must read as an Indonesian sentence that says what to do."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from harvesters.http import FetchError, GuardedSession, blocked

pytestmark = pytest.mark.nodb

MB = 1024 * 1024
# Every message ends by saying what to do.
WHAT_TO_DO = ("Periksa", "periksa", "Coba lagi", "coba lagi", "hubungi", "Gunakan", "Minta", "Persempit")

Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes | str = b"", kind: str = "application/json",
         headers: dict[str, str] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(data)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)


class Source:
    """An HTTP server in a thread: ``routes`` maps a path to what it does; ``hits`` counts."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.release = threading.Event()  # ends the slow and endless routes at teardown
        self.sent = 0
        self.stopped = threading.Event()
        source = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                source.hits[path] += 1
                source.agents.append(self.headers.get("User-Agent", ""))
                route = source.routes.get(path) or (lambda h: send(h, 404, "{}"))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the session hung up
                    route(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def source() -> Iterator[Source]:
    server = Source()
    yield server
    server.close()


@pytest.fixture
def http() -> Iterator[GuardedSession]:
    with GuardedSession(allow_private=True, backoff=0.01, timeout=5) as session:
        yield session


def readable(exc: pytest.ExceptionInfo[FetchError]) -> str:
    message = exc.value.message
    assert any(word in message for word in WHAT_TO_DO), message
    return message


# ---------------------------------------------------------------------- JSON


def test_json_and_user_agent(source: Source, http: GuardedSession) -> None:
    source.routes["/api"] = lambda h: send(h, 200, json.dumps({"success": True, "result": [1, 2]}))
    assert http.get_json(source.url + "/api", params={"q": "*:*"}) == {"success": True, "result": [1, 2]}
    assert source.agents == ["SatuDataPortal-Harvester/1.0"]
    with GuardedSession(allow_private=True, user_agent="Uji/2.0") as other:
        fetched = other.get(source.url + "/api")
    assert source.agents[-1] == "Uji/2.0"
    assert fetched.status == 200 and fetched.headers["content-type"] == "application/json"
    assert json.loads(fetched.text()) == {"success": True, "result": [1, 2]}


def test_text_uses_the_charset(source: Source, http: GuardedSession) -> None:
    source.routes["/latin"] = lambda h: send(h, 200, "Bekasi – Jawa Barat".encode("cp1252"), "text/plain; charset=cp1252")
    assert http.get(source.url + "/latin").text() == "Bekasi – Jawa Barat"


@pytest.mark.parametrize("kind", ["text/html; charset=utf-8", "application/json"])
def test_html_instead_of_json(source: Source, http: GuardedSession, kind: str) -> None:
    source.routes["/api"] = lambda h: send(h, 200, "<!DOCTYPE html><html><body>Pemeliharaan</body></html>", kind)
    with pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/api")
    assert "mengirim HTML, bukan JSON" in readable(refused)
    assert refused.value.status == 200


def test_malformed_json_names_line_and_column(source: Source, http: GuardedSession) -> None:
    source.routes["/api"] = lambda h: send(h, 200, '{"a": 1,\n "b": }')
    with pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/api")
    assert "baris 2, kolom 7" in readable(refused)


def test_empty_body_is_not_json(source: Source, http: GuardedSession) -> None:
    source.routes["/api"] = lambda h: send(h, 200, "")
    with pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/api")
    assert "kosong" in readable(refused)


# ---------------------------------------------------------------------- statuses and retries


def test_404_is_not_retried(source: Source, http: GuardedSession) -> None:
    with pytest.raises(FetchError) as refused:
        http.get(source.url + "/missing")
    assert refused.value.status == 404 and "404" in readable(refused)
    assert source.hits["/missing"] == 1


def test_500_then_200_succeeds(source: Source, http: GuardedSession) -> None:
    def flaky(h: BaseHTTPRequestHandler) -> None:
        if source.hits["/flaky"] == 1:
            send(h, 500, "Internal Server Error", "text/plain")
        else:
            send(h, 200, '{"ok": true}')

    source.routes["/flaky"] = flaky
    assert http.get_json(source.url + "/flaky") == {"ok": True}
    assert source.hits["/flaky"] == 2


def test_5xx_always_fails_after_the_retries(source: Source) -> None:
    source.routes["/down"] = lambda h: send(h, 503, "Service Unavailable", "text/plain")
    with GuardedSession(allow_private=True, retries=2, backoff=0.01) as http, pytest.raises(FetchError) as refused:
        http.get(source.url + "/down")
    assert source.hits["/down"] == 3
    assert refused.value.status == 503 and "sedang bermasalah" in readable(refused)


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with GuardedSession(allow_private=True, retries=1, backoff=0) as http, pytest.raises(FetchError) as refused:
        http.get(f"http://127.0.0.1:{port}/")
    assert "tidak dapat dihubungi" in readable(refused) and refused.value.status is None


def test_slow_source_times_out_and_is_retried(source: Source) -> None:
    def slow(h: BaseHTTPRequestHandler) -> None:
        source.release.wait(3)
        send(h, 200, "{}")

    source.routes["/slow"] = slow
    started = time.monotonic()
    with GuardedSession(allow_private=True, timeout=0.5, retries=1, backoff=0) as http, \
            pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/slow")
    assert time.monotonic() - started < 2.5
    assert "tidak menjawab dalam 0,5 detik" in readable(refused)
    assert source.hits["/slow"] == 2


# ---------------------------------------------------------------------- size


def test_declared_size_past_the_limit_is_refused_before_reading(source: Source) -> None:
    def huge(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(2 * 1024 * MB))  # 2 GB, never sent
        h.end_headers()
        h.wfile.write(b"[" + b"0," * 1000)
        source.release.wait(3)

    source.routes["/huge"] = huge
    started = time.monotonic()
    with GuardedSession(allow_private=True, max_bytes=1 * MB) as http, pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/huge")
    assert time.monotonic() - started < 1
    assert "melebihi batas 1 MB" in readable(refused)
    assert source.hits["/huge"] == 1  # not retried


def test_endless_body_is_cut_at_the_limit(source: Source) -> None:
    total = 256 * MB

    def endless(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: the body ends when the server closes
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.end_headers()
        chunk = b"0," * 32 * 1024
        try:
            while source.sent < total and not source.release.is_set():
                h.wfile.write(chunk)
                source.sent += len(chunk)
        finally:
            source.stopped.set()

    source.routes["/endless"] = endless
    with GuardedSession(allow_private=True, max_bytes=1 * MB) as http, pytest.raises(FetchError) as refused:
        http.get(source.url + "/endless")
    assert "melebihi batas 1 MB" in readable(refused)
    assert source.stopped.wait(5)
    assert source.sent < total  # the session hung up long before the end


# ---------------------------------------------------------------------- redirects


def test_redirects_are_followed_and_counted(source: Source) -> None:
    def hop(n: int) -> Route:  # /hop/3 -> /hop/2 (a relative Location) -> ... -> /hop/0, the answer
        return lambda h: send(h, 302, "", headers={"Location": str(n - 1)}) if n else send(h, 200, '{"end": 0}')

    for n in range(4):
        source.routes[f"/hop/{n}"] = hop(n)
    with GuardedSession(allow_private=True, max_redirects=2) as http:
        fetched = http.get(source.url + "/hop/2")
        assert fetched.url == source.url + "/hop/0" and json.loads(fetched.content) == {"end": 0}
        with pytest.raises(FetchError) as refused:
            http.get(source.url + "/hop/3")
    assert "mengalihkan lebih dari 2 kali" in readable(refused)
    assert source.hits["/hop/3"] == 1 and source.hits["/hop/1"] == 2 and source.hits["/hop/0"] == 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/data.json", "gopher://127.0.0.1:6379/_INFO"])
def test_a_redirect_to_another_scheme_is_refused(source: Source, http: GuardedSession, target: str) -> None:
    source.routes["/go"] = lambda h: send(h, 301, "", headers={"Location": target})
    with pytest.raises(FetchError) as refused:
        http.get_json(source.url + "/go")
    message = readable(refused)
    assert "hanya membuka alamat http:// atau https://" in message and "mengalihkan ke" in message


# ---------------------------------------------------------------------- the address guard


@pytest.mark.parametrize("url", ["ftp://example.org/data.json", "file:///etc/passwd", "http:///tanpa-host",
                                 "http://127.0.0.1:99999/"])
def test_only_http_urls(url: str) -> None:
    with GuardedSession(allow_private=True) as http, pytest.raises(FetchError) as refused:
        http.get(url)
    readable(refused)


def test_private_addresses_are_refused_before_connecting(source: Source) -> None:
    source.routes["/api"] = lambda h: send(h, 200, "{}")
    port = source.server.server_address[1]
    with GuardedSession(retries=0) as http:
        for url in (source.url + "/api", f"http://localhost:{port}/api", "http://169.254.169.254/latest/meta-data/",
                    "http://[::1]/", "http://10.0.0.1/", "http://0.0.0.0/", "http://[fe80::1]/",
                    "http://[::ffff:127.0.0.1]/"):
            with pytest.raises(FetchError) as refused:
                http.get(url)
            assert "jaringan internal" in readable(refused), url
    assert source.hits["/api"] == 0


def test_a_rebound_name_is_refused_at_the_connection(source: Source) -> None:
    """DNS rebinding: the name passed the check, then resolved to a private address to connect.
    The connection's own peer check refuses it before a request is sent."""

    class Rebound(GuardedSession):
        def _check(self, url: str) -> None:
            pass  # as if the name had resolved to a public address a moment ago

    source.routes["/api"] = lambda h: send(h, 200, "{}")
    with Rebound(retries=0) as http, pytest.raises(FetchError) as refused:
        http.get(source.url + "/api")
    assert "jaringan internal (127.0.0.1)" in readable(refused)
    assert source.hits["/api"] == 0


@pytest.mark.parametrize(("address", "refused"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("192.168.1.1", True), ("169.254.169.254", True),
    ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True), ("240.0.0.1", True), ("::1", True),
    ("fe80::1%eth0", True), ("fec0::1", True), ("fc00::1", True), ("::ffff:10.0.0.1", True), ("2002:a00:1::", True),
    ("8.8.8.8", False), ("103.3.60.1", False), ("2001:4860:4860::8888", False), ("bukan-alamat", True),
])
def test_blocked(address: str, refused: bool) -> None:
    assert blocked(address) is refused
