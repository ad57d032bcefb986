"""The ``sipd`` harvester: the region's Data Statistik Sektoral Daerah (DSSD) from Kemendagri's
SIPD e-Walidata, into the Daftar Data and, where final values exist, into datasets.

What the API is, as the peer portals that call it show (facts only; no code was taken):

- **Base URL** ``https://sipd.go.id/ewalidata/serv`` (``diskominfo-madiunkab/tati-satudata``
  ``app/Http/Controllers/DataController.php`` and ``Walidata/PublikasiController.php``;
  ``Nightcrow26/satudata`` ``app/Console/Commands/SinkronWalidata.php`` and
  ``app/Livewire/Admin/IndikatorWalidata.php``). Some regions reach it under their own host
  (``https://<daerah>.sipd.go.id/ewalidata/serv``, seen in another portal's code), so the
  source's URL is the base and the endpoint names are appended to it.
- **Auth**: a token per region from Kemendagri, sent as ``Authorization: Bearer <token>``
  (Laravel's ``Http::withToken(env('SIPD_API_KEY'))`` in both repositories). Older clients put it
  in the query (``?key=``); the header is what both repositories use today.
- **Endpoints** (GET, query ``kodepemda``, the region's Kemendagri code such as ``3519`` or
  ``6308``):

  - ``get_ref_dssd?kodepemda=`` (tati-satudata): the DSSD reference list, a JSON **array** of
    objects with ``kodeindikator``, ``uraian_indikator``, ``satuan``, ``bidangurusan`` (``"1.02 -
    URUSAN ... KESEHATAN"``: the bidang urusan code first) and ``mendukung_subkegiatan``
    (``[{kodesubkegiatan, uraisubkegiatan}]``); some also carry ``definisi_operasional``.
  - ``get_dssd_final?kodepemda=&tahun=`` (Nightcrow26/satudata): the values verified by the
    walidata for a year, a JSON **array** of objects with ``idtransaksi``, ``kodebidang``,
    ``uraibidang``, ``kodeindikator``, ``uraian_indikator``, ``satuan``, ``tahun``, ``data`` (the
    value, as text) and ``tanggal_verifikasi_walidata`` / ``tanggal_verifikasi_pembinadata``.
  - (``get_dssd`` gives the entries not yet final and ``push_dssd`` sends values to SIPD; neither
    is used here: only final values are harvested.)

- **Status codes**: a failure is an HTTP error (both repositories treat any non-2xx as "no
  data"); the answer is slow (both allow 120 seconds). No paging is documented: both read one
  array. A third-party dashboard sends ``limit``/``offset`` and reads ``rowtotal`` on each row;
  ``page_size`` > 0 does the same, otherwise one request per endpoint.

What this plug-in does with it: ``gather`` reads the reference list and, when ``values`` is on,
the final values of each configured year, and yields one record per indicator (its reference
row and its values by year; the remote id is the ``kodeindikator``). ``map`` makes:

- one Daftar Data item per indicator and year (title = ``uraian_indikator``, element = the bidang
  urusan, indicator = ``kodeindikator``, unit = ``satuan``, frequency tahunan, remote id
  ``<kodeindikator>@<tahun>``), for the OPD the ``organization_map`` names for the bidang urusan
  code (else the source's organisation);
- where any year has a final value, a dataset with one table: ``tahun``, ``kode_wilayah`` (the
  kodepemda), ``kode_indikator``, ``uraian_indikator``, ``nilai`` (a number: "1.234,5" and "72.4"
  both read; a value that is no number is left empty, with a note) and ``satuan``.

The region code comes from the source's ``kodepemda``, else the portal's ``SIPD_KODEPEMDA``; the
token only from the portal's ``SIPD_TOKEN`` (``ctx.settings``), never from a source's config, and
it goes only where the operator trusts (a source's URL is typed by a walidata): https to
``sipd.go.id``, ``*.sipd.go.id``, the https host of ``SIPD_BASE_URL`` and the hosts in
``SIPD_ALLOWED_HOSTS`` (:func:`url_problem`; checked before every request and, through
``check_url``, when a source is saved or tried). Without ``tahun`` the year read is last year
in WIB.
A source that is down, slow, answers HTML, or changes its shape (not an array, rows without
``kodeindikator``) stops the gather with a sentence saying what was expected: nothing harvested
before is touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from harvesters.base import (
    Gathered,
    HarvestContext,
    HarvestError,
    RemoteDaftarItem,
    RemoteDataset,
    RemoteTable,
)
from harvesters.http import Fetched, FetchError

OFFICIAL_URL = "https://sipd.go.id/ewalidata/serv"
REF_REQUIRED = ("kodeindikator", "uraian_indikator")
FINAL_REQUIRED = ("kodeindikator", "tahun", "data")
MAX_ROWS = 200_000
MAX_PAGES = 10_000
KODEPEMDA = re.compile(r"^\d{2}(\d{2})?$")
# The token is Kemendagri's, for the region: it goes only to SIPD's own hosts (and the hosts the
# operator adds in SATUDATA_SIPD_ALLOWED_HOSTS), never to an address a walidata typed in.
TRUSTED_HOSTS = ("sipd.go.id", "*.sipd.go.id")
WIB = ZoneInfo("Asia/Jakarta")


def _host_list(value: Any) -> list[str]:
    """``"a.go.id, *.b.go.id"`` or a list → lower-cased host patterns."""
    items = value if isinstance(value, list | tuple | set) else re.split(r"[\s,;]+", str(value or ""))
    return [str(h).strip().lower().rstrip(".") for h in items if str(h).strip()]


def allowed_hosts(settings: dict[str, Any]) -> list[str]:
    """The hosts the portal's SIPD token may be sent to: ``sipd.go.id`` and any ``*.sipd.go.id``,
    the host of ``SATUDATA_SIPD_BASE_URL`` when it is https, and whatever the operator lists in
    ``SATUDATA_SIPD_ALLOWED_HOSTS`` (comma-separated; ``*.`` for a domain's subdomains)."""
    hosts = list(TRUSTED_HOSTS)
    base = str(settings.get("base_url") or "")
    parts = urlsplit(base)
    if parts.scheme.lower() == "https" and parts.hostname:
        hosts.append(parts.hostname.lower())
    hosts += _host_list(settings.get("allowed_hosts"))
    return list(dict.fromkeys(hosts))


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def url_problem(url: str, settings: dict[str, Any], *, allow_private: bool = False) -> str | None:
    """Why ``url`` may not receive the portal's SIPD token (a sentence in Bahasa Indonesia), or
    None: it must be https (plain http only where ``allow_private``, the tests) to an allowed host."""
    hosts = allowed_hosts(settings)
    listed = ", ".join(hosts)
    hint = (f"Alamat sumber SIPD harus alamat SIPD e-Walidata (bawaan {OFFICIAL_URL}); host yang diizinkan: "
            f"{listed}. Bila daerah Anda memakai host SIPD lain, administrator portal dapat menambahkannya di "
            "SATUDATA_SIPD_ALLOWED_HOSTS.")
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        _ = parts.port  # a port that is no number raises ValueError here
    except ValueError:
        return f"URL \"{url[:200]}\" tidak sah. {hint}"
    if parts.scheme.lower() != "https" and not (allow_private and parts.scheme.lower() == "http"):
        return f"Token SIPD hanya dikirim lewat https; \"{url[:200]}\" bukan https. {hint}"
    if not host or "@" in parts.netloc or "\\" in url:
        return f"URL \"{url[:200]}\" tidak sah. {hint}"
    if not any(_matches(host, p) for p in hosts):
        return f"Token SIPD tidak dikirim ke {host}. {hint}"
    return None


class SipdConfig(Schema):
    """What a walidata may set on a SIPD source (the token is the portal's, not here)."""

    class Meta:
        unknown = EXCLUDE

    kodepemda = fields.String(load_default="", metadata={
        "description": "Kode pemda Kemendagri (misalnya 1408); kosong: SATUDATA_SIPD_KODEPEMDA portal."})
    tahun = fields.List(fields.Integer(validate=validate.Range(2000, 2100)), load_default=list, metadata={
        "description": "Tahun data yang dipanen; kosong: tahun lalu."})
    values = fields.Boolean(load_default=True, metadata={
        "description": "Ambil juga nilai final (get_dssd_final) menjadi dataset."})
    release_day = fields.String(load_default="12-31", metadata={
        "description": "Jadwal rilis butir Daftar Data baru dalam tahunnya, BB-HH (bawaan 12-31)."})
    ref_path = fields.String(load_default="get_ref_dssd", validate=validate.Regexp(r"^[A-Za-z0-9_./-]{1,100}$"))
    final_path = fields.String(load_default="get_dssd_final", validate=validate.Regexp(r"^[A-Za-z0-9_./-]{1,100}$"))
    page_size = fields.Integer(load_default=0, validate=validate.Range(0, 10_000), metadata={
        "description": "0: satu permintaan per titik akhir; lebih: limit/offset per halaman."})
    organization_map = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict, metadata={
        "description": "Kode bidang urusan (misalnya 1.02) → slug OPD produsen di portal ini."})
    default_topics = fields.List(fields.String(), load_default=list)
    default_tags = fields.List(fields.String(), load_default=list)

    @validates("kodepemda")
    def _kodepemda(self, value: str, **_: Any) -> None:
        if value and not KODEPEMDA.match(value.strip()):
            raise ValidationError("Kode pemda 2 angka (provinsi) atau 4 angka (kabupaten/kota), misalnya 1408.")

    @validates("release_day")
    def _release_day(self, value: str, **_: Any) -> None:
        try:
            month, day = (int(p) for p in value.split("-"))
            date(2024, month, day)
        except ValueError:
            raise ValidationError("Tulis bulan-hari, misalnya 12-31.") from None


def wib_year(now: datetime | None = None) -> int:
    """The year in WIB at ``now`` (an aware instant; default: this moment)."""
    return (now or datetime.now(UTC)).astimezone(WIB).year


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def bidang_code(bidang: str) -> str:
    """``"1.02 - URUSAN ... KESEHATAN"`` → ``"1.02"``; the text itself when it has no code."""
    head = bidang.split(" - ", 1)[0].strip()
    return head if re.fullmatch(r"[\dX]+(\.[\dX]+)*", head) else bidang.strip()


def number(value: Any) -> float | int | None:
    """A DSSD value as a number: ``123``, ``72.4``, ``72,4``, ``1.234.567`` and ``1.234,5`` read
    (one dot before three digits, ``1.234``, is a decimal point, as SIPD writes ``72.4``);
    anything else (``-``, ``""``, text) is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", text):
        return int(text.replace(".", ""))
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", text):
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+,\d+", text):
        return float(text.replace(",", "."))
    return None


class SipdHarvester:
    """See the module docstring."""

    name: ClassVar[str] = "sipd"
    title: ClassVar[str] = "SIPD e-Walidata (DSSD)"
    config_schema: ClassVar[type[Schema]] = SipdConfig
    default_publish_mode: ClassVar[str] = "review"  # values from SIPD wait for the walidata's check
    # SATUDATA_SIPD_* → ctx.settings
    settings_keys: ClassVar[tuple[str, ...]] = ("KODEPEMDA", "TOKEN", "BASE_URL", "ALLOWED_HOSTS")

    def check_url(self, url: str, settings: dict[str, Any], *, allow_private: bool = False) -> str | None:
        """What the runner asks before a source of this type is saved or tried: why ``url`` may
        not be one (see :func:`url_problem`), or None."""
        return url_problem(url, settings, allow_private=allow_private)

    # ------------------------------------------------------------------ the source

    def _kodepemda(self, ctx: HarvestContext) -> str:
        kode = str(ctx.config.get("kodepemda") or ctx.settings.get("kodepemda") or "").strip()
        if not kode:
            raise HarvestError("Kode pemda SIPD belum diisi: isi \"kodepemda\" di konfigurasi sumber, atau minta "
                               "administrator portal mengisi SATUDATA_SIPD_KODEPEMDA.")
        if not KODEPEMDA.match(kode):
            raise HarvestError(f"Kode pemda \"{kode[:20]}\" tidak sah: 2 angka (provinsi) atau 4 angka "
                               "(kabupaten/kota), misalnya 1408.")
        return kode

    def _headers(self, ctx: HarvestContext, url: str) -> dict[str, str]:
        """The token's header for a request to ``url``; a :class:`HarvestError` (and no request)
        when ``url`` is not SIPD's (the token is the region's, not for any host a source names)."""
        problem = url_problem(url, ctx.settings, allow_private=bool(getattr(ctx.http, "allow_private", False)))
        if problem:
            raise HarvestError(problem)
        token = str(ctx.settings.get("token") or "").strip()
        if not token:
            raise HarvestError("Token SIPD belum diatur: administrator portal mengisi SATUDATA_SIPD_TOKEN dengan "
                               "token e-Walidata dari Kemendagri, lalu jalankan panen lagi.")
        return {"Authorization": f"Bearer {token}"}

    def years(self, ctx: HarvestContext, now: datetime | None = None) -> list[int]:
        """The configured years, else last year in WIB (Asia/Jakarta, whatever the server's
        clock zone): on 1 January 00:30 WIB that is the year just ended."""
        chosen = sorted({int(y) for y in ctx.config.get("tahun") or []})
        return chosen or [wib_year(now) - 1]

    def _rows(self, ctx: HarvestContext, path: str, params: dict[str, Any], required: tuple[str, ...]
              ) -> Iterator[dict[str, Any]]:
        """The rows of one endpoint (page by page when ``page_size`` says so), each checked for
        the keys it must have; a changed shape is a :class:`HarvestError` naming what was expected."""
        url = ctx.url.rstrip("/") + "/" + path.lstrip("/")
        headers = self._headers(ctx, url)
        size = int(ctx.config.get("page_size") or 0)
        offset = seen = 0
        for _page in range(MAX_PAGES):
            query = dict(params)
            if size:
                query |= {"limit": size, "offset": offset}
            fetched = ctx.http.get(url, params=query, headers=headers, accept="application/json")
            rows = _array(_json(fetched), url, required)
            for row in rows:
                seen += 1
                if seen > MAX_ROWS:
                    raise HarvestError(f"{url} mengirim lebih dari {MAX_ROWS} baris; periksa kode pemda dan tahunnya.")
                yield row
            if not size or len(rows) < size:
                return
            total = _total(rows)
            offset += size
            if total is not None and offset >= total:
                return
        raise HarvestError(f"{url} masih mengirim halaman setelah {MAX_PAGES} halaman; perbesar page_size.")

    def _values(self, ctx: HarvestContext, kode: str) -> dict[str, dict[int, dict[str, Any]]]:
        """kodeindikator → year → the final row (the first one when the source repeats it)."""
        found: dict[str, dict[int, dict[str, Any]]] = {}
        if not ctx.config.get("values", True):
            return found
        for year in self.years(ctx):
            for row in self._rows(ctx, ctx.config.get("final_path") or "get_dssd_final",
                                  {"kodepemda": kode, "tahun": year}, FINAL_REQUIRED):
                code = _text(row.get("kodeindikator"))
                row_year = _year(row.get("tahun")) or year
                if code:
                    found.setdefault(code, {}).setdefault(row_year, row)
        return found

    # ------------------------------------------------------------------ the stages

    def gather(self, ctx: HarvestContext) -> Iterator[Gathered]:
        kode = self._kodepemda(ctx)
        years = self.years(ctx)
        # The reference list first (one array at the source), then the values of each year; an
        # indicator is yielded once both are read, so a failure of either imports nothing.
        reference = list(self._rows(ctx, ctx.config.get("ref_path") or "get_ref_dssd", {"kodepemda": kode},
                                    REF_REQUIRED))
        values = self._values(ctx, kode)
        listed: set[str] = set()
        for row in reference:
            code = _text(row.get("kodeindikator"))
            listed.add(code)
            yield self._item(code, kode, years, row, values.get(code, {}))
        # Final values of indicators the reference list no longer names still belong somewhere.
        for code, by_year in values.items():
            if code not in listed:
                first = by_year[min(by_year)]
                ref: dict[str, Any] = {k: first.get(k) for k in ("kodeindikator", "uraian_indikator", "satuan")
                                       if k in first}
                if first.get("kodebidang") or first.get("uraibidang"):
                    ref["bidangurusan"] = " - ".join(_text(first.get(k)) for k in ("kodebidang", "uraibidang")
                                                     if first.get(k))
                yield self._item(code, kode, years, ref, by_year)

    def _item(self, code: str, kode: str, years: list[int], ref: dict[str, Any],
              by_year: dict[int, dict[str, Any]]) -> Gathered:
        modified = max((_text(r.get("tanggal_verifikasi_pembinadata") or r.get("tanggal_verifikasi_walidata")
                              or r.get("lastupdate")) for r in by_year.values()), default="") or None
        return Gathered(remote_id=code, modified=modified, record={
            "kodepemda": kode, "tahun": years, "indikator": ref,
            "nilai": {str(y): by_year[y] for y in sorted(by_year)}})

    def fetch(self, ctx: HarvestContext, item: Gathered) -> dict[str, Any]:
        if item.record is None:
            raise HarvestError("Baris DSSD tidak terbawa.", remote_id=item.remote_id)
        return item.record

    def map(self, ctx: HarvestContext, raw: dict[str, Any]) -> RemoteDataset:
        ref = raw.get("indikator") or {}
        code = _text(ref.get("kodeindikator"))
        title = _text(ref.get("uraian_indikator"))
        if not code or not title:
            raise HarvestError("Baris DSSD tanpa kodeindikator atau uraian_indikator; SIPD perlu mengisinya.",
                               remote_id=code or None)
        kode = str(raw.get("kodepemda") or "")
        values: dict[str, dict[str, Any]] = raw.get("nilai") or {}
        unit = _text(ref.get("satuan")) or next((_text(v.get("satuan")) for v in values.values() if v.get("satuan")), "")
        bidang = _text(ref.get("bidangurusan"))
        element = bidang or None
        organization = {"name": bidang_code(bidang), "title": bidang} if bidang else None
        years = [int(y) for y in raw.get("tahun") or []]
        rows, notes = [], []
        for year_text, row in sorted(values.items()):
            value = number(row.get("data"))
            if value is None and _text(row.get("data")):
                notes.append(f"{year_text}: \"{_text(row.get('data'))[:40]}\"")
            rows.append({"tahun": int(year_text), "kode_wilayah": kode, "kode_indikator": code,
                         "uraian_indikator": title, "nilai": value, "satuan": _text(row.get("satuan")) or unit})
        with_values = {int(y) for y in values}
        daftar = [RemoteDaftarItem(remote_id=f"{code}@{year}", year=year, title=title, element=element,
                                   indicator=code, unit=unit or None, frequency="tahunan",
                                   has_values=year in with_values)
                  for year in sorted({*years, *with_values})]
        description = _text(ref.get("definisi_operasional"))
        about = (f"Data Statistik Sektoral Daerah (DSSD) dari SIPD e-Walidata Kemendagri: indikator {code}"
                 + (f", {bidang}" if bidang else "") + (f", satuan {unit}" if unit else "") + ".")
        extras = {k: _text(v) for k, v in ref.items() if isinstance(v, str | int | float) and _text(v)}
        extras.update({"kodepemda": kode, "sumber_data": "SIPD e-Walidata Kemendagri", "frekuensi": "tahunan"})
        if unit:
            extras["satuan"] = unit
        if notes:
            extras["nilai_bukan_angka"] = "; ".join(notes)
        table = RemoteTable(
            name=f"{title} ({min(with_values)}–{max(with_values)})" if len(with_values) > 1 else
            f"{title} ({next(iter(with_values))})" if with_values else title,
            filename=f"dssd-{kode}-{re.sub(r'[^A-Za-z0-9]+', '-', code).strip('-') or 'indikator'}.csv",
            description="Nilai final DSSD yang diverifikasi walidata di SIPD e-Walidata.",
            fields=[
                {"name": "tahun", "type": "integer", "title": "Tahun"},
                {"name": "kode_wilayah", "type": "string", "title": "Kode pemda (Kemendagri)"},
                {"name": "kode_indikator", "type": "string", "title": "Kode indikator DSSD"},
                {"name": "uraian_indikator", "type": "string", "title": "Uraian indikator"},
                {"name": "nilai", "type": "number", "title": "Nilai"},
                {"name": "satuan", "type": "string", "title": "Satuan"},
            ],
            rows=rows,
        ) if rows else None
        return RemoteDataset(
            remote_id=code,
            name=f"dssd-{kode}-{code}",
            title=title,
            description=(description + "\n\n" + about).strip() if description else about,
            organization=organization,
            frequency="tahunan",
            year=max(with_values) if with_values else None,
            tags=["dssd", "sipd"],
            extras=extras,
            daftar=daftar,
            table=table,
            makes_dataset=table is not None,
        )


# ---------------------------------------------------------------------- helpers


def _json(fetched: Fetched) -> Any:
    """The answer as JSON (what ``GuardedSession.get_json`` checks, for an answer already read
    with our own headers)."""
    content_type = fetched.headers.get("content-type", "").lower()
    head = fetched.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if "html" in content_type.split(";")[0] or head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(f"SIPD ({fetched.url}) mengirim halaman HTML, bukan data JSON: biasanya halaman login, "
                         "pemeliharaan, atau alamat yang salah. Periksa alamat sumber (bawaan "
                         f"{OFFICIAL_URL}) dan tokennya.", url=fetched.url, status=fetched.status)
    text = fetched.text().lstrip("\ufeff")
    if not text.strip():
        return []
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FetchError(f"JSON dari SIPD ({fetched.url}) rusak pada baris {exc.lineno}, kolom {exc.colno} "
                         f"({exc.msg}). Coba lagi nanti; bila berlanjut, laporkan ke Kemendagri.",
                         url=fetched.url, status=fetched.status) from exc


def _array(data: Any, url: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of an answer: an array of objects (or an object holding one under ``data``),
    each with ``required``; else a :class:`HarvestError` saying what was expected."""
    expected = f"larik JSON berisi objek dengan kunci {', '.join(required)}"
    if isinstance(data, dict):
        inner = data.get("data")
        if isinstance(inner, list):
            data = inner
        else:
            said = _text(data.get("message") or data.get("msg") or data.get("error") or "")[:200]
            keys = ", ".join(sorted(map(str, data))[:10]) or "-"
            raise HarvestError(f"SIPD ({url}) tidak mengirim daftar yang diharapkan ({expected}), melainkan objek "
                               f"dengan kunci {keys}" + (f": \"{said}\"" if said else "") + ". Periksa token, kode "
                               "pemda dan alamat sumber.")
    if not isinstance(data, list):
        raise HarvestError(f"SIPD ({url}) mengirim {type(data).__name__}, bukan {expected}. Bentuk jawaban SIPD "
                           "mungkin berubah; hubungi administrator portal.")
    rows = [r for r in data if isinstance(r, dict)]
    if len(rows) != len(data):
        raise HarvestError(f"SIPD ({url}) mengirim larik yang isinya bukan objek; yang diharapkan: {expected}. "
                           "Bentuk jawaban SIPD mungkin berubah; hubungi administrator portal.")
    if rows:
        missing = [k for k in required if k not in rows[0]]
        if missing:
            keys = ", ".join(sorted(map(str, rows[0]))[:12]) or "-"
            raise HarvestError(f"Bentuk jawaban SIPD ({url}) berubah: baris tidak memuat {', '.join(missing)} "
                               f"(yang ada: {keys}); yang diharapkan: {expected}. Tidak ada yang diubah di portal; "
                               "hubungi administrator portal.")
    return rows


def _total(rows: list[dict[str, Any]]) -> int | None:
    try:
        return int(str(rows[0].get("rowtotal"))) if rows and rows[0].get("rowtotal") is not None else None
    except ValueError:
        return None


def _year(value: Any) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else None
