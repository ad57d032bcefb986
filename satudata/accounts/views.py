"""Staff pages: sign-in and out, own password and API tokens, password reset by email, and
the admin pages for organisations, users with their roles, and the audit log."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from satudata.accounts import serializers as ser
from satudata.accounts import services
from satudata.accounts.models import OrganizationKind, TokenScope, User
from satudata.authz import Actor, Permission, Role, require
from satudata.db import unit_of_work
from satudata.errors import DomainError, Invalid, Unauthenticated, roll_back_refused
from satudata.extensions import db, limiter
from satudata.security import LOGIN_LIMIT, RESET_LIMIT

bp = Blueprint("accounts", __name__)


def actor() -> Actor:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def signed_in() -> User:
    """The signed-in user, or a redirect to the sign-in page."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return actor()  # type: ignore[return-value]


def _safe_next(target: str | None, user: Any = None) -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect); without
    one, each role lands where its work is."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return _landing(user)


def _landing(user: Any) -> str:
    """Where a role's work is: admins on the admin home, producers and walidata on "Kelola
    data" (the walidata's review work is at its top), PPID officers on their inbox, the Atasan
    PPID on the objections, everyone else on their account page."""
    if user is None or not getattr(user, "is_authenticated", False):
        return url_for("accounts.profile")
    if user.is_admin:
        return url_for("accounts.admin_home")
    if user.has_role(Role.PRODUSEN) or user.has_role(Role.WALIDATA):
        return url_for("workspace.dashboard")
    if user.has_role(Role.PPID_UTAMA) or user.has_role(Role.PPID_PELAKSANA):
        return url_for("ppid.inbox")
    if user.has_role(Role.ATASAN_PPID):
        return url_for("ppid.objection_inbox")
    return url_for("accounts.profile")


def _page() -> int:
    return services.parse_page(request.args.get("page"))


@bp.before_app_request
def _refuse_ended_sessions() -> None:
    """A session that no longer names a signed-in user ends here, with a message: its user was
    deactivated or deleted, or signed out (or changed the password) since the cookie was made,
    so this may be a saved copy of an old cookie. The refusal is audited."""
    identity = session.get("_user_id")
    if identity and not current_user.is_authenticated:
        user_id = services.session_user_id(str(identity))
        user = db.session.get(User, user_id) if user_id is not None else None
        logout_user()
        session.pop("_user_id", None)
        if user is None:
            return
        reason = "ended" if user.active else "inactive"
        # A unit of work of its own (this hook runs before the view's unit): the refusal's audit
        # row stands whatever the view then does.
        with unit_of_work():
            services.audit(user, "user.session_refused", "user", user.id, {"reason": reason})
        if reason == "ended":
            flash(_("Sesi ini sudah berakhir karena akun ini keluar atau kata sandinya diganti. "
                    "Silakan masuk lagi."), "error")
        else:
            flash(_("Akun Anda sudah dinonaktifkan, jadi sesi ini diakhiri. Hubungi admin portal bila ini keliru."),
                  "error")


# --------------------------------------------------------------------------- sign-in


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> Any:
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url, actor()))
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            data = ser.load_form(ser.LoginSchema(), request.form)
            user = services.authenticate(str(data["login"]), str(data["password"]))
            _fresh_session()  # a fresh session on sign-in (no fixation)
            login_user(user)
            flash(_("Selamat datang, %(name)s.", name=user.full_name), "success")
            return redirect(_safe_next(next_url, user))
        except DomainError as err:
            errors = {"_form": [err.message], **err.details}
            status = err.status if err.status in (403, 429) else 400
    return render_template("accounts/login.html", errors=errors, next=next_url or "",
                           login=request.form.get("login", "")), status


def _fresh_session() -> None:
    """Empty the session, keeping only the language the visitor chose: signing in or out in
    English stays in English."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.post("/keluar")
def logout() -> Any:
    if current_user.is_authenticated:
        user = signed_in()
        services.sign_out(user, user)  # every copy of this session's cookie stops working
    _fresh_session()
    logout_user()  # after clear(): it leaves the note that deletes a remember-me cookie
    flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("catalog.home"))


@bp.route("/akun/lupa-kata-sandi", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def forgot_password() -> Any:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.ResetRequestSchema(), request.form)
            link = url_for("accounts.reset_password", token="TOKEN", _external=True).replace("TOKEN", "{token}")
            services.request_password_reset(str(data["email"]), link)
            return render_template("accounts/forgot_sent.html")
        except Invalid as err:
            errors = err.details
    return render_template("accounts/forgot.html", errors=errors), 400 if errors else 200


@bp.route("/akun/atur-ulang/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT, methods=["POST"])
def reset_password(token: str) -> Any:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.ResetSchema(), request.form)
            services.reset_password(token, str(data["new_password"]))
            flash(_("Kata sandi baru sudah disimpan. Silakan masuk."), "success")
            return redirect(url_for("accounts.login"))
        except DomainError as err:
            roll_back_refused(err)  # a refusal is audited as access.denied
            errors = {"_form": [err.message], **err.details}
    return render_template("accounts/reset.html", token=token, errors=errors), 400 if errors else 200


# --------------------------------------------------------------------------- own account


def _profile_page(user: User, *, new_token: dict[str, str] | None = None,
                  errors: dict[str, Any] | None = None) -> str:
    # Each rendering of the token form gets a one-time id, so sending the same form twice (a
    # browser reload of the page that shows a new secret) cannot create a second token.
    # The last few stay valid, so a second tab (or an earlier rendering) still works.
    form_id = secrets.token_urlsafe(16)
    session["token_forms"] = [*session.get("token_forms", [])[-(OPEN_TOKEN_FORMS - 1):], form_id]
    return render_template("accounts/profile.html", user=user, tokens=services.list_user_tokens(user),
                           new_token=new_token, scopes=TokenScope.values(), errors=errors or {},
                           token_form=form_id)


OPEN_TOKEN_FORMS = 5  # renderings of the token form whose submission is still accepted


@bp.get("/akun")
def profile() -> Any:
    return _profile_page(signed_in())


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
def change_password() -> Any:
    user = signed_in()
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.PasswordChangeSchema(), request.form)
            services.change_password(user, user, str(data["current_password"]), str(data["new_password"]))
            login_user(user)  # this session continues under the new stamp; every other one ended
            flash(_("Kata sandi sudah diganti."), "success")
            flash(_("Akun ini sudah dikeluarkan dari semua perangkat dan peramban lain."), "success")
            return redirect(url_for("accounts.profile"))
        except DomainError as err:
            roll_back_refused(err)  # a refusal is audited as access.denied
            errors = {"_form": [err.message], **err.details}
    return render_template("accounts/password.html", errors=errors), 400 if errors else 200


@bp.post("/akun/token")
def create_token() -> Any:
    user = signed_in()
    form_id = request.form.get("token_form", "")
    open_forms = [str(f) for f in session.get("token_forms", [])]
    match = next((f for f in open_forms if secrets.compare_digest(form_id.encode(), f.encode())), None)
    if match is not None:
        session["token_forms"] = [f for f in open_forms if f != match]
    if not form_id or match is None:
        flash(_("Tidak ada token yang dibuat: formulir itu sudah pernah dikirim atau sudah usang. Rahasia token "
                "hanya ditampilkan sekali; bila belum sempat Anda salin, cabut token itu lalu buat yang baru "
                "dengan formulir di bawah."), "error")
        return redirect(url_for("accounts.profile", _anchor="token"), 303)
    try:
        data = ser.load_form(ser.TokenCreateSchema(), request.form)
        token, secret = services.create_api_token(user, user, str(data["name"]), str(data["scope"]))
    except DomainError as err:
        roll_back_refused(err)  # a refusal is audited as access.denied
        return _profile_page(user, errors={"_form": [err.message], **err.details}), 400
    # The secret is shown in this answer only: never in the session cookie (signed, not
    # encrypted, and replayable), never stored, never cached.
    page = _profile_page(user, new_token={"name": token.name, "secret": secret, "scope": str(token.scope)})
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/akun/token/<int:token_id>/cabut")
def revoke_token(token_id: int) -> Any:
    user = signed_in()
    token = services.get_user_token(user, token_id)
    services.revoke_api_token(user, token)
    flash(_("Token \"%(name)s\" sudah dicabut.", name=token.name), "success")
    return redirect(url_for("accounts.profile"))


# --------------------------------------------------------------------------- administration


def admin(permission: Permission) -> User:
    user = signed_in()
    require(user, permission)
    return user


@bp.get("/admin")
def admin_home() -> Any:
    """The admin tools that exist on this portal, each with what it is for."""
    user = admin(Permission.ACCOUNTS_USER_MANAGE)
    tools = [
        ("accounts.admin_users", _("Pengguna"), _("Akun petugas, peran mereka di setiap OPD, dan penonaktifan akun.")),
        ("accounts.admin_organizations", _("Organisasi"), _("Pemerintah daerah, OPD dan walidata, beserta kode wilayahnya.")),
        ("accounts.admin_audit", _("Log audit"), _("Siapa melakukan apa dan kapan; dapat disaring dan diunduh sebagai CSV.")),
        ("workspace.review_queue", _("Antrean pemeriksaan"), _("Pengajuan dataset yang menunggu walidata.")),
        ("daftar.manage", _("Daftar Data"), _("Daftar data tahunan dan jadwal rilisnya.")),
        ("standards.index", _("Standar data"), _("Pustaka Table Schema yang dipakai untuk memvalidasi tabel.")),
        ("search.synonyms", _("Sinonim pencarian"), _("Kata-kata yang dianggap sama oleh pencarian katalog.")),
        ("ppid_calendar.manage", _("Kalender hari kerja PPID"),
         _("Libur daerah dan koreksi cuti bersama; tenggat permohonan yang berjalan dihitung ulang.")),
        ("workspace.dashboard", _("Kelola data"), _("Semua dataset di ruang kerja, menurut status.")),
    ]
    available = [(url_for(endpoint), label, text) for endpoint, label, text in tools
                 if endpoint in current_app.view_functions]
    return render_template("admin/home.html", tools=available, user=user)


@bp.get("/admin/organisasi")
def admin_organizations() -> Any:
    admin(Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    return render_template("admin/organizations.html", organizations=services.list_organizations())


def _org_form_values(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    parent_slug = data.pop("parent", None)
    parent = services.get_organization(parent_slug) if parent_slug else None
    return data, parent


@bp.route("/admin/organisasi/baru", methods=["GET", "POST"])
def admin_organization_new() -> Any:
    user = admin(Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.OrganizationForm(), request.form)
            if not data.get("slug"):
                raise Invalid(_("Slug wajib diisi."), details={"slug": [_("Wajib diisi.")]})
            values, parent = _org_form_values(data)
            org = services.create_organization(user, parent=parent, **values)  # type: ignore[arg-type]
            flash(_("Organisasi %(name)s dibuat.", name=org.name), "success")
            return redirect(url_for("accounts.admin_organizations"))
        except DomainError as err:
            roll_back_refused(err)  # a refusal is audited as access.denied
            errors = {"_form": [err.message], **err.details}
    return render_template("admin/organization_form.html", org=None, form=request.form, errors=errors,
                           kinds=OrganizationKind.values(), organizations=services.list_organizations()), \
        400 if errors else 200


@bp.route("/admin/organisasi/<slug>/ubah", methods=["GET", "POST"])
def admin_organization_edit(slug: str) -> Any:
    user = admin(Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    org = services.get_organization(slug)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.OrganizationForm(), request.form)
            data.pop("slug", None)  # the slug is part of public URLs; it does not change
            values, parent = _org_form_values(data)
            services.update_organization(user, org, parent=parent, **values)
            flash(_("Perubahan %(name)s disimpan.", name=org.name), "success")
            return redirect(url_for("accounts.admin_organizations"))
        except DomainError as err:
            roll_back_refused(err)  # a refusal is audited as access.denied
            errors = {"_form": [err.message], **err.details}
    form = request.form if request.method == "POST" else {
        **{k: getattr(org, k) or "" for k in services.ORG_FIELDS}, "kind": str(org.kind),
        "parent": org.parent.slug if org.parent else "", "slug": org.slug}
    return render_template("admin/organization_form.html", org=org, form=form, errors=errors,
                           kinds=OrganizationKind.values(),
                           organizations=[o for o in services.list_organizations() if o.id != org.id]), \
        400 if errors else 200


@bp.get("/admin/pengguna")
def admin_users() -> Any:
    admin(Permission.ACCOUNTS_USER_MANAGE)
    return render_template("admin/users.html", users=services.list_users())


@bp.route("/admin/pengguna/baru", methods=["GET", "POST"])
def admin_user_new() -> Any:
    user = admin(Permission.ACCOUNTS_USER_MANAGE)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = ser.load_form(ser.UserCreateForm(), request.form)
            roles = []
            if data.get("role"):
                roles.append((str(data["role"]), services.get_organization(str(data["organization"]))))
            password = data.get("password")
            if password:
                services.check_password_rules(None, str(password))
            created = services.create_user(user, username=str(data["username"]), email=str(data["email"]).lower(),
                                           full_name=str(data["full_name"]),
                                           password=str(password) if password else None, roles=roles)
            if not password:
                link = url_for("accounts.reset_password", token="TOKEN", _external=True).replace("TOKEN", "{token}")
                services.queue_mail(created.email, "Akun Satu Data Anda",
                                    f"Halo {created.full_name},\n\nAkun {created.username} sudah dibuat untuk Anda. "
                                    f"Buat kata sandi Anda lewat tautan ini (berlaku satu jam):\n\n"
                                    f"{link.format(token=services.make_reset_token(created))}\n")
            flash(_("Pengguna %(name)s dibuat.", name=created.full_name), "success")
            return redirect(url_for("accounts.admin_user", user_id=created.id))
        except DomainError as err:
            roll_back_refused(err)  # a refusal is audited as access.denied
            errors = {"_form": [err.message], **err.details}
    return render_template("admin/user_form.html", form=request.form, errors=errors, roles=Role.values(),
                           organizations=services.list_organizations()), 400 if errors else 200


@bp.get("/admin/pengguna/<int:user_id>")
def admin_user(user_id: int) -> Any:
    admin(Permission.ACCOUNTS_USER_MANAGE)
    return render_template("admin/user.html", user=services.get_user(user_id), roles=Role.values(),
                           organizations=services.list_organizations(), errors={})


@bp.post("/admin/pengguna/<int:user_id>/peran")
def admin_user_role_add(user_id: int) -> Any:
    user = admin(Permission.ACCOUNTS_USER_MANAGE)
    target = services.get_user(user_id)
    try:
        data = ser.load_form(ser.RoleAssignForm(), request.form)
        services.assign_role(user, target, str(data["role"]), services.get_organization(str(data["organization"])))
        flash(_("Peran ditambahkan."), "success")
    except DomainError as err:
        roll_back_refused(err)  # a refusal is audited as access.denied
        return render_template("admin/user.html", user=target, roles=Role.values(),
                               organizations=services.list_organizations(),
                               errors={"_form": [err.message], **err.details}), 400
    return redirect(url_for("accounts.admin_user", user_id=target.id))


@bp.post("/admin/pengguna/<int:user_id>/peran/<int:membership_id>/hapus")
def admin_user_role_remove(user_id: int, membership_id: int) -> Any:
    user = admin(Permission.ACCOUNTS_USER_MANAGE)
    membership = services.get_membership(user_id, membership_id)
    services.remove_role(user, membership)
    flash(_("Peran dihapus."), "success")
    return redirect(url_for("accounts.admin_user", user_id=user_id))


@bp.post("/admin/pengguna/<int:user_id>/status")
def admin_user_status(user_id: int) -> Any:
    user = admin(Permission.ACCOUNTS_USER_MANAGE)
    target = services.get_user(user_id)
    active = request.form.get("active") == "1"
    services.set_user_active(user, target, active)
    flash(_("Pengguna diaktifkan kembali.") if active else _("Pengguna dinonaktifkan; riwayatnya tetap tersimpan."),
          "success")
    return redirect(url_for("accounts.admin_user", user_id=target.id))


def _audit_filters() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in services.AUDIT_FILTERS if request.args.get(k, "").strip()}


@bp.get("/admin/audit")
def admin_audit() -> Any:
    user = admin(Permission.ACCOUNTS_AUDIT_READ)
    filters = _audit_filters()
    page = _page()
    try:
        rows, total = services.list_audit(user, filters, page=page)
        errors: dict[str, Any] = {}
    except Invalid as err:
        rows, total, errors = [], 0, {"_form": [err.message], **err.details}
    return render_template("admin/audit.html", rows=rows, total=total, page=page, per_page=50,
                           filters=filters, errors=errors), 400 if errors else 200


@bp.get("/admin/audit.csv")
def admin_audit_csv() -> Any:
    user = admin(Permission.ACCOUNTS_AUDIT_READ)
    filters = _audit_filters()
    chunks = services.export_audit_csv(user, filters)  # refuses bad filters before streaming starts
    services.audit(user, "audit.export", "audit_log", "-", {"filters": filters})
    return Response(chunks, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv",
                             "Cache-Control": "no-store"})


# --------------------------------------------------------------------------- notifications


@bp.get("/akun/pemberitahuan")
def notifications() -> Any:
    """The signed-in user's notifications, newest first, unread ones marked."""
    user = signed_in()
    page = _page()
    rows, total = services.list_notifications(user, page=page)
    pages = max(1, -(-total // services.NOTIFICATIONS_PER_PAGE))
    return render_template("accounts/notifications.html", notifications=rows, total=total, page=page, pages=pages,
                           unread=services.unread_notifications(user))


@bp.post("/akun/pemberitahuan/baca")
def notifications_read() -> Any:
    """Mark every notification read."""
    user = signed_in()
    count = services.mark_notifications_read(user)
    flash(_("%(count)s pemberitahuan ditandai sudah dibaca.", count=count) if count
          else _("Tidak ada pemberitahuan yang belum dibaca."), "success")
    return redirect(url_for("accounts.notifications"))


@bp.post("/akun/pemberitahuan/<int:notification_id>")
def notification_open(notification_id: int) -> Any:
    """Mark one notification read and go where it points (a path on this portal)."""
    user = signed_in()
    services.mark_notifications_read(user, notification_id=notification_id)
    target = request.form.get("next", "")
    return redirect(_safe_next(target) if target else url_for("accounts.notifications"))
