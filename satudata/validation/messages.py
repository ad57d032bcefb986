"""What each frictionless error means for a clerk, in Bahasa Indonesia, and what to change.

The report keeps frictionless's English messages (they are the standard, and the API returns
them unchanged); the report page shows :func:`explain` beside each error: a short title, what
is wrong, and what to change in the spreadsheet. Constraint and type errors get advice for the
exact constraint or type (``note`` says which, e.g. ``constraint "maximum" is "120"`` or
``type is "integer/default"``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass
from typing import Any

from satudata.tabular.patterns import MONTH_NAME_DATE_PATTERN
from satudata.tabular.reference import RESOURCE_PREFIX


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
        "Jenis data tidak sesuai",
        "Isi sel tidak dapat dibaca sebagai jenis data kolom ini (misalnya teks di kolom angka).",
        "Ubah isi sel agar sesuai jenis data kolom, tanpa satuan, spasi atau keterangan tambahan.",
    ),
    "constraint-error": Explanation(
        "Aturan kolom dilanggar",
        "Isi sel terbaca, tetapi melanggar aturan yang ditetapkan standar data untuk kolom ini.",
        "Periksa nilai sel terhadap aturan kolom (wajib diisi, batas nilai, daftar pilihan, pola).",
    ),
    "missing-cell": Explanation(
        "Sel kurang",
        "Baris ini memiliki lebih sedikit sel daripada jumlah kolom di baris judul.",
        "Lengkapi sel yang kosong di ujung baris, atau periksa apakah ada pemisah kolom yang hilang.",
    ),
    "extra-cell": Explanation(
        "Sel berlebih",
        "Baris ini memiliki lebih banyak sel daripada jumlah kolom di baris judul.",
        "Hapus sel tambahan, atau periksa koma/titik koma di dalam teks yang memecah sel; "
        "teks yang memuat pemisah harus diapit tanda kutip.",
    ),
    "total-row": Explanation(
        "Baris jumlah",
        "Baris ini berisi jumlah (total) dari baris-baris di atasnya, bukan data. Grafik, API dan siapa pun "
        "yang menjumlahkan kolom akan menghitung angkanya dua kali.",
        "Hapus baris jumlah; portal menjumlahkan sendiri.",
    ),
    "blank-row": Explanation(
        "Baris kosong",
        "Seluruh sel di baris ini kosong.",
        "Hapus baris kosong dari tabel.",
    ),
    "blank-label": Explanation(
        "Judul kolom kosong",
        "Ada kolom yang tidak memiliki judul di baris pertama.",
        "Isi judul kolom di baris pertama sesuai standar data, atau hapus kolom yang tidak dipakai.",
    ),
    "blank-header": Explanation(
        "Baris judul kosong",
        "Baris pertama tabel kosong, padahal harus berisi judul kolom.",
        "Tuliskan judul setiap kolom di baris pertama.",
    ),
    "duplicate-label": Explanation(
        "Judul kolom ganda",
        "Dua kolom atau lebih memakai judul yang sama.",
        "Beri setiap kolom judul yang berbeda sesuai standar data, atau hapus kolom yang ganda.",
    ),
    "incorrect-label": Explanation(
        "Judul kolom tidak sesuai standar",
        "Judul kolom ini berbeda dari nama kolom pada standar data di posisi yang sama.",
        "Ganti judul kolom dengan nama pada standar data, dan pastikan urutan kolom sama.",
    ),
    "extra-label": Explanation(
        "Kolom tambahan",
        "Tabel memiliki kolom yang tidak ada pada standar data.",
        "Hapus kolom tambahan, atau minta walidata menambahkannya ke standar data.",
    ),
    "missing-label": Explanation(
        "Kolom tidak ada",
        "Kolom yang diwajibkan standar data tidak ada di tabel.",
        "Tambahkan kolom tersebut dengan judul persis seperti pada standar data.",
    ),
    "unmatched-header": Explanation(
        "Judul kolom tidak cocok",
        "Tidak satu pun judul kolom cocok dengan standar data.",
        "Pastikan baris pertama berisi judul kolom dan standar data yang dipilih benar.",
    ),
    "primary-key": Explanation(
        "Kunci utama ganda atau kosong",
        "Nilai kunci utama (kolom pengenal baris) sama dengan baris lain, atau kosong.",
        "Pastikan setiap baris punya nilai kunci utama yang terisi dan berbeda; hapus baris ganda.",
    ),
    "unique-error": Explanation(
        "Nilai ganda",
        "Kolom ini harus berisi nilai yang berbeda di setiap baris, tetapi nilainya sama dengan baris lain.",
        "Perbaiki nilai yang ganda atau hapus baris yang tercatat dua kali.",
    ),
    "foreign-key": Explanation(
        "Kode tidak dikenal",
        "Nilai di kolom ini tidak ada di daftar kode rujukan.",
        "Gunakan kode yang ada di daftar rujukan (tulis sebagai teks, lengkap dengan titik dan nol di depan).",
    ),
    "encoding-error": Explanation(
        "Enkode teks tidak terbaca",
        "Sebagian teks berkas tidak dapat dibaca dengan enkode yang terdeteksi.",
        "Simpan ulang berkas sebagai \"CSV UTF-8\" dari Excel/LibreOffice, lalu unggah lagi.",
    ),
    "format-error": Explanation(
        "Format berkas tidak terbaca",
        "Isi berkas tidak sesuai formatnya (misalnya berkas Excel yang diberi nama .csv).",
        "Simpan ulang dalam format yang benar (CSV, XLSX atau JSON) lalu unggah lagi.",
    ),
    "source-error": Explanation(
        "Berkas kosong atau tidak terbaca",
        "Berkas tidak berisi tabel yang dapat dibaca.",
        "Pastikan berkas berisi baris judul dan data, lalu unggah lagi.",
    ),
    "scheme-error": Explanation(
        "Berkas tidak dapat dibuka",
        "Berkas tidak dapat dibaca dari penyimpanan.",
        "Unggah ulang berkas; jika masih gagal, hubungi admin portal.",
    ),
    "compression-error": Explanation(
        "Berkas terkompresi rusak",
        "Berkas terkompresi tidak dapat dibuka.",
        "Unggah berkas tanpa kompresi (CSV atau XLSX).",
    ),
    "schema-error": Explanation(
        "Standar data tidak valid",
        "Table Schema yang dipakai tidak valid.",
        "Hubungi walidata untuk memperbaiki standar data.",
    ),
    "field-error": Explanation(
        "Definisi kolom tidak valid",
        "Ada kolom pada standar data yang definisinya tidak valid.",
        "Hubungi walidata untuk memperbaiki standar data.",
    ),
    "resource-error": Explanation(
        "Sumber data tidak valid",
        "Keterangan sumber data (berkas dan standar) tidak valid.",
        "Hubungi admin portal.",
    ),
    "hash-count": Explanation(
        "Sidik berkas berbeda",
        "Isi berkas berbeda dari sidik (hash) yang dicatat.",
        "Unggah ulang berkas aslinya.",
    ),
    "byte-count": Explanation(
        "Ukuran berkas berbeda",
        "Ukuran berkas berbeda dari yang dicatat.",
        "Unggah ulang berkas aslinya.",
    ),
    "field-count": Explanation(
        "Jumlah kolom berbeda",
        "Jumlah kolom berbeda dari yang dicatat.",
        "Periksa kolom tabel terhadap standar data.",
    ),
    "row-count": Explanation(
        "Jumlah baris berbeda",
        "Jumlah baris berbeda dari yang dicatat.",
        "Periksa apakah ada baris yang hilang atau bertambah.",
    ),
}

GENERIC = Explanation(
    "Kesalahan lain",
    "Tabel tidak memenuhi standar data.",
    "Baca pesan kesalahan (dalam bahasa Inggris) untuk rinciannya, atau hubungi walidata.",
)

# What a type error means for each field type, and what is accepted.
TYPES: dict[str, str] = {
    "integer": "bilangan bulat tanpa titik atau koma ribuan, misalnya 1250",
    "number": "angka dengan titik sebagai pemisah desimal dan tanpa pemisah ribuan, misalnya 1250.5",
    "year": "tahun empat angka, misalnya 2025",
    "yearmonth": "tahun dan bulan, misalnya 2025-03",
    "date": "tanggal berformat TTTT-BB-HH, misalnya 2025-03-31",
    "datetime": "tanggal dan jam berformat TTTT-BB-HHTjj:mm:dd, misalnya 2025-03-31T14:30:00",
    "time": "jam berformat jj:mm:dd, misalnya 14:30:00",
    "boolean": "true atau false (atau 1/0)",
    "string": "teks",
    "geopoint": "titik koordinat \"lintang,bujur\", misalnya \"0.5071,101.4478\"",
    "object": "objek JSON",
    "array": "array JSON",
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


def _constraint_advice(name: str, value: str) -> tuple[str, str]:
    """(masalah, perbaikan) for a constraint error."""
    match name:
        case "required":
            return ("Kolom ini wajib diisi, tetapi selnya kosong.",
                    "Isi sel tersebut; jika datanya memang tidak ada, tanyakan ke walidata cara menandainya.")
        case "minimum":
            return (f"Nilai lebih kecil dari batas bawah {value}.", f"Gunakan nilai {value} atau lebih besar.")
        case "maximum":
            return (f"Nilai lebih besar dari batas atas {value}.", f"Gunakan nilai {value} atau lebih kecil.")
        case "exclusiveMinimum":
            return (f"Nilai harus lebih besar dari {value}.", f"Gunakan nilai di atas {value}.")
        case "exclusiveMaximum":
            return (f"Nilai harus lebih kecil dari {value}.", f"Gunakan nilai di bawah {value}.")
        case "minLength":
            return (f"Teks lebih pendek dari {value} karakter.", f"Lengkapi isinya sampai minimal {value} karakter.")
        case "maxLength":
            return (f"Teks lebih panjang dari {value} karakter.", f"Persingkat isinya menjadi paling banyak {value} karakter.")
        case "enum":
            return ("Nilai tidak termasuk daftar pilihan yang diizinkan.",
                    f"Pilih salah satu nilai ini (huruf besar/kecil harus sama): {_listing(value)}.")
        case "pattern" if value == MONTH_NAME_DATE_PATTERN:
            return ("Tanggal tidak tertulis sebagai tanggal dengan nama bulan yang dikenali.",
                    "Tulis seperti 17 Agustus 2025: tanggal 1–31, nama bulan Indonesia lengkap (Januari … Desember), "
                    "tahun empat angka. Periksa salah ketik nama bulannya.")
        case "pattern":
            return ("Nilai tidak mengikuti pola (format penulisan) kolom ini.",
                    f"Tulis nilai sesuai pola {value}; contoh nilai yang benar ada di keterangan standar data.")
    return ERRORS["constraint-error"].masalah, ERRORS["constraint-error"].perbaikan


_MARKS = {".": "titik", ",": "koma", " ": "spasi", "'": "apostrof"}


def _written(group: str, decimal: str) -> str:
    """How a number field with these separators wants its numbers written."""
    example = f"1{group}250{decimal}5" if group else f"1250{decimal}5"
    grouping = f"{_MARKS.get(group, repr(group))} sebagai pemisah ribuan" if group else "tanpa pemisah ribuan"
    return f"angka dengan {_MARKS.get(decimal, repr(decimal))} sebagai pemisah desimal dan {grouping}, " \
           f"misalnya {example}"


def explain(error: dict[str, Any], written: tuple[str, str] | None = None) -> dict[str, str]:
    """The explanation of one error of a report (a dict as in ``report["tasks"][0]["errors"]``).
    ``written``: the ``(groupChar, decimalChar)`` of the error's column when its Table Schema
    writes numbers with separators ("34.645"), so the advice shows that way of writing."""
    kind = str(error.get("type", ""))
    base = ERRORS.get(kind, GENERIC)
    note = str(error.get("note") or "")
    masalah, perbaikan = base.masalah, base.perbaikan
    if kind == "constraint-error":
        m = _NOTE_CONSTRAINT.search(note)
        if m:
            masalah, perbaikan = _constraint_advice(m["name"], m["value"])
    elif kind == "type-error":
        m = _NOTE_TYPE.search(note)
        if m:
            expected = TYPES.get(m["type"], m["type"])
            if m["type"] == "number" and written is not None:
                expected = _written(*written)
            fmt = m["format"]
            if fmt not in ("default", "any", ""):
                expected = f"{expected} dengan format {fmt}"
            masalah = f'Isi sel "{error.get("cell", "")}" tidak dapat dibaca sebagai {expected}.'
            perbaikan = f"Tulis nilai sebagai {expected}. Hapus satuan, spasi dan keterangan dari sel."
    elif kind == "foreign-key" and RESOURCE_PREFIX in note:
        values = ", ".join(str(v) for v in error.get("fieldCells") or error.get("fieldValues") or [])
        masalah = f"Kode wilayah \"{values}\" tidak ada di daftar kode wilayah Kemendagri yang dipakai standar data."
        perbaikan = ("Gunakan kode wilayah Kemendagri yang benar, ditulis sebagai teks dengan titik "
                     "(misalnya 14.07.03). Di Excel, format kolom sebagai Teks agar nol di belakang "
                     "(14.10) tidak hilang.")
    elif kind == "total-row":
        label = re.search(r'label "(?P<label>[^"]*)"; sums in (?P<columns>.*)$', note)
        if label:
            masalah = (f'Baris "{label["label"]}" berisi jumlah dari baris-baris di atasnya (kolom {label["columns"]}), '
                       "bukan data. Grafik, API dan siapa pun yang menjumlahkan kolom akan menghitungnya dua kali.")
    elif kind == "primary-key" and "None" in note:
        masalah = "Kolom kunci utama baris ini kosong."
        perbaikan = "Isi kolom kunci utama (pengenal baris) di baris ini."
    return Explanation(base.judul, masalah, perbaikan).to_dict()


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """A summary for the report page: valid, error count per type (with its title), warnings."""
    tasks = report.get("tasks") or []
    errors = [e for t in tasks for e in t.get("errors", [])] + list(report.get("errors") or [])
    counts: dict[str, int] = {}
    for error in errors:
        counts[error.get("type", "error")] = counts.get(error.get("type", "error"), 0) + 1
    warnings = [w for t in tasks for w in t.get("warnings", [])]
    return {
        "valid": bool(report.get("valid")),
        "errors": len(errors),
        "by_type": [{"type": k, "judul": ERRORS.get(k, GENERIC).judul, "count": v}
                    for k, v in sorted(counts.items(), key=lambda kv: -kv[1])],
        "truncated": any(w.startswith("reached error limit") for w in warnings),
    }
