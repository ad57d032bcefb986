"""The one guarded HTTP session every harvester plug-in makes its outbound requests through.

A harvest source is a URL a walidata typed in, so every request is treated as hostile input:

- **Addresses.** Only ``http`` and ``https``. Before every request *and every redirect hop* the
  host is resolved (``socket.getaddrinfo``) and refused when any address it resolves to is not a
  public one: private, loopback, link-local (``169.254.0.0/16`` with the cloud metadata service,
  ``fe80::/10``), unspecified, multicast, reserved, site-local or otherwise not global (IPv4
  inside IPv6 is unwrapped first). ``allow_private=True`` (``SATUDATA_HARVEST_ALLOW_PRIVATE_NETWORKS``;
  the tests turn it on for their servers on 127.0.0.1) lifts all of this.
- **DNS rebinding.** The check above resolves the name, then urllib3 resolves it again to
  connect: a name with a short TTL could answer a public address to us and a private one to it.
  That window is closed one step later: the session's connections check the socket's *peer*
  address right after ``connect()`` and close it before a single byte is sent. What remains is a
  TCP handshake with the internal address, and nothing of it reaches the plug-in. The session
  also ignores proxy settings from the environment (``trust_env = False``): through a proxy the
  peer would be the proxy and the check would mean nothing.
- **Redirects** are followed by hand (``allow_redirects=False``): each ``Location``, resolved
  against the current URL, goes through the same checks, at most ``max_redirects`` hops. Headers
  the caller added are dropped when a hop leaves the origin (they may carry a source's key).
- **Timeouts.** ``timeout`` seconds to connect and between two reads of the answer.
- **Size.** The body is streamed and the request stops once it passes ``max_bytes`` (counted
  after decompression, so a gzip bomb stops too); a ``Content-Length`` above it is refused before
  reading. A 2 GB answer is never held in memory.
- **Retries.** 5xx answers, refused connections and timeouts are tried again, ``retries`` times,
  after ``backoff * 2**n`` seconds; 4xx answers never are (asking again changes nothing).
- Every request carries the harvester's ``User-Agent``.

Everything that goes wrong is a :class:`FetchError` whose ``message`` is a sentence in Bahasa
Indonesia saying what happened at the source and what to do about it: the harvest runner shows
it to the walidata as is.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError

REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
ADMIN_HINT = "Gunakan alamat publik sumber, atau hubungi administrator portal bila sumber memang di jaringan internal."


class FetchError(Exception):
    """A request that failed; ``message`` is a readable Indonesian sentence saying what went
    wrong and what to do; ``status`` is the HTTP status when the source answered one."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status


@dataclass
class Fetched:
    """One answer, read whole (within the size limit)."""

    url: str  # the final URL after redirects
    status: int
    headers: dict[str, str]  # lower-cased keys
    content: bytes

    def text(self) -> str:
        """The body decoded with the answer's charset, else UTF-8 (undecodable bytes replaced)."""
        charset = _charset(self.headers.get("content-type", "")) or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------- address checks


class _Refused(Exception):
    """A connection reached an address the guard refuses (raised inside urllib3)."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None


def blocked(address: str) -> bool:
    """Whether an IP address is one a harvester must not reach (anything not plainly public)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and blocked(str(inner)):
            return True
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast
            or ip.is_reserved or getattr(ip, "is_site_local", False) or not ip.is_global)


def _check_peer(sock: socket.socket) -> None:
    try:
        address = str(sock.getpeername()[0])
    except OSError:
        return  # not connected after all: sending will fail on its own
    if blocked(address):
        sock.close()
        raise _Refused(address)


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock)
        return sock


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    """An adapter whose connections refuse a non-public peer (the DNS-rebinding window)."""

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


# ---------------------------------------------------------------------- messages


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")  # 0.5 -> "0,5", 30.0 -> "30"


def _tries(n: int) -> str:
    return f" (sudah dicoba {n} kali)" if n > 1 else ""


def _client_error(url: str, status: int) -> str:
    if status == 404:
        return f"Sumber {url} menjawab HTTP 404: alamat ini tidak ada. Periksa alamat sumber dan pengaturannya."
    if status in (401, 403):
        return (f"Sumber {url} menolak akses (HTTP {status}). Periksa apakah sumber memerlukan kunci akses "
                "atau izin, lalu minta kepada pengelola sumber.")
    if status == 429:
        return (f"Sumber {url} menolak karena terlalu banyak permintaan (HTTP 429). Coba lagi nanti atau "
                "perkecil ukuran halaman.")
    return f"Sumber {url} menolak permintaan (HTTP {status}). Periksa alamat sumber dan pengaturannya."


class _Retry(Exception):
    """A failure worth trying again; carries the error to raise when the tries run out."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.message)
        self.error = error


# ---------------------------------------------------------------------- the session


class GuardedSession:
    """The HTTP session a harvest run hands its plug-in (see the module docstring)."""

    def __init__(self, *, allow_private: bool = False, timeout: float = 30.0, max_bytes: int = 50 * 1024 * 1024,
                 user_agent: str = "SatuDataPortal-Harvester/1.0", retries: int = 3, backoff: float = 0.5,
                 max_redirects: int = 5) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_redirects = max_redirects
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or .netrc from the environment
        self._session.headers["User-Agent"] = user_agent
        if not allow_private:
            self._session.mount("http://", _CheckedAdapter())
            self._session.mount("https://", _CheckedAdapter())

    def __enter__(self) -> GuardedSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ public

    def get(self, url: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
            accept: str | None = None) -> Fetched:
        """GET ``url`` following redirects by hand; the answer read whole, or :class:`FetchError`."""
        extra = dict(headers or {})
        origin = _origin(url)
        current, send_params = url, params
        for hop in range(self.max_redirects + 1):
            sent = extra if _origin(current) == origin else {}
            if accept:
                sent = {**sent, "Accept": accept}
            try:
                fetched = self._with_retries(current, send_params, sent)
            except FetchError as exc:
                if hop == 0:
                    raise
                raise FetchError(f"Sumber {url} mengalihkan ke {current}. {exc.message}",
                                 url=exc.url, status=exc.status) from exc
            if fetched.status not in REDIRECTS:
                return fetched
            location = fetched.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"Sumber {current} mengalihkan (HTTP {fetched.status}) tanpa menyebut alamat "
                                 "tujuan. Periksa alamat sumber.", url=current, status=fetched.status)
            current, send_params = urljoin(fetched.url, location), None
        raise FetchError(f"Sumber {url} mengalihkan lebih dari {self.max_redirects} kali (terakhir ke {current}). "
                         "Periksa alamat sumber, atau isi langsung alamat tujuan akhirnya.", url=url)

    def get_json(self, url: str, *, params: dict[str, Any] | None = None) -> Any:
        """GET ``url`` and parse the answer as JSON, or :class:`FetchError` saying why it is not."""
        fetched = self.get(url, params=params, accept="application/json")
        content_type = fetched.headers.get("content-type", "").lower()
        head = fetched.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if "html" in content_type.split(";")[0] or head.startswith((b"<!doctype html", b"<html")):
            raise FetchError(f"Sumber {fetched.url} mengirim HTML, bukan JSON: biasanya halaman login, halaman "
                             "pemeliharaan, atau alamat yang salah. Periksa alamat API sumber.",
                             url=fetched.url, status=fetched.status)
        text = fetched.text().lstrip("\ufeff")
        if not text.strip():
            raise FetchError(f"Sumber {fetched.url} mengirim jawaban kosong, bukan JSON. Periksa alamat API sumber "
                             "atau coba lagi nanti.", url=fetched.url, status=fetched.status)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FetchError(f"JSON dari {fetched.url} rusak pada baris {exc.lineno}, kolom {exc.colno} ({exc.msg}). "
                             "Minta pengelola sumber memperbaikinya, lalu panen lagi.",
                             url=fetched.url, status=fetched.status) from exc

    # ------------------------------------------------------------------ internals

    def _check(self, url: str) -> None:
        """Refuse a URL whose scheme is not http(s) or whose host resolves to a non-public address."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"Alamat {url} tidak sah. Periksa alamat sumber.", url=url) from exc
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError(f"Alamat {url} tidak didukung: pemanen hanya membuka alamat http:// atau https://. "
                             "Periksa alamat sumber.", url=url)
        host = parts.hostname
        if not host:
            raise FetchError(f"Alamat {url} tidak menyebut nama server. Periksa alamat sumber.", url=url)
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(host, port or (443 if parts.scheme.lower() == "https" else 80),
                                       type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"Sumber {url} tidak dapat dihubungi: nama server {host} tidak ditemukan. Periksa "
                             "alamat sumber, atau coba lagi nanti.", url=url) from exc
        for info in infos:
            address = str(info[4][0])
            if blocked(address):
                raise FetchError(f"Alamat {url} mengarah ke jaringan internal ({address}), yang tidak boleh dibuka "
                                 f"pemanen. {ADMIN_HINT}", url=url)

    def _with_retries(self, url: str, params: dict[str, Any] | None, headers: dict[str, str]) -> Fetched:
        last: FetchError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._once(url, params, headers, attempt + 1)
            except _Retry as retry:
                last = retry.error
        assert last is not None
        raise last

    def _once(self, url: str, params: dict[str, Any] | None, headers: dict[str, str], tries: int) -> Fetched:
        self._check(url)
        try:
            response = self._session.get(url, params=params, headers=headers, stream=True, allow_redirects=False,
                                         timeout=(self.timeout, self.timeout))
        except _Refused as exc:
            raise FetchError(f"Alamat {url} mengarah ke jaringan internal ({exc.address}), yang tidak boleh dibuka "
                             f"pemanen. {ADMIN_HINT}", url=url) from exc
        except requests.Timeout as exc:
            raise _Retry(self._timeout_error(url, tries)) from exc
        except requests.exceptions.SSLError as exc:
            raise FetchError(f"Sertifikat HTTPS sumber {url} tidak sah atau tidak dapat diperiksa. Minta pengelola "
                             "sumber memperbaiki sertifikatnya.", url=url) from exc
        except requests.ConnectionError as exc:
            raise _Retry(FetchError(f"Sumber {url} tidak dapat dihubungi{_tries(tries)}. Periksa apakah alamatnya "
                                    "benar dan servernya menyala, lalu coba lagi nanti.", url=url)) from exc
        except requests.RequestException as exc:
            raise FetchError(f"Alamat {url} tidak sah. Periksa alamat sumber.", url=url) from exc
        with response:
            final = response.url or url
            status = response.status_code
            headers_out = {k.lower(): v for k, v in response.headers.items()}
            if status >= 500:
                raise _Retry(FetchError(f"Sumber {final} sedang bermasalah: menjawab HTTP {status}{_tries(tries)}. "
                                        "Coba lagi nanti; bila berlanjut, hubungi pengelola sumber.",
                                        url=final, status=status))
            if status in REDIRECTS:
                return Fetched(url=final, status=status, headers=headers_out, content=b"")
            if status >= 400:
                raise FetchError(_client_error(final, status), url=final, status=status)
            length = headers_out.get("content-length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise self._too_large(final, status)
            body = bytearray()
            try:
                for chunk in response.iter_content(CHUNK):
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise self._too_large(final, status)
            except requests.ConnectionError as exc:
                if exc.args and isinstance(exc.args[0], ReadTimeoutError):
                    raise _Retry(self._timeout_error(final, tries)) from exc
                raise _Retry(FetchError(f"Sambungan ke sumber {final} terputus sebelum jawabannya selesai dikirim"
                                        f"{_tries(tries)}. Coba lagi nanti.", url=final, status=status)) from exc
            except requests.RequestException as exc:
                raise _Retry(FetchError(f"Jawaban dari sumber {final} tidak dapat dibaca ({type(exc).__name__})"
                                        f"{_tries(tries)}. Coba lagi nanti; bila berlanjut, hubungi pengelola sumber.",
                                        url=final, status=status)) from exc
            return Fetched(url=final, status=status, headers=headers_out, content=bytes(body))

    def _timeout_error(self, url: str, tries: int) -> FetchError:
        return FetchError(f"Sumber {url} tidak menjawab dalam {_number(self.timeout)} detik{_tries(tries)}. Sumber "
                          "mungkin sedang lambat atau mati; coba lagi nanti.", url=url)

    def _too_large(self, url: str, status: int) -> FetchError:
        limit = _number(round(self.max_bytes / (1024 * 1024), 2))
        return FetchError(f"Jawaban dari {url} melebihi batas {limit} MB, jadi tidak dibaca. Persempit permintaan "
                          "(misalnya ukuran halaman yang lebih kecil) atau hubungi administrator portal.",
                          url=url, status=status)


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", "", None
