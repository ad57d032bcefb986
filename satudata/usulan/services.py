"""Data suggestion services: filing and supporting (anyone), the public listings, the similar
suggestions and datasets shown before filing, and the walidata's triage.

Every change starts with ``require()`` and writes an audit row in the caller's unit of work;
nothing here commits. A suggestion's state changes only through :data:`TRANSITIONS`, with a
compare-and-set, so a decision is made once: a double submit (or two walidata at once) gets
``Conflict`` and creates nothing twice. The proposer's name and e-mail never leave this module
but in the decision mail; the e-mail is erased once that mail is queued.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization, OrganizationKind
from satudata.accounts.services import audit, notify, queue_mail, users_with_role
from satudata.authz import Actor, Permission, Role, require
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Frequency, Topic
from satudata.db import utcnow
from satudata.errors import Conflict, DomainError, Gone, Invalid, NotFound
from satudata.extensions import client_network, db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import YEAR_MAX, DaftarDataItem, title_key
from satudata.review.daftar.status import local_today
from satudata.security import public_url
from satudata.usulan import moderation
from satudata.usulan.models import (
    DECIDED_STATES,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    EMAIL_MAX,
    NAME_MAX,
    NOTE_MAX,
    PUBLIC_STATES,
    TITLE_MAX,
    TITLE_MIN,
    Suggestion,
    SuggestionState,
    Support,
)

__all__ = [
    "PER_PAGE", "SORTS", "STATE_LABELS", "TRANSITIONS", "ExistingItem", "Similar", "accept_suggestion",
    "approve_suggestion", "check_suggestion", "client_hash", "count_states", "daftar_organizations", "has_supported",
    "merge_targets", "public_counts", "decline_suggestion", "file_suggestion", "get_public_suggestion", "get_suggestion",
    "government_of", "hide_suggestion", "list_public", "merge_suggestion", "next_year", "opd_choices",
    "point_suggestion", "redirect_suggestion", "region_choices", "similar", "support_suggestion", "topic_choices",
    "triage_list", "triage_scope", "forget_item", "fold", "FORM_KEY", "SUPPORTABLE", "TRIAGE_PER_PAGE", "this_year",
]

AUDIT_TYPE = "usulan_data"
DUPLICATE_WINDOW = timedelta(hours=1)  # the same title from the same address within this is a double send
SUPPORTS_PER_ADDRESS = 3  # an office or a school behind one address counts, a script with fresh cookies not
REASON_MIN = 10
GOVERNMENT_KINDS = (OrganizationKind.PROVINSI, OrganizationKind.KABUPATEN, OrganizationKind.KOTA)
SIMILAR_AT = 0.5  # word overlap (moderation.similarity) from which a title is shown as similar
PER_PAGE = 20
TRIAGE_PER_PAGE = 50
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # the filing form's one-time key (views make it)
WAITING = (SuggestionState.MODERATION, SuggestionState.NEW)  # what the walidata still has to act on
SUPPORTABLE = (SuggestionState.NEW, SuggestionState.ACCEPTED)  # the states that take supports ("Dukung")


@dataclass(frozen=True)
class Move:
    """One move of a suggestion: from which states, to which, and the audit action."""

    sources: tuple[SuggestionState, ...]
    target: SuggestionState
    decision: bool  # a triage decision: stamps who and when, and mails the proposer


S = SuggestionState
TRANSITIONS: dict[str, Move] = {
    "approve": Move((S.MODERATION,), S.NEW, decision=False),
    "accept": Move((S.NEW,), S.ACCEPTED, decision=True),
    "point": Move((S.NEW,), S.EXISTING, decision=True),
    "redirect": Move((S.NEW,), S.PPID, decision=True),
    "decline": Move((S.NEW,), S.DECLINED, decision=True),
    # Only a public suggestion is merged: a held one is approved (or hidden) first, so a merge
    # never publishes what moderation holds.
    "merge": Move((S.NEW,), S.MERGED, decision=True),
    "hide": Move((S.MODERATION, S.NEW, S.ACCEPTED, S.EXISTING, S.PPID, S.DECLINED, S.MERGED), S.HIDDEN,
                 decision=False),
}


# --------------------------------------------------------------------------- regions and choices


def government_of(org: Organization | None) -> Organization | None:
    """The region's government ``org`` belongs to: itself when it is one, else the nearest above."""
    seen: set[int] = set()
    while org is not None and org.id not in seen:
        if org.kind in GOVERNMENT_KINDS:
            return org
        seen.add(org.id)
        org = org.parent
    return None


def region_choices() -> list[Organization]:
    """The regions a suggestion may be about: the governments (province, kabupaten, kota)."""
    return list(db.session.scalars(select(Organization).where(Organization.kind.in_(GOVERNMENT_KINDS))
                                   .order_by(Organization.kode_wilayah, Organization.name)))


def opd_choices() -> list[tuple[Organization, list[Organization]]]:
    """Each region with its OPD, by name (the form's grouped choices)."""
    opds = db.session.scalars(select(Organization).where(Organization.kind == OrganizationKind.OPD)
                              .order_by(Organization.name)).all()
    grouped: dict[int, list[Organization]] = {}
    for opd in opds:
        gov = government_of(opd)
        if gov is not None:
            grouped.setdefault(gov.id, []).append(opd)
    return [(region, grouped.get(region.id, [])) for region in region_choices()]


def topic_choices() -> list[Topic]:
    return catalog.list_topics()


def this_year() -> int:
    """The earliest year a suggestion may be accepted into (WIB): a walidata may add to this
    year's Daftar Data, never to a past year's."""
    return local_today().year


def next_year() -> int:
    """The year a suggestion accepted today goes into: next year's Daftar Data (WIB)."""
    return local_today().year + 1


def client_hash(value: str, purpose: str) -> str:
    """A keyed hash of a client's address or cookie token: enough to count one supporter once,
    never enough to tell who they are (the key is the portal's secret)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _address_hash() -> str:
    return client_hash(client_network(), "alamat") if has_request_context() else ""


# --------------------------------------------------------------------------- reads


def get_suggestion(suggestion_id: int) -> Suggestion:
    found = db.session.get(Suggestion, suggestion_id) if 0 < suggestion_id < 2**31 else None
    if found is None:
        raise NotFound("Usulan data tidak ditemukan.")
    return found


def get_public_suggestion(suggestion_id: int) -> Suggestion:
    """A suggestion as the public may see it: one held for moderation is not found; one hidden
    by moderation is gone, with the moderator's reason."""
    found = get_suggestion(suggestion_id)
    if found.state == S.HIDDEN:
        raise Gone(f"Usulan #{found.id} disembunyikan oleh walidata: {found.hide_reason}",
                   details={"reason": [found.hide_reason]})
    if not found.is_public:
        raise NotFound("Usulan data tidak ditemukan.")
    return found


def fold(text: str) -> str:
    """``text`` as the word search compares it: lower case without accents (``Élèves`` is
    ``eleves``), folded in Python because SQLite's ``lower()`` knows only ASCII."""
    return moderation.fold(text)


def _search_text(title: str, description: str) -> str:
    return fold(f"{title}\n{description}")


def _words_filter(text: str) -> list[Any]:
    """Every word of ``text`` in the title or the description, matched against the folded
    ``search_text`` (suggestions are few; each word is a bounded, escaped pattern)."""
    clauses = []
    for word in text.split()[:8]:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", fold(word[:60])) + "%"
        clauses.append(Suggestion.search_text.like(pattern, escape="\\"))
    return clauses


def _listed() -> tuple[Any, ...]:
    """What a listed suggestion shows (the API, the pages), loaded with the page, not per row."""
    return (selectinload(Suggestion.region), selectinload(Suggestion.organization), selectinload(Suggestion.topic),
            selectinload(Suggestion.daftar_item).selectinload(DaftarDataItem.organization),
            selectinload(Suggestion.daftar_item).selectinload(DaftarDataItem.dataset),
            selectinload(Suggestion.dataset), selectinload(Suggestion.merged_into))


SORTS = {"terbaru": (Suggestion.created_at.desc(), Suggestion.id.desc()),
         "dukungan": (Suggestion.support_count.desc(), Suggestion.created_at.desc(), Suggestion.id.desc())}


def list_public(*, text: str = "", state: SuggestionState | None = None, region: Organization | None = None,
                sort: str = "terbaru", page: int = 1, per_page: int = PER_PAGE) -> tuple[list[Suggestion], int]:
    """A page of public suggestions (never those held or hidden) and how many there are."""
    states = [state] if state is not None and state in PUBLIC_STATES else list(PUBLIC_STATES)
    where = [Suggestion.state.in_(states), *_words_filter(text)]
    if region is not None:
        where.append(Suggestion.region_id == region.id)
    total = db.session.scalar(select(func.count(Suggestion.id)).where(*where)) or 0
    q = (select(Suggestion).where(*where).order_by(*SORTS.get(sort, SORTS["terbaru"]))
         .options(*_listed()).offset((page - 1) * per_page).limit(per_page))
    return list(db.session.scalars(q)), total


def public_counts(region: Organization | None = None) -> dict[SuggestionState, int]:
    """How many public suggestions are in each public state."""
    q = select(Suggestion.state, func.count(Suggestion.id)).where(Suggestion.state.in_(PUBLIC_STATES))
    if region is not None:
        q = q.where(Suggestion.region_id == region.id)
    counts = dict.fromkeys(PUBLIC_STATES, 0)
    counts.update({SuggestionState(s): n for s, n in db.session.execute(q.group_by(Suggestion.state))})
    return counts


def triage_scope(actor: Actor) -> set[int] | None:
    """The regions (organisation ids) whose suggestions ``actor`` triages; None: all (admins)."""
    return daftar.managed_organization_ids(actor)


def triage_list(actor: Actor, *, state: SuggestionState | None = None, text: str = "",
                region: Organization | None = None, page: int = 1,
                per_page: int = TRIAGE_PER_PAGE) -> tuple[list[Suggestion], int]:
    """A page of the suggestions of ``actor``'s regions, the ones waiting (held, new) first,
    then the newest, and how many there are."""
    require(actor, Permission.USULAN_TRIAGE)
    where = [*_words_filter(text)]
    scope = triage_scope(actor)
    if scope is not None:
        where.append(Suggestion.region_id.in_(scope or [-1]))
    if region is not None:
        where.append(Suggestion.region_id == region.id)
    if state is not None:
        where.append(Suggestion.state == state)
    total = db.session.scalar(select(func.count(Suggestion.id)).where(*where)) or 0
    q = (select(Suggestion).where(*where)
         .order_by(case((Suggestion.state.in_(WAITING), 0), else_=1), Suggestion.created_at.desc(),
                   Suggestion.id.desc())
         .options(*_listed()).offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(db.session.scalars(q)), total


def count_states(actor: Actor, region: Organization | None = None) -> dict[SuggestionState, int]:
    """How many suggestions of ``actor``'s regions are in each state."""
    require(actor, Permission.USULAN_TRIAGE)
    q = select(Suggestion.state, func.count(Suggestion.id))
    scope = triage_scope(actor)
    if scope is not None:
        q = q.where(Suggestion.region_id.in_(scope or [-1]))
    if region is not None:
        q = q.where(Suggestion.region_id == region.id)
    counts = dict.fromkeys(SuggestionState, 0)
    counts.update({SuggestionState(s): n for s, n in db.session.execute(q.group_by(Suggestion.state))})
    return counts


def merge_targets(suggestion: Suggestion) -> list[Suggestion]:
    """The suggestions a duplicate may be merged into: the region's public, undecided or decided
    ones that are not merged themselves, the most alike first."""
    rows = db.session.scalars(select(Suggestion).where(
        Suggestion.region_id == suggestion.region_id, Suggestion.id != suggestion.id,
        Suggestion.state.in_([S.NEW, *DECIDED_STATES])).order_by(Suggestion.created_at.desc()).limit(300)).all()
    words = moderation.title_words(suggestion.title)
    return sorted(rows, key=lambda s: -moderation.similarity(words, moderation.title_words(s.title)))


@dataclass
class Similar:
    """What already exists like a title: public suggestions and published datasets."""

    suggestions: list[Suggestion] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.suggestions or self.datasets)


def similar(title: str, region: Organization | None = None, *, exclude: int | None = None,
            limit: int = 5) -> Similar:
    """Suggestions (of ``region``, not held, hidden or merged) and public datasets whose titles
    share most of their telling words with ``title``, the most alike first: shown before a
    suggestion is filed, so people support what exists instead of asking twice."""
    noise = moderation.title_words(f"{region.name} {region.region_name or ''}") if region is not None else frozenset()
    words = moderation.title_words(title) - noise  # "... Kabupaten Rokan Hilir" says where, not what
    if not words:
        return Similar()
    q = select(Suggestion).where(Suggestion.state.in_([S.NEW, *DECIDED_STATES]))
    if region is not None:
        q = q.where(Suggestion.region_id == region.id)
    if exclude is not None:
        q = q.where(Suggestion.id != exclude)
    scored = [(moderation.closeness(words, moderation.title_words(s.title) - noise), s)
              for s in db.session.scalars(q.order_by(Suggestion.id.desc()).limit(2000))]
    suggestions = [s for score, s in sorted(scored, key=lambda p: (-p[0][0], -p[0][1], -p[1].id))
                   if score[0] >= SIMILAR_AT][:limit]
    return Similar(suggestions, _similar_datasets(title, words, noise, region, limit))


def _similar_datasets(title: str, words: frozenset[str], noise: frozenset[str], region: Organization | None,
                      limit: int) -> list[Dataset]:
    """Public datasets of the region alike ``title``: the search engine asked for all its telling
    words, then for each of the first few alone (an engine matches every word of a query), the
    candidates then ranked by word overlap."""
    filters = {"wilayah": [region.kode_wilayah]} if region is not None and region.kode_wilayah else {}
    terms = [t for t in moderation.search_words(title) if moderation.title_words(t) <= words][:6]
    queries = [" ".join(terms), *terms[:4]] if len(terms) > 1 else terms
    found: dict[str, Dataset] = {}
    for text in queries:
        try:
            page = catalog.find_public(catalog.DatasetQuery.of(text, filters, page=1, per_page=10))
        except DomainError:  # a query the search refuses: nothing to show, never an error
            continue
        for d in page.items:
            found.setdefault(d.id, d)
    ranked = sorted(((moderation.closeness(words, moderation.title_words(d.title) - noise), d)
                     for d in found.values()),
                    key=lambda p: (-p[0][0], -p[0][1], p[1].title))
    return [d for score, d in ranked if score[0] >= SIMILAR_AT][:limit]


# --------------------------------------------------------------------------- filing


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _clean(form: dict[str, Any]) -> dict[str, Any]:
    """The form's fields, checked; every problem at once, per field, saying what to do."""
    problems: dict[str, list[str]] = {}
    title = _text(form.get("title"))
    if not title:
        problems["title"] = ["Tulis data apa yang Anda butuhkan, misalnya \"Jumlah nelayan menurut kecamatan\"."]
    elif len(title) < TITLE_MIN:
        problems["title"] = [f"Judul terlalu pendek: tulis paling sedikit {TITLE_MIN} karakter, sebutkan datanya."]
    elif len(title) > TITLE_MAX:
        problems["title"] = [f"Judul paling panjang {TITLE_MAX} karakter; rincian tulis di kegunaan."]
    description = str(form.get("description") or "").strip()
    if not description:
        problems["description"] = ["Ceritakan untuk apa data ini dan rincian yang diperlukan (periode, wilayah)."]
    elif len(description) < DESCRIPTION_MIN:
        problems["description"] = [f"Tulis paling sedikit {DESCRIPTION_MIN} karakter: untuk apa datanya dan "
                                   "rincian yang diperlukan."]
    elif len(description) > DESCRIPTION_MAX:
        problems["description"] = [f"Paling panjang {DESCRIPTION_MAX} karakter (sekarang {len(description)})."]
    region = _organization(form.get("region"))
    if region is None or region.kind not in GOVERNMENT_KINDS:
        problems["region"] = ["Pilih wilayah yang datanya Anda usulkan."]
        region = None
    opd = None
    if str(form.get("organization") or "").strip():
        opd = _organization(form.get("organization"))
        if opd is None or opd.kind != OrganizationKind.OPD:
            problems["organization"] = ["Pilih OPD dari daftar, atau \"Tidak tahu\"."]
            opd = None
        elif region is not None and government_of(opd) is not region:
            problems["organization"] = [f"{opd.name} bukan OPD {region.name}: pilih OPD wilayah itu, atau "
                                        "\"Tidak tahu\"."]
    topic = None
    if str(form.get("topic") or "").strip():
        topic = next((t for t in catalog.list_topics() if t.slug == str(form.get("topic"))), None)
        if topic is None:
            problems["topic"] = ["Pilih topik dari daftar, atau kosongkan."]
    name = _text(form.get("name"))
    if len(name) > NAME_MAX:
        problems["name"] = [f"Nama paling panjang {NAME_MAX} karakter."]
    email = str(form.get("email") or "").strip()
    if email and (len(email) > EMAIL_MAX or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        problems["email"] = ["Alamat surel tidak valid; tulis seperti nama@contoh.id, atau kosongkan."]
    if problems:
        raise Invalid("Periksa isian yang ditandai.", details=problems)
    return {"title": title, "description": description, "region": region, "organization": opd, "topic": topic,
            "proposer_name": name, "proposer_email": email}


def check_suggestion(form: Any) -> dict[str, Any]:
    """The form's values checked as filing checks them (``Invalid`` per field), without filing:
    the form shows similar suggestions and datasets before anything is recorded."""
    return _clean(form)


def _organization(value: Any) -> Organization | None:
    raw = str(value or "").strip()
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31:
        return db.session.get(Organization, int(raw))
    if raw:
        return db.session.scalar(select(Organization).where(Organization.slug == raw[:100]))
    return None


def _form_key(form: Any) -> str | None:
    raw = str(form.get("form_key") or "")
    return raw if FORM_KEY.fullmatch(raw) else None


def _filed_with(key: str | None) -> Suggestion | None:
    return db.session.scalar(select(Suggestion).where(Suggestion.form_key == key)) if key else None


def file_suggestion(actor: Actor, form: dict[str, Any], *, supporter: str | None = None) -> Suggestion:
    """Record a suggestion from anyone (``form``: title, description, region, organization,
    topic, name, email, and the form's one-time ``form_key``). Text with abusive words or many
    links waits for the walidata's moderation; the rest is public at once. A second post of the
    same form (its ``form_key``, a double click) returns the suggestion the first one filed;
    the same title from the same address within an hour is a double send (``Conflict`` naming
    the first). ``supporter``: the filer's browser key, counted as the first support."""
    require(actor, Permission.USULAN_PROPOSE)
    key = _form_key(form)
    first = _filed_with(key)
    if first is not None:
        return first
    values = _clean(form)
    address = _address_hash()
    if address:
        title = fold(values["title"])
        earlier = next((s for s in db.session.scalars(select(Suggestion).where(
            Suggestion.client_hash == address, Suggestion.created_at >= utcnow() - DUPLICATE_WINDOW)
            .order_by(Suggestion.id)) if fold(s.title) == title), None)
        if earlier is not None:
            raise Conflict(f"Usulan yang sama sudah terkirim sebagai #{earlier.id}; tidak perlu dikirim dua kali.",
                           details={"title": [f"Sudah ada sebagai usulan #{earlier.id}."]})
    held = moderation.hold_reason(values["title"], values["description"])
    suggestion = Suggestion(state=S.MODERATION if held else S.NEW, held_because=held, client_hash=address,
                            support_count=0, form_key=key,
                            search_text=_search_text(values["title"], values["description"]), **values)
    try:
        with db.session.begin_nested():  # the same form posted twice at once: the key's constraint decides
            db.session.add(suggestion)
            db.session.flush()
    except IntegrityError:
        first = _filed_with(key)
        if first is None:
            raise
        return first
    audit(actor, "usulan.file", AUDIT_TYPE, suggestion.id,
          {"title": suggestion.title, "region": suggestion.region.slug, "state": str(suggestion.state),
           **({"held": held} if held else {})})
    if supporter:
        db.session.add(Support(suggestion_id=suggestion.id, supporter_key=supporter, address_hash=address))
        suggestion.support_count = 1
        db.session.flush()
    _tell_walidata(suggestion)
    return suggestion


def _tell_walidata(suggestion: Suggestion) -> None:
    """An in-app notification to the region's walidata (no mail: a public form must not be a
    way to fill officials' mailboxes)."""
    users = users_with_role(Role.WALIDATA, set(_lineage(suggestion.region)))
    held = suggestion.state == S.MODERATION
    title = (f"Usulan data #{suggestion.id} menunggu moderasi" if held
             else f"Usulan data baru #{suggestion.id}: {suggestion.title}")
    body = (f"Usulan \"{suggestion.title}\" untuk {suggestion.region.name} ditahan ({suggestion.held_because}); "
            "periksa lalu tampilkan atau sembunyikan." if held else
            f"Warga mengusulkan \"{suggestion.title}\" untuk {suggestion.region.name}. Tanggapi usulan ini.")
    notify(users, kind="usulan.new", title=title, body=body, url=f"/kelola/usulan-data/{suggestion.id}", mail=False)


def support_suggestion(actor: Actor, suggestion: Suggestion, supporter: str) -> bool:
    """Count ``supporter`` (a browser's key, see ``client_hash``) for ``suggestion`` once;
    False when they already had (or their address counted its share). Only a public suggestion
    still waiting for the walidata, or accepted, takes supports."""
    require(actor, Permission.USULAN_PROPOSE, suggestion)
    if suggestion.state == S.MERGED and suggestion.merged_into is not None:
        raise Invalid(f"Usulan ini digabung ke #{suggestion.merged_into_id}; dukung usulan itu.",
                      details={"support": [f"Buka usulan #{suggestion.merged_into_id} dan dukung di sana."]})
    if suggestion.state not in SUPPORTABLE:
        raise Invalid("Usulan ini sudah diputuskan walidata; dukungan tidak dihitung lagi.",
                      details={"support": ["Lihat keputusan walidata di halaman usulan."]})
    if not supporter:
        raise Invalid("Dukungan tidak terbaca.", details={"support": ["Aktifkan cookie lalu coba lagi."]})
    taken = db.session.scalar(select(Support.id).where(Support.suggestion_id == suggestion.id,
                                                       Support.supporter_key == supporter))
    if taken is not None:
        return False
    address = _address_hash()
    if address and (db.session.scalar(select(func.count(Support.id)).where(
            Support.suggestion_id == suggestion.id, Support.address_hash == address)) or 0) >= SUPPORTS_PER_ADDRESS:
        return False
    try:
        with db.session.begin_nested():  # a double click: the other request's row wins, this one counts nothing
            db.session.add(Support(suggestion_id=suggestion.id, supporter_key=supporter, address_hash=address))
            db.session.flush()
    except IntegrityError:
        return False
    _recount(suggestion)
    return True


def has_supported(suggestion: Suggestion, supporter: str | None) -> bool:
    if not supporter:
        return False
    return db.session.scalar(select(Support.id).where(Support.suggestion_id == suggestion.id,
                                                      Support.supporter_key == supporter)) is not None


def _recount(suggestion: Suggestion) -> None:
    suggestion.support_count = db.session.scalar(
        select(func.count(Support.id)).where(Support.suggestion_id == suggestion.id)) or 0
    db.session.flush()


# --------------------------------------------------------------------------- triage


def _move(actor: Actor, suggestion: Suggestion, action: str, summary: dict[str, Any], **values: Any) -> None:
    """Apply the move ``action`` with a compare-and-set on the state, so a move made twice (a
    double submit, two walidata at once) is refused the second time."""
    move = TRANSITIONS[action]
    if suggestion.state not in move.sources:
        raise Conflict(_already(suggestion), details={"state": [str(suggestion.state)]})
    if move.decision:
        values.update(decided_by_id=getattr(actor, "id", None), decided_at=utcnow())
    before = suggestion.state
    done = db.session.execute(update(Suggestion).where(Suggestion.id == suggestion.id, Suggestion.state == before)
                              .values(state=move.target, updated_at=utcnow(), **values)
                              .execution_options(synchronize_session=False))
    if getattr(done, "rowcount", 1) != 1:
        db.session.refresh(suggestion)
        raise Conflict(_already(suggestion), details={"state": [str(suggestion.state)]})
    db.session.refresh(suggestion)
    audit(actor, f"usulan.{action}", AUDIT_TYPE, suggestion.id,
          {"from": str(before), "to": str(move.target), **summary})


def _already(suggestion: Suggestion) -> str:
    return (f"Usulan #{suggestion.id} sudah berstatus \"{STATE_LABELS[suggestion.state]}\"; keputusan hanya dibuat "
            "sekali. Muat ulang halamannya untuk melihat keputusan itu.")


STATE_LABELS = {
    S.MODERATION: "Menunggu moderasi", S.NEW: "Menunggu tanggapan", S.ACCEPTED: "Masuk Daftar Data",
    S.EXISTING: "Sudah ada datasetnya", S.PPID: "Dialihkan ke permohonan PPID", S.DECLINED: "Ditolak",
    S.MERGED: "Digabung", S.HIDDEN: "Disembunyikan",
}


def _reason(text: Any, field_name: str, what: str) -> str:
    reason = str(text or "").strip()
    if len(reason) < REASON_MIN:
        raise Invalid(f"Tulis {what} (paling sedikit {REASON_MIN} karakter); pengusul dan publik membacanya.",
                      details={field_name: [f"Tulis {what}, paling sedikit {REASON_MIN} karakter."]})
    if len(reason) > NOTE_MAX:
        raise Invalid(f"Paling panjang {NOTE_MAX} karakter.", details={field_name: [f"Paling panjang {NOTE_MAX} "
                                                                                    "karakter."]})
    return reason


def _note(text: Any) -> str:
    note = str(text or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(f"Catatan paling panjang {NOTE_MAX} karakter.", details={"note": [f"Paling panjang {NOTE_MAX}"
                                                                                        " karakter."]})
    return note


def _page(suggestion: Suggestion) -> str:
    return public_url(f"/usulan-data/{suggestion.id}")


def _tell_proposer(suggestion: Suggestion, subject: str, body: str) -> None:
    """Mail the decision to the proposer, if they left an address, then forget the address: it
    was given for this one mail."""
    if not suggestion.proposer_email:
        return
    greeting = f"Yth. {suggestion.proposer_name}," if suggestion.proposer_name else "Yth. Bapak/Ibu,"
    queue_mail(suggestion.proposer_email, f"Usulan data #{suggestion.id}: {subject}",
               f"{greeting}\n\nTerima kasih atas usulan data Anda, \"{suggestion.title}\".\n\n{body}\n\n"
               f"Halaman usulan: {_page(suggestion)}\n\nSurel Anda hanya dipakai untuk pemberitahuan ini dan "
               "sekarang dihapus dari portal.\n")
    suggestion.proposer_email = ""
    db.session.flush()


class ExistingItem(Conflict):
    """The Daftar Data already has an item of that title for the OPD and year: the walidata may
    link the suggestion to it instead (``item``)."""

    def __init__(self, message: str, item: DaftarDataItem) -> None:
        super().__init__(message, details={"title": [
            f"Daftar Data {item.year} sudah memuat \"{item.title}\" untuk {item.organization.name}. Hubungkan usulan "
            "ke butir itu, atau ubah judulnya."]})
        self.item = item


def _same_item(organization: Organization, year: int, title: str) -> DaftarDataItem | None:
    key = title_key(title)
    rows = daftar.list_items(year=year, organization_ids=[organization.id])
    return next((r.item for r in rows if r.item.title_key == key), None)


def accept_suggestion(actor: Actor, suggestion: Suggestion, organization: Organization, *, year: int | None = None,
                      title: str | None = None, frequency: Frequency | str = Frequency.TAHUNAN,
                      release_date: date | None = None, is_priority: bool = False, standard_ref: str | None = None,
                      link_existing: bool = False) -> DaftarDataItem:
    """Accept a suggestion into the Daftar Data of ``year`` (next year by default) as an item of
    ``organization`` (an OPD of the suggestion's region), through the Daftar Data service.
    When an item of that title exists for the OPD and year, ``ExistingItem`` says so; with
    ``link_existing`` the suggestion is linked to that item instead."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    if not _opd_of(organization, suggestion.region):
        raise Invalid(f"{organization.name} bukan OPD {suggestion.region.name}.",
                      details={"organization": [f"Pilih OPD {suggestion.region.name} (bukan OPD wilayah lain)."]})
    year = next_year() if year is None else year
    earliest = this_year()
    if not earliest <= year <= YEAR_MAX:
        raise Invalid(f"Tahun Daftar Data {year} tidak dapat dipilih.", details={"year": [
            f"Pilih tahun {earliest} sampai {YEAR_MAX}: usulan masuk Daftar Data tahun ini atau tahun berikutnya, "
            "tidak ke tahun yang sudah lewat."]})
    item_title = _text(title) or suggestion.title
    if release_date is None:
        raise Invalid("Isi jadwal rilis.", details={"release_date": ["Isi jadwal rilis (tanggal)."]})
    if release_date.year != year:
        raise Invalid(f"Jadwal rilis harus di tahun {year}.", details={"release_date": [
            f"Pilih tanggal rilis di tahun Daftar Data ({year}), misalnya {year}-12-31."]})
    if suggestion.state not in TRANSITIONS["accept"].sources:  # decided already: say so before anything else
        raise Conflict(_already(suggestion), details={"state": [str(suggestion.state)]})
    existing = _same_item(organization, year, item_title)
    if existing is not None and not link_existing:
        raise ExistingItem(f"Daftar Data {year} sudah memuat \"{existing.title}\" untuk {organization.name}.",
                           existing)
    _move(actor, suggestion, "accept", {"organization": organization.slug, "year": year})
    if existing is not None:
        item = existing
        audit(actor, "usulan.link_item", AUDIT_TYPE, suggestion.id, {"item": item.id})
    else:
        item = daftar.create_item(actor, organization, year=year, title=item_title, frequency=frequency,
                                  release_date=release_date, standard_ref=standard_ref, is_priority=is_priority,
                                  notes=f"Dari usulan data #{suggestion.id}.")
    suggestion.daftar_item = item
    db.session.flush()
    _tell_proposer(suggestion, "masuk Daftar Data", (
        f"Walidata {suggestion.region.name} menerima usulan Anda ke Daftar Data {item.year}: \"{item.title}\" oleh "
        f"{item.organization.name}, dijadwalkan rilis {item.release_date.strftime('%d-%m-%Y')}. Jadwalnya dapat "
        f"diikuti di kalender rilis: {public_url('/kalender-rilis')}?tahun={item.year}"))
    return item


def _opd_of(organization: Organization, region: Organization) -> bool:
    """Whether ``organization`` is an OPD of ``region``'s own government (an OPD of a kabupaten
    below a province is the kabupaten's, not the province's)."""
    gov = government_of(organization)
    return organization.kind == OrganizationKind.OPD and gov is not None and gov.id == region.id


def _lineage(org: Organization | None) -> list[int]:
    ids: list[int] = []
    while org is not None and org.id not in ids:
        ids.append(org.id)
        org = org.parent
    return ids


def point_suggestion(actor: Actor, suggestion: Suggestion, dataset_key: str, note: str = "") -> Dataset:
    """Say that a published public dataset (slug, id or its /dataset/ address) answers the
    suggestion."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    key = str(dataset_key or "").strip().rstrip("/")
    if "/dataset/" in key:
        key = key.rsplit("/dataset/", 1)[1].split("/", 1)[0].split("?", 1)[0]
    try:
        dataset = catalog.get_public_dataset(key[:300]) if key else None
    except NotFound:
        dataset = None
    if dataset is None:
        raise Invalid("Dataset tidak ditemukan di katalog publik.", details={"dataset": [
            "Tulis slug dataset yang sudah terbit (bagian akhir alamat /dataset/...), atau pilih dari saran."]})
    note = _note(note)
    _move(actor, suggestion, "point", {"dataset": dataset.slug}, dataset_id=dataset.id, decision_note=note)
    _tell_proposer(suggestion, "datanya sudah tersedia", (
        f"Data yang Anda usulkan sudah tersedia sebagai dataset \"{dataset.title}\": "
        f"{public_url('/dataset/' + dataset.slug)}" + (f"\n\nCatatan walidata: {note}" if note else "")))
    return dataset


def redirect_suggestion(actor: Actor, suggestion: Suggestion, note: str) -> None:
    """Say that what is asked is information for a formal PPID request (UU 14/2008), with a note
    saying why and what to ask; the public page links the request form."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    text = _reason(note, "note", "catatan untuk pengusul")
    _move(actor, suggestion, "redirect", {}, decision_note=text)
    _tell_proposer(suggestion, "diajukan lewat permohonan informasi (PPID)", (
        f"Yang Anda minta lebih tepat diajukan sebagai permohonan informasi publik ke PPID.\n\nCatatan walidata: "
        f"{text}\n\nAjukan permohonan di {public_url('/ppid/permohonan')}"))


def decline_suggestion(actor: Actor, suggestion: Suggestion, reason: str) -> None:
    """Decline a suggestion with a reason the public reads."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    text = _reason(reason, "reason", "alasan penolakan")
    _move(actor, suggestion, "decline", {"reason": text}, decision_note=text)
    _tell_proposer(suggestion, "tidak dapat dipenuhi", f"Alasan walidata: {text}")


def merge_suggestion(actor: Actor, suggestion: Suggestion, target: Suggestion) -> None:
    """Merge a duplicate into ``target`` (of the same region): the duplicate then points there
    and its supports join the target's, a supporter of both counted once."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    require(actor, Permission.USULAN_TRIAGE, target)
    if target.id == suggestion.id:
        raise Invalid("Usulan tidak dapat digabung ke dirinya sendiri.", details={"target": ["Pilih usulan lain."]})
    if target.region_id != suggestion.region_id:
        raise Invalid("Gabungkan hanya usulan wilayah yang sama.", details={"target": [
            f"Pilih usulan untuk {suggestion.region.name}."]})
    # Lock both rows, the lower id first (two merges of a pair in opposite directions wait for
    # each other instead of deadlocking), and judge the target by its state as locked: a
    # concurrent merge or hide of the target is seen, so no cycle and no merge into a hidden one.
    db.session.scalars(select(Suggestion).where(Suggestion.id.in_([suggestion.id, target.id]))
                       .order_by(Suggestion.id).with_for_update()
                       .execution_options(populate_existing=True)).all()
    if target.state == S.MODERATION:
        raise Invalid(f"Usulan #{target.id} masih menunggu moderasi; tampilkan dulu, atau pilih usulan lain.",
                      details={"target": ["Pilih usulan yang tampil publik dan belum digabung."]})
    if target.state not in (S.NEW, *DECIDED_STATES):
        raise Invalid(f"Usulan #{target.id} berstatus \"{STATE_LABELS[target.state]}\"; gabungkan ke usulan yang "
                      "tampil publik.", details={"target": ["Pilih usulan yang tampil publik dan belum digabung."]})
    if suggestion.state == S.MODERATION:
        raise Conflict(f"Usulan #{suggestion.id} masih menunggu moderasi: tampilkan dulu (lalu gabungkan) atau "
                       "sembunyikan.", details={"state": [str(suggestion.state)]})
    _move(actor, suggestion, "merge", {"into": target.id}, merged_into_id=target.id)
    # What was merged into the duplicate now points at the target too: one level, never a chain.
    db.session.execute(update(Suggestion).where(Suggestion.merged_into_id == suggestion.id)
                       .values(merged_into_id=target.id, updated_at=utcnow())
                       .execution_options(synchronize_session="fetch"))
    keys = set(db.session.scalars(select(Support.supporter_key).where(Support.suggestion_id == target.id)))
    moved = 0
    for support in db.session.scalars(select(Support).where(Support.suggestion_id == suggestion.id)).all():
        if support.supporter_key in keys:
            db.session.delete(support)
        else:
            support.suggestion_id = target.id
            keys.add(support.supporter_key)
            moved += 1
    db.session.flush()
    _recount(suggestion)
    _recount(target)
    audit(actor, "usulan.merge_supports", AUDIT_TYPE, target.id, {"from": suggestion.id, "moved": moved})
    _tell_proposer(suggestion, f"digabung ke usulan #{target.id}", (
        f"Usulan Anda sama dengan usulan #{target.id} (\"{target.title}\"); keduanya digabung dan dukungannya "
        f"dijumlahkan. Ikuti keputusannya di {_page(target)}"))


def approve_suggestion(actor: Actor, suggestion: Suggestion) -> None:
    """Moderation: a held suggestion is fine after all and becomes public."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    _move(actor, suggestion, "approve", {"held": suggestion.held_because})


def hide_suggestion(actor: Actor, suggestion: Suggestion, reason: str) -> None:
    """Moderation: take a suggestion off the public pages, with a reason its page then shows."""
    require(actor, Permission.USULAN_TRIAGE, suggestion)
    text = _reason(reason, "reason", "alasan disembunyikan")
    _hide(actor, suggestion, text, {})
    # The duplicates merged into it would show its title and hold its supporters: hidden too.
    for duplicate in db.session.scalars(select(Suggestion).where(
            Suggestion.merged_into_id == suggestion.id, Suggestion.state == S.MERGED).order_by(Suggestion.id)).all():
        _hide(actor, duplicate, text, {"with": suggestion.id})


def _hide(actor: Actor, suggestion: Suggestion, reason: str, summary: dict[str, Any]) -> None:
    """Hide one suggestion, its reason kept apart from the decision's public note, and forget
    the proposer's name and e-mail (there is no decision left to tell them)."""
    _move(actor, suggestion, "hide", {"reason": reason, **summary}, hide_reason=reason, proposer_name="",
          proposer_email="")


def daftar_organizations(actor: Actor, suggestion: Suggestion) -> list[Organization]:
    """The OPD ``actor`` may accept ``suggestion`` for: those of its region they keep."""
    return [o for o in daftar.manageable_organizations(actor) if _opd_of(o, suggestion.region)]


def forget_item(item: DaftarDataItem, actor: Actor) -> None:
    """The Daftar Data item ``item`` is being deleted: the suggestions accepted into it stay
    accepted but no longer point at it (SQLite neither sets the reference to NULL nor keeps the
    id from being reused by another item), and their pages say the item was removed later.
    Connected to ``review.daftar.events.item_deleted`` by the domain's ``init_app``."""
    for suggestion in db.session.scalars(select(Suggestion).where(Suggestion.daftar_item_id == item.id)).all():
        suggestion.daftar_item = None
        suggestion.item_removed = True
        audit(actor, "usulan.item_removed", AUDIT_TYPE, suggestion.id, {"item": item.id, "year": item.year})
    db.session.flush()
