"""Account services: organisations, users, memberships, passwords, and the audit log."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from satudata import jobs
from satudata.accounts import events
from satudata.accounts.models import (
    ApiToken,
    AuditLog,
    Membership,
    Notification,
    Organization,
    OrganizationKind,
    OutboxMessage,
    TokenScope,
    User,
    new_session_stamp,
)
from satudata.authz import Actor, AnonymousActor, Permission, Role, actor_label, require
from satudata.db import utcnow
from satudata.db import write_apart as db_write_apart
from satudata.errors import Conflict, Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.security import public_url

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
RESET_MAX_AGE = 60 * 60  # a reset link works for one hour
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "sdp_"
MAX_ROW_ID = 2**31 - 1  # the largest id an INTEGER key holds on PostgreSQL

# The one answer to a failed sign-in, whatever the cause (unknown name, wrong password, locked
# account), so the answer never tells whether an account exists or is locked.
SIGN_IN_REFUSED = "Tidak dapat masuk: nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara."
SIGN_IN_ADVICE = ("Periksa lalu coba lagi. Setelah 5 kali gagal berturut-turut akun dikunci 15 menit; "
                  "bila Anda lupa kata sandi, buat yang baru lewat tautan \"Lupa kata sandi?\".")

def _hasher() -> PasswordHasher:
    """argon2id with the configured cost (the defaults are argon2-cffi's recommended ones;
    the test suite lowers them, since verification reads the cost from each hash)."""
    cfg = current_app.config
    return PasswordHasher(time_cost=int(cfg["ARGON2_TIME_COST"]), memory_cost=int(cfg["ARGON2_MEMORY_COST"]))


def audit(actor: Actor, action: str, obj_type: str, obj_id: Any, summary: dict[str, Any] | None = None) -> None:
    """Record a mutating action in the audit log (same transaction as the change)."""
    ip = request.remote_addr if has_request_context() else None
    db.session.add(
        AuditLog(
            actor_id=getattr(actor, "id", None),
            actor_label=actor_label(actor),
            action=action,
            object_type=obj_type,
            object_id=str(obj_id),
            summary=summary or {},
            ip=ip,
        )
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        verify_dummy(password)  # an account without a password answers no faster than one with
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_organization(slug: str) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        raise NotFound(f"Organisasi '{slug}' tidak ditemukan.")
    return org


def list_organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def create_organization(
    actor: Actor,
    *,
    slug: str,
    name: str,
    kind: OrganizationKind | str,
    kode_wilayah: str | None = None,
    parent: Organization | None = None,
    **fields: Any,
) -> Organization:
    """Create an organisation (a region's government or an OPD)."""
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    kind_value = OrganizationKind.parse(kind)
    if kind_value is None:
        raise Invalid("Jenis organisasi tidak dikenal.", details={"kind": [f"Pilih salah satu: {', '.join(OrganizationKind.values())}"]})
    if db.session.scalar(select(func.count()).select_from(Organization).where(Organization.slug == slug)):
        raise Conflict(f"Organisasi dengan slug '{slug}' sudah ada.")
    org = Organization(slug=slug, name=name, kind=kind_value, kode_wilayah=kode_wilayah, parent=parent, **fields)
    db.session.add(org)
    db.session.flush()
    audit(actor, "organization.create", "organization", org.id, {"slug": slug, "name": name})
    return org


def create_user(
    actor: Actor,
    *,
    username: str,
    email: str,
    full_name: str,
    password: str | None = None,
    roles: list[tuple[Role | str, Organization]] | None = None,
) -> User:
    """Create a staff user, optionally with roles in organisations."""
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    exists = db.session.scalar(
        select(func.count()).select_from(User).where((User.username == username) | (User.email == email))
    )
    if exists:
        raise Conflict("Nama pengguna atau email sudah terdaftar.")
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    for role, org in roles or []:
        role_value = Role.parse(role)
        if role_value is None:
            raise Invalid(f"Peran '{role}' tidak dikenal.", details={"role": [f"Pilih salah satu: {', '.join(Role.values())}"]})
        user.memberships.append(Membership(role=role_value, organization=org))
    db.session.flush()
    audit(actor, "user.create", "user", user.id, {"username": username, "roles": [str(r) for r, _ in roles or []]})
    return user


# --------------------------------------------------------------------------- passwords, sign-in


def check_password_rules(user: User | None, password: str) -> None:
    """Refuse passwords that are too short or are the user's own name."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if user is not None and password.lower() in {user.username.lower(), user.email.lower()}:
        problems.append("Kata sandi tidak boleh sama dengan nama pengguna atau email.")
    if problems:
        raise Invalid(problems[0], details={"password": problems})


def authenticate(login: str, password: str) -> User:
    """Check a sign-in attempt (no actor yet: the credentials are the authority).

    Five failures in a row lock the account for 15 minutes; a deactivated account cannot sign
    in. Every attempt is audited. An unknown name, a wrong password and a locked account get
    the same answer (``SIGN_IN_REFUSED``) after the same argon2 work, so neither the answer
    nor its timing tells whether an account exists or is locked. Only the right password of a
    deactivated account hears that it is deactivated.

    A refusal keeps what it wrote (the failure count, the lockout, the audit row): the unit of
    work commits them and the refusal still stands (``keep_changes``).
    """
    user = db.session.scalar(select(User).where((User.username == login) | (User.email == login)))
    now = utcnow()
    refused = Invalid(SIGN_IN_REFUSED, details={"password": [SIGN_IN_ADVICE]}, keep_changes=True)
    if user is None:
        verify_dummy(password)
        audit(AnonymousActor(), "user.login_failed", "user", "-", {"login": login[:80], "reason": "unknown"})
        raise refused
    if user.locked_until is not None and user.locked_until > now:
        verify_dummy(password)  # not even the right password opens a locked account
        audit(AnonymousActor(), "user.login_failed", "user", user.id, {"reason": "locked"})
        raise refused
    if not verify_password(user, password):
        user.failed_logins += 1
        reason = "password"
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            reason = "locked_now"
        audit(AnonymousActor(), "user.login_failed", "user", user.id, {"reason": reason})
        raise refused
    if not user.active:
        audit(AnonymousActor(), "user.login_failed", "user", user.id, {"reason": "inactive"})
        raise Forbidden("Akun ini sudah dinonaktifkan. Hubungi admin portal bila ini keliru.", keep_changes=True)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit(user, "user.login", "user", user.id)
    return user


def load_session_user(identity: str) -> User | None:
    """The user a session or remember-me cookie names (``User.get_id()``: "<id>:<session
    stamp>"), or ``None`` when the account is gone, deactivated, or its stamp has changed since
    the cookie was made (sign-out, password change or reset, deactivation)."""
    user_id, _, stamp = identity.partition(":")
    if not stamp or not _is_row_id(user_id):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_stamp.encode(), stamp.encode()):
        return None
    return user


def session_user_id(identity: str) -> int | None:
    """The user id in a session identity, whether or not that session is still valid."""
    user_id = identity.partition(":")[0]
    return int(user_id) if _is_row_id(user_id) else None


def end_sessions(user: User) -> None:
    """End every session and remember-me cookie of ``user`` (a new stamp no old cookie holds).
    Internal: called by services that already required; the caller signs in again if the
    current session should continue."""
    user.session_stamp = new_session_stamp()


def sign_out(actor: Actor, user: User) -> None:
    """Sign ``user`` out everywhere: a saved copy of any of their session cookies stops
    working, not only the one in this browser."""
    require(actor, Permission.ACCOUNTS_SELF_MANAGE, user)
    end_sessions(user)
    audit(actor, "user.logout", "user", user.id)


def _is_row_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and len(raw) <= 10 and 0 < int(raw) <= MAX_ROW_ID


_DUMMY_HASH: str | None = None


def verify_dummy(password: str) -> None:
    """Spend the same time as a real check, so response time does not reveal usernames."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher().hash(secrets.token_hex(16))
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher().verify(_DUMMY_HASH, password)


def change_password(actor: Actor, user: User, current: str, new: str) -> None:
    """A user changes their own password, proving they know the current one."""
    require(actor, Permission.ACCOUNTS_SELF_MANAGE, user)
    if not verify_password(user, current):
        raise Invalid("Kata sandi saat ini salah.", details={"current_password": ["Kata sandi saat ini salah."]})
    check_password_rules(user, new)
    user.password_hash = hash_password(new)
    end_sessions(user)  # a cookie stolen before the change stops working
    audit(actor, "user.password_change", "user", user.id)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_stamp(user: User) -> str:
    # Changes whenever the password does, so a link works once.
    return hashlib.sha256((user.password_hash or "-").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"u": user.id, "s": _password_stamp(user)})


def request_password_reset(email: str, reset_url: str) -> None:
    """Mail a single-use, one-hour reset link when ``email`` belongs to an active user.

    The caller shows the same answer either way, so the form does not reveal who has an
    account. ``reset_url`` is the link with ``{token}`` in it.
    """
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        audit(AnonymousActor(), "user.password_reset_request", "user", "-", {"known": False})
        return
    link = reset_url.format(token=make_reset_token(user))
    queue_mail(
        user.email,
        "Atur ulang kata sandi Satu Data",
        f"Halo {user.full_name},\n\nSeseorang (semoga Anda) meminta pengaturan ulang kata sandi akun "
        f"{user.username}. Buka tautan ini dalam satu jam untuk membuat kata sandi baru:\n\n{link}\n\n"
        "Tautan hanya dapat dipakai sekali. Bila Anda tidak memintanya, abaikan email ini; kata sandi "
        "Anda tidak berubah.\n",
    )
    audit(AnonymousActor(), "user.password_reset_request", "user", user.id, {"known": True})


def reset_password(token: str, new: str) -> User:
    """Set a new password from a reset link (the signed token is the authority)."""
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise Invalid("Tautan pengaturan ulang sudah kedaluwarsa. Minta tautan baru.") from exc
    except BadSignature as exc:
        raise Invalid("Tautan pengaturan ulang tidak valid. Minta tautan baru.") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or data.get("s") != _password_stamp(user):
        raise Invalid("Tautan pengaturan ulang sudah dipakai atau tidak berlaku lagi. Minta tautan baru.")
    if not user.active:
        raise Forbidden("Akun ini sudah dinonaktifkan.")
    check_password_rules(user, new)
    user.password_hash = hash_password(new)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)  # whoever held a session (a lost phone, a stolen cookie) is signed out
    audit(AnonymousActor(), "user.password_reset", "user", user.id)
    return user


# --------------------------------------------------------------------------- API tokens


def _token_hash(secret: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_token(actor: Actor, user: User, name: str, scope: TokenScope | str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is never stored."""
    require(actor, Permission.ACCOUNTS_SELF_MANAGE, user)
    scope_value = TokenScope.parse(scope)
    if scope_value is None:
        raise Invalid("Cakupan token harus 'read' atau 'write'.", details={"scope": ["Pilih read atau write."]})
    name = name.strip()
    if not name:
        raise Invalid("Beri nama token, misalnya 'Skrip unggah Dinkes'.", details={"name": ["Nama wajib diisi."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=secret[:12], token_hash=_token_hash(secret), scope=scope_value)
    db.session.add(token)
    db.session.flush()
    audit(actor, "token.create", "api_token", token.id, {"name": token.name, "scope": str(scope_value)})
    return token, secret


def revoke_api_token(actor: Actor, token: ApiToken) -> None:
    require(actor, Permission.ACCOUNTS_SELF_MANAGE, token.user)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit(actor, "token.revoke", "api_token", token.id, {"name": token.name})


def get_user_token(user: User, token_id: int) -> ApiToken:
    if not 0 < token_id <= MAX_ROW_ID:
        raise NotFound("Token tidak ditemukan.")
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None:
        raise NotFound("Token tidak ditemukan.")
    return token


def list_user_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())))


def authenticate_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active user and token for a bearer secret, or ``None``; records last use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        # At most once a minute (a busy script should not write per call), and apart from the
        # request's unit of work: the use stands even when the call is refused, and parallel
        # calls with one token do not queue on its row while each runs.
        db_write_apart(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        set_committed_value(token, "last_used_at", now)
    return token.user, token


# --------------------------------------------------------------------------- administration


ORG_FIELDS = ("name", "acronym", "kind", "kode_wilayah", "region_name", "is_walidata", "description",
              "email", "phone", "website", "address")


def update_organization(actor: Actor, org: Organization, *, parent: Organization | None = None, **fields: Any) -> Organization:
    """Edit an organisation; ``parent`` may not make the hierarchy circular."""
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE, org)
    before = {k: str(getattr(org, k)) for k in fields if k in ORG_FIELDS}
    parent_before, region_before = org.parent_id, org.kode_wilayah
    for key, value in fields.items():
        if key not in ORG_FIELDS:
            raise Invalid(f"Kolom '{key}' tidak dapat diubah.")
        if key == "kind":
            value = OrganizationKind.parse(value)
            if value is None:
                raise Invalid("Jenis organisasi tidak dikenal.", details={"kind": [", ".join(OrganizationKind.values())]})
        setattr(org, key, value)
    probe = parent
    while probe is not None:
        if probe.id == org.id:
            raise Invalid("Induk organisasi tidak boleh organisasi itu sendiri atau bawahannya.",
                          details={"parent": ["Pilih induk lain."]})
        probe = probe.parent
    org.parent = parent
    audit(actor, "organization.update", "organization", org.id,
          {"before": before, "after": {k: str(getattr(org, k)) for k in before}})
    db.session.flush()
    if before.get("name") not in (None, org.name) or org.parent_id != parent_before \
            or org.kode_wilayah != region_before:
        events.organization_renamed.send(org)  # its datasets are found by its name and region
    if org.kode_wilayah != region_before:
        for child in org.children:  # an OPD without a code of its own is in its government's region
            if not child.kode_wilayah:
                events.organization_renamed.send(child)
    return org


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id) if 0 < user_id <= MAX_ROW_ID else None
    if user is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return user


def get_user_by_username(username: str) -> User:
    """A user by username (the CLI names users so); ``NotFound`` saying which when there is none."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f'Pengguna "{username.strip()[:80]}" tidak ditemukan.')
    return user


def get_membership(user_id: int, membership_id: int) -> Membership:
    """One role of one user (both ids from a URL)."""
    found = db.session.get(Membership, membership_id) if 0 < membership_id <= MAX_ROW_ID else None
    if found is None or found.user_id != user_id:
        raise NotFound("Peran tidak ditemukan.")
    return found


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.full_name)))


def set_user_active(actor: Actor, user: User, active: bool) -> None:
    """Deactivate (or reactivate) a user. History stays; sessions and tokens stop working."""
    require(actor, Permission.ACCOUNTS_USER_MANAGE, user)
    if getattr(actor, "id", None) == user.id and not active:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if user.active != active:
        user.active = active
        if not active:
            end_sessions(user)  # reactivating the account later does not revive them
        audit(actor, "user.activate" if active else "user.deactivate", "user", user.id)


def assign_role(actor: Actor, user: User, role: Role | str, org: Organization) -> Membership:
    require(actor, Permission.ACCOUNTS_USER_MANAGE, user)
    role_value = Role.parse(role)
    if role_value is None:
        raise Invalid(f"Peran '{role}' tidak dikenal.", details={"role": [", ".join(Role.values())]})
    existing = next((m for m in user.memberships if m.role == role_value and m.organization_id == org.id), None)
    if existing is not None:
        return existing  # assigning twice (a double click) changes nothing
    membership = Membership(user=user, organization=org, role=role_value)
    db.session.add(membership)
    db.session.flush()
    audit(actor, "membership.create", "user", user.id, {"role": str(role_value), "organization": org.slug})
    return membership


def remove_role(actor: Actor, membership: Membership) -> None:
    require(actor, Permission.ACCOUNTS_USER_MANAGE, membership.user)
    audit(actor, "membership.delete", "user", membership.user_id,
          {"role": str(membership.role), "organization": membership.organization.slug})
    db.session.delete(membership)


# --------------------------------------------------------------------------- audit log


MAX_PAGE = 100_000


def parse_page(raw: str | None) -> int:
    """A page number from a query string: ASCII digits, 1..MAX_PAGE."""
    if raw is None or raw == "":
        return 1
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Invalid(f"Nomor halaman harus bilangan bulat 1–{MAX_PAGE}.",
                      details={"page": [f"Bilangan bulat 1–{MAX_PAGE}."]})
    return int(raw)


AUDIT_FILTERS = ("actor", "action", "object_type", "object_id", "since", "until")


def _audit_query(filters: dict[str, str]) -> Any:
    q = select(AuditLog)
    for key, value in filters.items():
        if not value:
            continue
        if key == "actor":
            q = q.where(AuditLog.actor_label.contains(value))
        elif key == "action":
            q = q.where(AuditLog.action.startswith(value))
        elif key == "object_type":
            q = q.where(AuditLog.object_type == value)
        elif key == "object_id":
            q = q.where(AuditLog.object_id == value)
        elif key in ("since", "until"):
            try:
                stamp = datetime.fromisoformat(value)
            except ValueError as exc:
                raise Invalid(f"Tanggal '{value}' tidak valid; gunakan format 2026-01-31.",
                              details={key: ["Format tanggal: YYYY-MM-DD."]}) from exc
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))
            if key == "until" and len(value) == 10:
                stamp += timedelta(days=1)
            q = q.where(AuditLog.at >= stamp) if key == "since" else q.where(AuditLog.at < stamp)
        else:
            raise Invalid(f"Filter '{key}' tidak dikenal.", details={key: [", ".join(AUDIT_FILTERS)]})
    return q


def list_audit(actor: Actor, filters: dict[str, str], page: int = 1, per_page: int = 50) -> tuple[list[AuditLog], int]:
    require(actor, Permission.ACCOUNTS_AUDIT_READ)
    q = _audit_query(filters)
    total = db.session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = list(db.session.scalars(q.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                                   .offset((page - 1) * per_page).limit(per_page)))
    return rows, total


AUDIT_EXPORT_PAGE = 500
# A spreadsheet evaluates a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """``value`` as a spreadsheet will show it, never run it: a leading apostrophe before a
    formula character (OWASP's advice for CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_audit_csv(actor: Actor, filters: dict[str, str]) -> Iterator[str]:
    """The filtered audit log as CSV, oldest first, for streaming.

    Authorisation and the filters are checked now, before the first byte. The rows are read
    later, while the answer streams, after the request's own database session has ended: so
    they are read page by page (keyed on time and id), each page in a short session of its
    own, holding no connection while the client downloads.
    """
    require(actor, Permission.ACCOUNTS_AUDIT_READ)
    return _audit_csv_chunks(db.engine, _audit_query(filters))


def _audit_csv_chunks(engine: Engine, query: Select[Any]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["waktu_utc", "aktor", "aksi", "jenis_objek", "id_objek", "ringkasan", "ip"])
    after: tuple[datetime, int] | None = None
    while True:
        page = query.order_by(AuditLog.at, AuditLog.id).limit(AUDIT_EXPORT_PAGE)
        if after is not None:
            page = page.where(or_(AuditLog.at > after[0], and_(AuditLog.at == after[0], AuditLog.id > after[1])))
        with Session(engine) as session:
            rows = list(session.scalars(page))
            for row in rows:
                writer.writerow([csv_cell(str(v)) for v in (
                    row.at.isoformat(), row.actor_label, row.action, row.object_type, row.object_id,
                    json.dumps(row.summary, ensure_ascii=False), row.ip or "")])
        if rows:
            after = (rows[-1].at, rows[-1].id)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        if len(rows) < AUDIT_EXPORT_PAGE:
            return


# --------------------------------------------------------------------------- mail


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Put a mail in the outbox (same transaction as the caller) and ask the mail queue to send
    it after commit. If Redis is down the row stays pending and the periodic sweep sends it."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    jobs.enqueue("satudata.accounts.tasks.deliver_mail", message.id, queue="mail")
    return message


# --------------------------------------------------------------------------- notifications

NOTIFICATIONS_PER_PAGE = 50


def notify(users: list[User], *, kind: str, title: str, body: str, url: str | None = None,
           mail: bool = True) -> list[Notification]:
    """Tell ``users`` about something in their work: a row in each one's in-app list and, with
    ``mail``, the same text by e-mail through the outbox (same transaction as the caller, so
    nothing is told about a change that rolls back). Inactive accounts and repeats are skipped.
    Internal: the callers (lifecycle side effects) were authorised for the change itself."""
    made: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.active:
            continue
        seen.add(user.id)
        note = Notification(user_id=user.id, kind=kind, title=title[:300], body=body, url=url)
        db.session.add(note)
        made.append(note)
        if mail and user.email:
            link = f"\n\n{public_url(url)}" if url else ""
            queue_mail(user.email, title[:255], f"Yth. {user.full_name},\n\n{body}{link}\n\n"
                       f"— {current_app.config['SITE_NAME']}")
    db.session.flush()
    return made


def list_notifications(user: User, *, page: int = 1) -> tuple[list[Notification], int]:
    """``user``'s notifications, newest first, one page, and how many there are in all."""
    base = select(Notification).where(Notification.user_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.scalars(base.order_by(Notification.id.desc())
                              .offset((page - 1) * NOTIFICATIONS_PER_PAGE).limit(NOTIFICATIONS_PER_PAGE))
    return list(rows), total


def unread_notifications(user: User) -> int:
    """How many of ``user``'s notifications are unread (the header badge)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_notifications_read(actor: Actor, *, notification_id: int | None = None) -> int:
    """Mark one of the actor's own notifications read (``notification_id``), or all of them;
    how many changed. Another user's notification is "not found"."""
    require(actor, Permission.ACCOUNTS_SELF_MANAGE, actor)
    q = update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))  # type: ignore[union-attr]
    if notification_id is not None:
        if db.session.scalar(select(Notification.id).where(
                Notification.id == notification_id, Notification.user_id == actor.id)) is None:  # type: ignore[union-attr]
            raise NotFound("Pemberitahuan itu tidak ada.")
        q = q.where(Notification.id == notification_id)
    changed = int(db.session.execute(q.values(read_at=utcnow()).execution_options(
        synchronize_session=False)).rowcount or 0)  # type: ignore[attr-defined]
    if changed:
        audit(actor, "notification.read", "user", actor.id, {"count": changed,  # type: ignore[union-attr]
                                                             "notification": notification_id})
    return changed


def users_with_role(role: Role | str, organization_ids: set[int]) -> list[User]:
    """The active users holding ``role`` in any of ``organization_ids`` (whom to tell about
    work in those organisations)."""
    if not organization_ids:
        return []
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.role == Role(role), Membership.organization_id.in_(sorted(organization_ids)),
               User.active.is_(True))
        .order_by(User.id).distinct()))
