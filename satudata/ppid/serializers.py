"""The shapes of public information requests: the request form (web and ``POST
/api/v1/ppid/requests``, same keys), what the applicant sees of their request, and the
anonymised public register. Validation messages read in Bahasa Indonesia."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, post_load, pre_load, validates_schema
from marshmallow.validate import Email

from satudata.ppid.identity import nik_problem
from satudata.ppid.models import ApplicantType, CopyMethod, ObtainMethod
from satudata.rest.fields import Text, length, one_of
from satudata.rest.inputs import BodySchema

INFORMATION_MIN = 10


class RequestInput(BodySchema):
    """A permohonan informasi publik with every field the law asks for (UU 14/2008 Pasal 22,
    Perki SLIP 1/2021). The identity scan goes through the web form only."""

    class Meta(BodySchema.Meta):
        description = "Permohonan informasi publik (tanpa akun)."

    applicant_type = Text(required=True, validate=one_of(ApplicantType.values()), metadata={
        "description": "perorangan (dengan NIK), badan_hukum (dengan nomor akta/SK pengesahan) atau kelompok "
                       "(dengan surat kuasa)."})
    name = Text(required=True, validate=length(200), metadata={"description": "Nama pemohon (atau badan hukum)."})
    nik = Text(load_default="", validate=length(20), metadata={
        "description": "NIK (16 angka, wajib untuk perorangan). Disimpan terenkripsi, tidak pernah ditampilkan ke publik."})
    identity_number = Text(load_default="", validate=length(120), metadata={
        "description": "Nomor akta pendirian/SK pengesahan (badan hukum) atau nomor surat kuasa (kelompok)."})
    email = Text(load_default="", validate=length(254), metadata={
        "description": "Surel: tanda terima dan pemberitahuan dikirim ke sini."})
    phone = Text(load_default="", validate=length(40), metadata={"description": "Nomor telepon/HP."})
    address = Text(required=True, validate=length(1000), metadata={"description": "Alamat pemohon."})
    occupation = Text(load_default="", validate=length(120), metadata={"description": "Pekerjaan."})
    information = Text(required=True, validate=length(5000), metadata={
        "description": "Rincian informasi yang dibutuhkan."})
    purpose = Text(required=True, validate=length(2000), metadata={"description": "Tujuan penggunaan informasi."})
    obtain_method = Text(required=True, validate=one_of(ObtainMethod.values()), metadata={
        "description": "Cara memperoleh informasi: melihat (membaca/mendengarkan/mencatat), salinan_softcopy, "
                       "salinan_hardcopy."})
    copy_method = Text(required=True, validate=one_of(CopyMethod.values()), metadata={
        "description": "Cara mendapatkan salinan: langsung, kurir, pos, faksimili, email."})
    target = Text(load_default="ppid-utama", validate=length(100), metadata={
        "description": "PPID tujuan: ppid-utama, atau slug OPD (PPID Pelaksana)."})

    @pre_load
    def _nik_as_digits(self, data: Any, **_: Any) -> Any:
        """A NIK copied as printed in groups ("1471 0245 0390 0007", dots or dashes) is the same
        number; other characters stay, so the check says what is wrong."""
        if isinstance(data, dict) and isinstance(data.get("nik"), str):
            nik = data["nik"].strip()
            if re.fullmatch(r"[\d .\-]+", nik):
                data = {**data, "nik": re.sub(r"[ .\-]", "", nik)}
        return data

    @post_load
    def _tidy(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Runs of spaces in a name become one; an e-mail address is kept as typed but trimmed."""
        if isinstance(data.get("name"), str):
            data["name"] = " ".join(data["name"].split())
        if isinstance(data.get("email"), str):
            data["email"] = data["email"].strip()
        return data

    @validates_schema
    def _identity_and_contact(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        for key in ("name", "address", "information", "purpose"):
            if key in data and not str(data[key]).strip():
                errors[key] = ["Wajib diisi."]
        if data.get("applicant_type") == ApplicantType.PERORANGAN:
            problem = nik_problem(str(data.get("nik") or ""))
            if problem:
                errors["nik"] = [problem]
        elif data.get("applicant_type") in (ApplicantType.BADAN_HUKUM, ApplicantType.KELOMPOK) \
                and not str(data.get("identity_number") or "").strip():
            errors["identity_number"] = ["Tulis nomor akta/SK pengesahan badan hukum, atau nomor surat kuasa kelompok."]
        email = str(data.get("email") or "").strip()
        if email:
            try:
                Email()(email)
            except ValidationError:
                errors["email"] = ["Alamat surel tidak valid."]
        if not email and not str(data.get("phone") or "").strip():
            errors["email"] = ["Isi surel atau nomor telepon agar PPID dapat menghubungi Anda."]
        if data.get("copy_method") == "email" and not email:
            errors.setdefault("email", []).append("Salinan dikirim lewat surel: isi alamat surel Anda.")
        information = str(data.get("information") or "").strip()
        if information and len(information) < INFORMATION_MIN:
            errors["information"] = ["Jelaskan informasi yang Anda butuhkan (paling sedikit 10 karakter)."]
        if errors:
            raise ValidationError(errors)


class FiledSchema(BodySchema):
    """The answer to a filing: the number, the legal dates and the private tracking address."""

    class Meta(BodySchema.Meta):
        description = "Permohonan yang baru terdaftar."

    number = fields.String(metadata={"description": "Nomor pendaftaran."})
    received_date = fields.Date(metadata={"description": "Tanggal diterima (hari ke-0)."})
    due_date = fields.Date(metadata={"description": "Batas pemberitahuan tertulis: 10 hari kerja (Pasal 22 ayat 7)."})
    tracking_url = fields.String(metadata={"description": "Alamat pelacakan pribadi (mengandung kode rahasia)."})


class RegisterEntrySchema(BodySchema):
    """One request in the public register: never the applicant's name, identity or contact."""

    class Meta(BodySchema.Meta):
        description = "Satu permohonan di register publik (tanpa data pribadi pemohon)."

    number = fields.String(metadata={"description": "Nomor pendaftaran."})
    received_on = fields.String(metadata={"description": "Tanggal diterima (ISO)."})
    due_on = fields.String(metadata={"description": "Batas pemberitahuan tertulis (ISO)."})
    decided_on = fields.String(allow_none=True, metadata={"description": "Tanggal diputuskan (ISO), bila sudah."})
    state = fields.String(metadata={"description": "Kode status."})
    status = fields.String(metadata={"description": "Status dalam Bahasa Indonesia."})
    ppid = fields.String(metadata={"description": "PPID yang menangani."})
    channel = fields.String(metadata={"description": "Saluran: web, email, surat, telepon, langsung."})
    applicant_type = fields.String(metadata={"description": "perorangan, badan_hukum atau kelompok."})
    information = fields.String(allow_none=True, metadata={
        "description": "Rincian informasi (angka mirip NIK disamarkan; null untuk permohonan yang tidak diproses)."})
    working_days = fields.Integer(allow_none=True, metadata={"description": "Lama layanan dalam hari kerja, bila "
                                                                            "sudah diputuskan."})
    late = fields.Boolean(metadata={"description": "Melewati batas waktu."})
    datasets = fields.List(fields.String(), metadata={"description": "Slug dataset terbit yang menjadi jawabannya."})


class DipEntryInput(BodySchema):
    """A line of the Daftar Informasi Publik (the officers' form)."""

    class Meta(BodySchema.Meta):
        description = "Satu baris Daftar Informasi Publik."

    organization = Text(required=True, validate=length(100), metadata={"description": "Slug unit yang menguasai."})
    category = Text(required=True, validate=one_of(["berkala", "serta_merta", "setiap_saat", "dikecualikan"]))
    title = Text(required=True, validate=length(300), metadata={"description": "Ringkasan isi informasi."})
    responsible = Text(required=True, validate=length(200), metadata={"description": "Penanggung jawab."})
    made = Text(load_default="", validate=length(200), metadata={"description": "Waktu dan tempat pembuatan."})
    form = Text(load_default="", validate=length(120), metadata={"description": "Bentuk informasi."})
    retention = Text(load_default="", validate=length(120), metadata={"description": "Jangka waktu penyimpanan."})
    url = Text(load_default="", validate=length(1000), metadata={"description": "Alamat dokumen atau dataset."})
    exemption = Text(load_default="", validate=length(10), metadata={"description": "Huruf Pasal 17 (dikecualikan)."})
    consequence_test = Text(load_default="", validate=length(5000), metadata={"description": "Uji konsekuensi."})

    @validates_schema
    def _exempt_lines(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        for key in ("title", "responsible"):
            if key in data and not str(data[key]).strip():
                errors[key] = ["Wajib diisi."]
        url = str(data.get("url") or "").strip()
        if url and not url.startswith(("https://", "http://", "/")):
            errors["url"] = ["Alamat harus dimulai dengan https:// (atau / untuk halaman portal ini)."]
        if data.get("category") == "dikecualikan":
            letters = [x for x in str(data.get("exemption") or "").replace(",", " ").split() if x]
            if not letters or any(x not in "abcdefghij" or len(x) != 1 for x in letters):
                errors["exemption"] = ["Informasi yang dikecualikan wajib menyebut huruf Pasal 17 (a–j)."]
            if not str(data.get("consequence_test") or "").strip():
                errors["consequence_test"] = ["Informasi yang dikecualikan wajib disertai uji konsekuensi (Pasal 19)."]
        if errors:
            raise ValidationError(errors)
