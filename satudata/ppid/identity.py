"""The applicant's identity, as UU PDP (27/2022) wants it kept: the NIK checked for plausibility,
stored encrypted, and masked in anything published.

A NIK (Nomor Induk Kependudukan) has 16 digits: the region of registration (province, kabupaten
or kota, kecamatan: 2 + 2 + 2), the date of birth as ``DDMMYY`` (40 added to the day for a
woman), and a serial number. :func:`nik_problem` refuses what cannot be one, in Bahasa
Indonesia; :func:`mask_numbers` hides every NIK-like 16-digit number (and the phone numbers and
email addresses applicants write into their requests) in a text the public sees.

Encryption is Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``), with the key from
``PPID_IDENTITY_KEY`` (a Fernet key), or else derived from ``SECRET_KEY`` (HKDF-SHA256), so a
fresh ``make run`` works and an operator can rotate it apart from the session secret.
"""

from __future__ import annotations

import base64
import re
from datetime import date

NIK_LENGTH = 16
# 16 digits, possibly grouped by single spaces, dots or dashes ("1471 0245 0390 0007").
_NIK_LIKE = re.compile(r"(?<![\d.-])\d(?:[ .-]?\d){15}(?![\d]|[ .-]\d)")


def nik_problem(nik: str) -> str | None:
    """Why ``nik`` cannot be a NIK (``None``: it can)."""
    from satudata import reference

    digits = (nik or "").strip()
    if not digits:
        return "NIK wajib diisi untuk pemohon perorangan (16 angka sesuai KTP)."
    if not digits.isdigit() or len(digits) != NIK_LENGTH:
        return f"NIK harus 16 angka (yang dikirim {len(digits)} karakter{'' if digits.isdigit() else ', tidak semuanya angka'})."
    regions = reference.regions()
    province, regency = digits[:2], f"{digits[:2]}.{digits[2:4]}"
    if province not in regions:
        return f"NIK tidak dikenali: {province} bukan kode provinsi. Periksa enam angka pertama NIK pada KTP."
    if regency not in regions:
        return f"NIK tidak dikenali: {digits[:4]} bukan kode kabupaten/kota. Periksa enam angka pertama NIK pada KTP."
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40  # a woman's NIK
    try:
        date(2000 + year, month, day)
    except ValueError:
        return "NIK tidak dikenali: angka ke-7 sampai ke-12 harus tanggal lahir (HHBBTT). Periksa kembali."
    if digits[12:] == "0000":
        return "NIK tidak dikenali: empat angka terakhir tidak boleh 0000."
    return None


# An Indonesian mobile number (08.., 628.., +62 8..), possibly grouped ("0812-6634-2187"), and an
# email address: applicants write them into the request's text ("kirim ke ..., WA ...").
_PHONE_LIKE = re.compile(r"(?<![\d.,+-])(?:\+62|62|0)[ .-]?8\d(?:[ .-]?\d){7,10}(?![\d]|[ .-]\d)")
_MONEY_LIKE = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 62.850.000.000 is an amount, not a phone number
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_numbers(text: str) -> str:
    """``text`` with every NIK-like 16-digit number (also written in groups) masked to its first
    six digits, the region: ``140701••••••••••``; every mobile phone number to its first four
    (``0812••••••••``); and every email address (``•••@•••``)."""
    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return digits[:6] + "•" * 10

    def masked_phone(match: re.Match[str]) -> str:
        if _MONEY_LIKE.fullmatch(match.group(0)):
            return match.group(0)
        digits = re.sub(r"\D", "", match.group(0))
        return digits[:4] + "•" * (len(digits) - 4)

    text = _NIK_LIKE.sub(masked, text or "")
    return _EMAIL_LIKE.sub("•••@•••", _PHONE_LIKE.sub(masked_phone, text))


def _fernet(key: str | None, secret: str) -> object:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if key:
        return Fernet(key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"satudata ppid identity").derive(
        secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(value: str, *, key: str | None, secret: str) -> str:
    """``value`` encrypted (text, safe to store)."""
    return _fernet(key, secret).encrypt(value.encode()).decode()  # type: ignore[attr-defined]


def decrypt(token: str, *, key: str | None, secret: str) -> str:
    """The value :func:`encrypt` stored; ``ValueError`` when the key does not open it."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(key, secret).decrypt(token.encode()).decode()  # type: ignore[attr-defined,no-any-return]
    except InvalidToken as exc:
        raise ValueError("identitas tidak dapat dibuka dengan kunci yang berlaku") from exc


# --------------------------------------------------------------------------- the identity scan

SCAN_TYPES = {  # what a scan of a KTP, a deed or a surat kuasa may be, known by its first bytes
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
SCAN_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def scan_type(data: bytes) -> str | None:
    """The media type of a scan from its content (never from its name or the browser's word)."""
    for media_type, signatures in SCAN_TYPES.items():
        if any(data.startswith(signature) for signature in signatures):
            return media_type
    return None


def scan_problem(data: bytes, max_bytes: int) -> str | None:
    """Why ``data`` cannot be kept as an identity scan (``None``: it can)."""
    if not data:
        return "Unggah pindaian identitas (KTP, akta/SK badan hukum, atau surat kuasa): berkas JPG, PNG atau PDF."
    if len(data) > max_bytes:
        limit = f"{max_bytes // 1_048_576} MB" if max_bytes >= 1_048_576 else f"{max_bytes // 1024} KB"
        return (f"Pindaian identitas lebih besar dari batas {limit}. Perkecil resolusinya atau "
                "simpan sebagai JPG, lalu unggah lagi.")
    if scan_type(data) is None:
        return "Pindaian identitas harus berupa gambar JPG atau PNG, atau PDF. Berkas ini bukan salah satunya."
    return None


def encrypt_bytes(data: bytes, *, key: str | None, secret: str) -> bytes:
    """``data`` encrypted with the same key as the identity number."""
    return _fernet(key, secret).encrypt(data)  # type: ignore[attr-defined,no-any-return]


def decrypt_bytes(token: bytes, *, key: str | None, secret: str) -> bytes:
    """What :func:`encrypt_bytes` stored; ``ValueError`` when the key does not open it."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(key, secret).decrypt(token)  # type: ignore[attr-defined,no-any-return]
    except InvalidToken as exc:
        raise ValueError("pindaian identitas tidak dapat dibuka dengan kunci yang berlaku") from exc
