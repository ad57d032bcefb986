"""What the workspace pages share: the blueprint, who is signed in, how a refusal becomes form
errors, the Satu Data field labels in the reader's language, and the template helpers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from marshmallow import ValidationError

from satudata.accounts.models import User
from satudata.catalog.serializers import DatasetFormSchema
from satudata.catalog.services import RevisionClosed
from satudata.errors import DomainError, Invalid, Unauthenticated
from satudata.review.regions import is_reviewer
from satudata.review.transitions import ACTION_LABELS

bp = Blueprint("workspace", __name__, url_prefix="/kelola")


def signed_in() -> User:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()  # type: ignore[no-any-return]


def wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest" or (
        request.accept_mimetypes.best == "application/json")


def form_errors(err: DomainError) -> dict[str, Any]:
    """A refusal as the form templates show it: the message on top, the details per field."""
    return {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}


def load_metadata(form: Any) -> dict[str, Any]:
    try:
        data: dict[str, Any] = DatasetFormSchema().load(form)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
        raise Invalid(_("Periksa isian yang ditandai."), details=messages) from exc
    return data


def expected_event_id() -> int | None:
    """The ``expected_event_id`` a page's form sent back (the last step that page was built on);
    None when the dataset had not moved yet or the form is an old one without it."""
    return request.form.get("expected_event_id", type=int)


def field_labels() -> dict[str, str]:
    """The Satu Data metadata fields (``catalog.METADATA_FIELDS``) by name, in the reader's
    language, as the metadata form names them."""
    return {
        "title": _("Judul"), "description": _("Deskripsi"), "topics": _("Topik"), "tags": _("Kata kunci"),
        "urusan": _("Urusan pemerintahan"), "konsep": _("Konsep"), "definisi": _("Definisi"),
        "klasifikasi": _("Klasifikasi"), "ukuran": _("Ukuran"), "satuan": _("Satuan"), "year": _("Tahun data"),
        "period": _("Periode data"), "frequency": _("Frekuensi pemutakhiran"), "release_date": _("Jadwal rilis"),
        "presentation_level": _("Tingkat penyajian"), "kode_wilayah": _("Kode wilayah Kemendagri"),
        "coverage": _("Nama cakupan wilayah"), "data_source": _("Sumber data"),
        "collection_method": _("Cara pengumpulan"), "data_kind": _("Jenis data"), "data_status": _("Status data"),
        "is_priority": _("Data prioritas"), "access_class": _("Klasifikasi akses"), "licence_id": _("Lisensi"),
        "contact_name": _("Nama penanggung jawab"), "contact_email": _("Email penanggung jawab"),
    }


def action_label(action: str) -> str:
    """A lifecycle step (a ReviewEvent's action) in the reader's language."""
    labels = {
        "submit": _("Diajukan ke walidata"), "retract": _("Pengajuan ditarik produsen"),
        "request_changes": _("Walidata meminta perbaikan"), "publish": _("Disetujui dan diterbitkan"),
        "withdraw": _("Ditarik dari katalog publik"), "republish": _("Diterbitkan kembali"),
        "open_revision": _("Revisi dibuka"), "publish_revision": _("Revisi disetujui dan diterbitkan"),
        "discard_revision": _("Revisi dibuang"),
    }
    return labels.get(action, ACTION_LABELS.get(action, action))


def state_label(state: Any) -> str:
    """A dataset state in the reader's language."""
    labels = {
        "draft": _("Draf"), "submitted": _("Diajukan"), "changes_requested": _("Perlu perbaikan"),
        "published": _("Terbit"), "withdrawn": _("Ditarik"),
    }
    return labels.get(str(state), str(state))


def waiting_label(days: int, hours: int) -> str:
    """How long a submission has waited ("menunggu 3 hari"), in the reader's language."""
    if days >= 1:
        return ngettext("menunggu %(num)s hari", "menunggu %(num)s hari", days)
    if hours >= 1:
        return ngettext("menunggu %(num)s jam", "menunggu %(num)s jam", hours)
    return _("menunggu kurang dari 1 jam")


@bp.errorhandler(RevisionClosed)
def _revision_closed(err: RevisionClosed) -> Any:
    """An old link to a revision (a notification, a bookmark) after it was published or given
    up: the published dataset's page, saying so."""
    flash(_("Revisi itu sudah tidak dibuka: sudah diterbitkan walidata atau dibuang produsen. Ini dataset terbitnya."),
          "info")
    endpoint = request.endpoint or ""
    if endpoint.startswith("workspace.review_") and is_reviewer(signed_in()):
        return redirect(url_for("workspace.review_dataset", slug=err.published.slug))
    return redirect(url_for("workspace.dataset", slug=err.published.slug))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    def reviewer() -> bool:
        return bool(current_user and current_user.is_authenticated and is_reviewer(current_user))

    return {"state_label": state_label, "action_label": action_label, "is_reviewer": reviewer}
