"""The applicant's identity, as UU PDP (27/2022) wants it kept: the NIK checked for plausibility,
stored encrypted, and masked in anything published.

A NIK (Nomor Induk Kependudukan) has 16 digits: the region of registration (province, kabupaten
or kota, kecamatan: 2 + 2 + 2), the date of birth as ``DDMMYY`` (40 added to the day for a
woman), and a serial number. :func:`nik_problem` refuses what cannot be one, in Bahasa
Indonesia; :func:`mask_numbers` hides every NIK-like 16-digit number in a text the public sees.

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


def mask_numbers(text: str) -> str:
    """``text`` with every NIK-like 16-digit number (also written in groups) masked to its first
    six digits, the region: ``140701••••••••••``."""
    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return digits[:6] + "•" * 10

    return _NIK_LIKE.sub(masked, text or "")


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
