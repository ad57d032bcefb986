"""What each frictionless error means for a clerk, and what to change, in Bahasa Indonesia or
in the language of the page.

The report keeps frictionless's English messages (they are the standard, and the API returns
them unchanged); the report page shows :func:`explain` beside each error: a short title, what
is wrong, and what to change in the spreadsheet. Constraint and type errors get advice for the
exact constraint or type (``note`` says which, e.g. ``constraint "maximum" is "120"`` or
``type is "integer/default"``).

The texts are Bahasa Indonesia templates marked with :func:`N_` (one of ``pybabel extract``'s
default keywords, so they are in the translation catalogue) and translated only when shown:
:func:`explain` and :func:`summarise` take a ``translate`` function (``flask_babel.gettext`` on
a page, see ``report.present``); without one the texts stay Bahasa Indonesia, as the
``satudata validate`` command prints them. This module imports neither Flask nor Flask-Babel.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from satudata.tabular.patterns import MONTH_NAME_DATE_PATTERN
from satudata.tabular.reference import RESOURCE_PREFIX

Translate = Callable[[str], str]
"""A gettext: a Bahasa Indonesia template (the msgid) -> the template in the wanted language."""


def N_(message: str) -> str:
    """Marks ``message`` for ``pybabel extract`` without translating it: translated when shown."""
    return message


def untranslated(message: str) -> str:
    """The identity :data:`Translate`: Bahasa Indonesia, as written here."""
    return message


def _say(translate: Translate, template: str, **values: Any) -> str:
    """``template`` translated, then its ``%(name)s`` placeholders filled with ``values``."""
    text = translate(template)
    return text % values if values else text


@dataclass(frozen=True)
class Explanation:
    """``judul`` (title), ``masalah`` (what is wrong), ``perbaikan`` (what to change)."""

    judul: str
    masalah: str
    perbaikan: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


# One entry per frictionless error type a table validation can produce.
ERRORS: dict[str, Explanation] = {
    "type-error": Explanation(
        N_("Jenis data tidak sesuai"),
        N_("Isi sel tidak dapat dibaca sebagai jenis data kolom ini (misalnya teks di kolom angka)."),
        N_("Ubah isi sel agar sesuai jenis data kolom, tanpa satuan, spasi atau keterangan tambahan."),
    ),
    "constraint-error": Explanation(
        N_("Aturan kolom dilanggar"),
        N_("Isi sel terbaca, tetapi melanggar aturan yang ditetapkan standar data untuk kolom ini."),
        N_("Periksa nilai sel terhadap aturan kolom (wajib diisi, batas nilai, daftar pilihan, pola)."),
    ),
    "missing-cell": Explanation(
        N_("Sel kurang"),
        N_("Baris ini memiliki lebih sedikit sel daripada jumlah kolom di baris judul."),
        N_("Lengkapi sel yang kosong di ujung baris, atau periksa apakah ada pemisah kolom yang hilang."),
    ),
    "extra-cell": Explanation(
        N_("Sel berlebih"),
        N_("Baris ini memiliki lebih banyak sel daripada jumlah kolom di baris judul."),
        N_("Hapus sel tambahan, atau periksa koma/titik koma di dalam teks yang memecah sel; "
           "teks yang memuat pemisah harus diapit tanda kutip."),
    ),
    "total-row": Explanation(
        N_("Baris jumlah"),
        N_("Baris ini berisi jumlah (total) dari baris-baris di atasnya, bukan data. Grafik, API dan siapa pun "
           "yang menjumlahkan kolom akan menghitung angkanya dua kali."),
        N_("Hapus baris jumlah; portal menjumlahkan sendiri."),
    ),
    "blank-row": Explanation(
        N_("Baris kosong"),
        N_("Seluruh sel di baris ini kosong."),
        N_("Hapus baris kosong dari tabel."),
    ),
    "blank-label": Explanation(
        N_("Judul kolom kosong"),
        N_("Ada kolom yang tidak memiliki judul di baris pertama."),
        N_("Isi judul kolom di baris pertama sesuai standar data, atau hapus kolom yang tidak dipakai."),
    ),
    "blank-header": Explanation(
        N_("Baris judul kosong"),
        N_("Baris pertama tabel kosong, padahal harus berisi judul kolom."),
        N_("Tuliskan judul setiap kolom di baris pertama."),
    ),
    "duplicate-label": Explanation(
        N_("Judul kolom ganda"),
        N_("Dua kolom atau lebih memakai judul yang sama."),
        N_("Beri setiap kolom judul yang berbeda sesuai standar data, atau hapus kolom yang ganda."),
    ),
    "incorrect-label": Explanation(
        N_("Judul kolom tidak sesuai standar"),
        N_("Judul kolom ini berbeda dari nama kolom pada standar data di posisi yang sama."),
        N_("Ganti judul kolom dengan nama pada standar data, dan pastikan urutan kolom sama."),
    ),
    "extra-label": Explanation(
        N_("Kolom tambahan"),
        N_("Tabel memiliki kolom yang tidak ada pada standar data."),
        N_("Hapus kolom tambahan, atau minta walidata menambahkannya ke standar data."),
    ),
    "missing-label": Explanation(
        N_("Kolom tidak ada"),
        N_("Kolom yang diwajibkan standar data tidak ada di tabel."),
        N_("Tambahkan kolom tersebut dengan judul persis seperti pada standar data."),
    ),
    "unmatched-header": Explanation(
        N_("Judul kolom tidak cocok"),
        N_("Tidak satu pun judul kolom cocok dengan standar data."),
        N_("Pastikan baris pertama berisi judul kolom dan standar data yang dipilih benar."),
    ),
    "primary-key": Explanation(
        N_("Kunci utama ganda atau kosong"),
        N_("Nilai kunci utama (kolom pengenal baris) sama dengan baris lain, atau kosong."),
        N_("Pastikan setiap baris punya nilai kunci utama yang terisi dan berbeda; hapus baris ganda."),
    ),
    "unique-error": Explanation(
        N_("Nilai ganda"),
        N_("Kolom ini harus berisi nilai yang berbeda di setiap baris, tetapi nilainya sama dengan baris lain."),
        N_("Perbaiki nilai yang ganda atau hapus baris yang tercatat dua kali."),
    ),
    "foreign-key": Explanation(
        N_("Kode tidak dikenal"),
        N_("Nilai di kolom ini tidak ada di daftar kode rujukan."),
        N_("Gunakan kode yang ada di daftar rujukan (tulis sebagai teks, lengkap dengan titik dan nol di depan)."),
    ),
    "encoding-error": Explanation(
        N_("Enkode teks tidak terbaca"),
        N_("Sebagian teks berkas tidak dapat dibaca dengan enkode yang terdeteksi."),
        N_("Simpan ulang berkas sebagai \"CSV UTF-8\" dari Excel/LibreOffice, lalu unggah lagi."),
    ),
    "format-error": Explanation(
        N_("Format berkas tidak terbaca"),
        N_("Isi berkas tidak sesuai formatnya (misalnya berkas Excel yang diberi nama .csv)."),
        N_("Simpan ulang dalam format yang benar (CSV, XLSX atau JSON) lalu unggah lagi."),
    ),
    "source-error": Explanation(
        N_("Berkas kosong atau tidak terbaca"),
        N_("Berkas tidak berisi tabel yang dapat dibaca."),
        N_("Pastikan berkas berisi baris judul dan data, lalu unggah lagi."),
    ),
    "scheme-error": Explanation(
        N_("Berkas tidak dapat dibuka"),
        N_("Berkas tidak dapat dibaca dari penyimpanan."),
        N_("Unggah ulang berkas; jika masih gagal, hubungi admin portal."),
    ),
    "compression-error": Explanation(
        N_("Berkas terkompresi rusak"),
        N_("Berkas terkompresi tidak dapat dibuka."),
        N_("Unggah berkas tanpa kompresi (CSV atau XLSX)."),
    ),
    "schema-error": Explanation(
        N_("Standar data tidak valid"),
        N_("Table Schema yang dipakai tidak valid."),
        N_("Hubungi walidata untuk memperbaiki standar data."),
    ),
    "field-error": Explanation(
        N_("Definisi kolom tidak valid"),
        N_("Ada kolom pada standar data yang definisinya tidak valid."),
        N_("Hubungi walidata untuk memperbaiki standar data."),
    ),
    "resource-error": Explanation(
        N_("Sumber data tidak valid"),
        N_("Keterangan sumber data (berkas dan standar) tidak valid."),
        N_("Hubungi admin portal."),
    ),
    "hash-count": Explanation(
        N_("Sidik berkas berbeda"),
        N_("Isi berkas berbeda dari sidik (hash) yang dicatat."),
        N_("Unggah ulang berkas aslinya."),
    ),
    "byte-count": Explanation(
        N_("Ukuran berkas berbeda"),
        N_("Ukuran berkas berbeda dari yang dicatat."),
        N_("Unggah ulang berkas aslinya."),
    ),
    "field-count": Explanation(
        N_("Jumlah kolom berbeda"),
        N_("Jumlah kolom berbeda dari yang dicatat."),
        N_("Periksa kolom tabel terhadap standar data."),
    ),
    "row-count": Explanation(
        N_("Jumlah baris berbeda"),
        N_("Jumlah baris berbeda dari yang dicatat."),
        N_("Periksa apakah ada baris yang hilang atau bertambah."),
    ),
}

GENERIC = Explanation(
    N_("Kesalahan lain"),
    N_("Tabel tidak memenuhi standar data."),
    N_("Baca pesan kesalahan (dalam bahasa Inggris) untuk rinciannya, atau hubungi walidata."),
)

# What a type error means for each field type, and what is accepted.
TYPES: dict[str, str] = {
    "integer": N_("bilangan bulat tanpa titik atau koma ribuan, misalnya 1250"),
    "number": N_("angka dengan titik sebagai pemisah desimal dan tanpa pemisah ribuan, misalnya 1250.5"),
    "year": N_("tahun empat angka, misalnya 2025"),
    "yearmonth": N_("tahun dan bulan, misalnya 2025-03"),
    "date": N_("tanggal berformat TTTT-BB-HH, misalnya 2025-03-31"),
    "datetime": N_("tanggal dan jam berformat TTTT-BB-HHTjj:mm:dd, misalnya 2025-03-31T14:30:00"),
    "time": N_("jam berformat jj:mm:dd, misalnya 14:30:00"),
    "boolean": N_("true atau false (atau 1/0)"),
    "string": N_("teks"),
    "geopoint": N_("titik koordinat \"lintang,bujur\", misalnya \"0.5071,101.4478\""),
    "object": N_("objek JSON"),
    "array": N_("array JSON"),
}

_NOTE_CONSTRAINT = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"$', re.S)
_NOTE_TYPE = re.compile(r'type is "(?P<type>[\w]+)/(?P<format>[^"]*)"')


def _listing(value: str) -> str:
    """``['L', 'P']`` (how frictionless prints an enum) as ``L, P``."""
    try:
        items = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return ", ".join(str(i) for i in items) if isinstance(items, list) else value


def _constraint_advice(name: str, value: str, translate: Translate) -> tuple[str, str]:
    """(masalah, perbaikan) for a constraint error."""
    t = translate
    match name:
        case "required":
            return (t(N_("Kolom ini wajib diisi, tetapi selnya kosong.")),
                    t(N_("Isi sel tersebut; jika datanya memang tidak ada, tanyakan ke walidata cara menandainya.")))
        case "minimum":
            return (_say(t, N_("Nilai lebih kecil dari batas bawah %(value)s."), value=value),
                    _say(t, N_("Gunakan nilai %(value)s atau lebih besar."), value=value))
        case "maximum":
            return (_say(t, N_("Nilai lebih besar dari batas atas %(value)s."), value=value),
                    _say(t, N_("Gunakan nilai %(value)s atau lebih kecil."), value=value))
        case "exclusiveMinimum":
            return (_say(t, N_("Nilai harus lebih besar dari %(value)s."), value=value),
                    _say(t, N_("Gunakan nilai di atas %(value)s."), value=value))
        case "exclusiveMaximum":
            return (_say(t, N_("Nilai harus lebih kecil dari %(value)s."), value=value),
                    _say(t, N_("Gunakan nilai di bawah %(value)s."), value=value))
        case "minLength":
            return (_say(t, N_("Teks lebih pendek dari %(value)s karakter."), value=value),
                    _say(t, N_("Lengkapi isinya sampai minimal %(value)s karakter."), value=value))
        case "maxLength":
            return (_say(t, N_("Teks lebih panjang dari %(value)s karakter."), value=value),
                    _say(t, N_("Persingkat isinya menjadi paling banyak %(value)s karakter."), value=value))
        case "enum":
            return (t(N_("Nilai tidak termasuk daftar pilihan yang diizinkan.")),
                    _say(t, N_("Pilih salah satu nilai ini (huruf besar/kecil harus sama): %(values)s."),
                         values=_listing(value)))
        case "pattern" if value == MONTH_NAME_DATE_PATTERN:
            return (t(N_("Tanggal tidak tertulis sebagai tanggal dengan nama bulan yang dikenali.")),
                    t(N_("Tulis seperti 17 Agustus 2025: tanggal 1–31, nama bulan Indonesia lengkap (Januari … "
                         "Desember), tahun empat angka. Periksa salah ketik nama bulannya.")))
        case "pattern":
            return (t(N_("Nilai tidak mengikuti pola (format penulisan) kolom ini.")),
                    _say(t, N_("Tulis nilai sesuai pola %(pattern)s; contoh nilai yang benar ada di keterangan "
                               "standar data."), pattern=value))
    base = ERRORS["constraint-error"]
    return t(base.masalah), t(base.perbaikan)


_MARKS = {".": N_("titik"), ",": N_("koma"), " ": N_("spasi"), "'": N_("apostrof")}


def _mark(char: str, translate: Translate) -> str:
    """A separator by name ("titik"), or as Python writes it when it has none."""
    return translate(_MARKS[char]) if char in _MARKS else repr(char)


def _written(group: str, decimal: str, translate: Translate = untranslated) -> str:
    """How a number field with these separators wants its numbers written."""
    t = translate
    example = f"1{group}250{decimal}5" if group else f"1250{decimal}5"
    grouping = (_say(t, N_("%(mark)s sebagai pemisah ribuan"), mark=_mark(group, t)) if group
                else t(N_("tanpa pemisah ribuan")))
    return _say(t, N_("angka dengan %(mark)s sebagai pemisah desimal dan %(grouping)s, misalnya %(example)s"),
                mark=_mark(decimal, t), grouping=grouping, example=example)


def explain(error: dict[str, Any], written: tuple[str, str] | None = None,
            translate: Translate | None = None) -> dict[str, str]:
    """The explanation of one error of a report (a dict as in ``report["tasks"][0]["errors"]``).
    ``written``: the ``(groupChar, decimalChar)`` of the error's column when its Table Schema
    writes numbers with separators ("34.645"), so the advice shows that way of writing.
    ``translate``: the gettext of the page's language; without it the texts are Bahasa Indonesia."""
    t = translate or untranslated
    kind = str(error.get("type", ""))
    base = ERRORS.get(kind, GENERIC)
    note = str(error.get("note") or "")
    masalah, perbaikan = t(base.masalah), t(base.perbaikan)
    if kind == "constraint-error":
        m = _NOTE_CONSTRAINT.search(note)
        if m:
            masalah, perbaikan = _constraint_advice(m["name"], m["value"], t)
    elif kind == "type-error":
        m = _NOTE_TYPE.search(note)
        if m:
            expected = t(TYPES[m["type"]]) if m["type"] in TYPES else m["type"]
            if m["type"] == "number" and written is not None:
                expected = _written(*written, translate=t)
            fmt = m["format"]
            if fmt not in ("default", "any", ""):
                expected = _say(t, N_("%(expected)s dengan format %(format)s"), expected=expected, format=fmt)
            masalah = _say(t, N_('Isi sel "%(cell)s" tidak dapat dibaca sebagai %(expected)s.'),
                           cell=error.get("cell", ""), expected=expected)
            perbaikan = _say(t, N_("Tulis nilai sebagai %(expected)s. Hapus satuan, spasi dan keterangan dari sel."),
                             expected=expected)
    elif kind == "foreign-key" and RESOURCE_PREFIX in note:
        values = ", ".join(str(v) for v in error.get("fieldCells") or error.get("fieldValues") or [])
        masalah = _say(t, N_('Kode wilayah "%(values)s" tidak ada di daftar kode wilayah Kemendagri yang dipakai '
                             "standar data."), values=values)
        perbaikan = t(N_("Gunakan kode wilayah Kemendagri yang benar, ditulis sebagai teks dengan titik "
                         "(misalnya 14.07.03). Di Excel, format kolom sebagai Teks agar nol di belakang "
                         "(14.10) tidak hilang."))
    elif kind == "total-row":
        label = re.search(r'label "(?P<label>[^"]*)"; sums in (?P<columns>.*)$', note)
        if label:
            masalah = _say(t, N_('Baris "%(label)s" berisi jumlah dari baris-baris di atasnya (kolom %(columns)s), '
                                 "bukan data. Grafik, API dan siapa pun yang menjumlahkan kolom akan "
                                 "menghitungnya dua kali."), label=label["label"], columns=label["columns"])
    elif kind == "primary-key" and "None" in note:
        masalah = t(N_("Kolom kunci utama baris ini kosong."))
        perbaikan = t(N_("Isi kolom kunci utama (pengenal baris) di baris ini."))
    return Explanation(t(base.judul), masalah, perbaikan).to_dict()


def summarise(report: dict[str, Any], translate: Translate | None = None) -> dict[str, Any]:
    """A summary for the report page: valid, error count per type (with its title), warnings.
    ``translate`` as for :func:`explain`."""
    say = translate or untranslated
    tasks = report.get("tasks") or []
    errors = [e for t in tasks for e in t.get("errors", [])] + list(report.get("errors") or [])
    counts: dict[str, int] = {}
    for error in errors:
        counts[error.get("type", "error")] = counts.get(error.get("type", "error"), 0) + 1
    warnings = [w for t in tasks for w in t.get("warnings", [])]
    return {
        "valid": bool(report.get("valid")),
        "errors": len(errors),
        "by_type": [{"type": k, "judul": say(ERRORS.get(k, GENERIC).judul), "count": v}
                    for k, v in sorted(counts.items(), key=lambda kv: -kv[1])],
        "truncated": any(w.startswith("reached error limit") for w in warnings),
    }
