"""The PPID's signed documents on the web: the applicant downloads theirs through the tracking
link, the officers from the request's page, and anyone may check a document on the public
verification page (``/ppid/verifikasi``): upload the PDF, or type its number."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from satudata.errors import Unauthenticated
from satudata.extensions import limiter
from satudata.ppid import notices, services
from satudata.ppid.models import InformationRequest, Notice

bp = Blueprint("ppid_notices", __name__)

VERIFY_LIMIT = "30 per hour"  # checks per client address: a person checks a few letters, a script many


@bp.app_context_processor
def _documents() -> dict[str, Any]:
    """``ppid_documents(req)`` and the kinds' names, for the pages that list a request's
    documents (``ppid/_documents.html``)."""
    def documents(req: InformationRequest) -> list[Notice]:
        return notices.for_request(req)

    return {"ppid_documents": documents, "ppid_notice_titles": notices.TITLES}


def _pdf(notice: Notice) -> Response:
    response = Response(notice.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{notices.file_name(notice)}"'
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/ppid/lacak/<number>/dokumen/<int:notice_id>")
def applicant_download(number: str, notice_id: int) -> Any:
    """A document of the applicant's request: the tracking code is the key, as on the tracking
    page (a wrong code and a wrong number get the same 404)."""
    req = services.for_applicant(number, request.args.get("kode", ""))
    return _pdf(notices.notice_of(req, notice_id))


@bp.route("/kelola/ppid/<number>/dokumen/<int:notice_id>")
def officer_download(number: str, notice_id: int) -> Any:
    """A document for the officers handling the request and the Atasan PPID deciding one of its
    objections (each opening audited)."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return _pdf(notices.officer_notice(current_user._get_current_object(), number, notice_id))


@bp.route("/ppid/verifikasi", methods=["GET", "POST"])
@limiter.limit(VERIFY_LIMIT, methods=["POST"])
def verify() -> Any:
    """Is this PDF one the PPID sent, unaltered? Reads the upload (up to ``PPID_VERIFY_MAX_BYTES``)
    or looks a number up; changes nothing, shows nothing of the applicant."""
    limit = int(current_app.config["PPID_VERIFY_MAX_BYTES"])
    context: dict[str, Any] = {"max_mb": max(1, limit // (1024 * 1024)), "number": "", "error": None,
                               "result": None, "found": None, "searched": False, "titles": notices.TITLES}
    if request.method == "GET":
        return render_template("ppid/verify.html", **context)
    upload = request.files.get("berkas")
    if upload is not None and upload.filename:
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            context["error"] = _("Berkas terlalu besar (lebih dari %(mb)s MB). Dokumen PPID jauh lebih kecil: "
                                 "pastikan yang diunggah berkas PDF aslinya.", mb=context["max_mb"])
            return render_template("ppid/verify.html", **context), 413
        result = notices.verify(data)
        if result.outcome == "not_pdf":
            context["error"] = _("Berkas ini bukan PDF. Unggah berkas PDF dokumen PPID (tanda bukti, pemberitahuan "
                                 "tertulis, surat keputusan, atau tanggapan keberatan) seperti yang Anda terima.")
            return render_template("ppid/verify.html", **context), 400
        context["result"] = result
        return render_template("ppid/verify.html", **context)
    number = request.form.get("nomor", "").strip()[:80]
    if not number:
        context["error"] = _("Pilih berkas PDF untuk diperiksa, atau tulis nomor dokumennya.")
        return render_template("ppid/verify.html", **context), 400
    context.update(number=number, searched=True, found=notices.find_by_number(number))
    return render_template("ppid/verify.html", **context)

