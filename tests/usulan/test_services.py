"""Usulan services: filing, moderation, supports, merging and every triage outcome, with the
permissions (the region's walidata and admins only)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.authz import AnonymousActor
from satudata.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.daftar.status import local_today
from satudata.usulan import moderation
from satudata.usulan import services as usulan
from satudata.usulan.models import Suggestion, SuggestionState, Support
from tests.factories import SYSTEM, make_dataset
from tests.usulan.conftest import EMAIL, file

S = SuggestionState


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == action)) or 0


def _mails(to: str = EMAIL) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to)))


# --------------------------------------------------------------------------- filing


def test_a_suggestion_is_public_at_once_with_its_proposer_as_first_supporter(region: Any) -> None:
    s = file(region["prov"], organization="dinkes-riau", topic="")
    assert s.state == S.NEW and s.is_public
    assert s.region.slug == "pemprov-riau" and s.organization is not None and s.organization.slug == "dinkes-riau"
    assert s.support_count == 1
    assert _audits("usulan.file") == 1
    items, total = usulan.list_public()
    assert total == 1 and items[0].id == s.id


def test_filing_checks_every_field_at_once(region: Any) -> None:
    with pytest.raises(Invalid) as err:
        usulan.file_suggestion(AnonymousActor(), {"title": "data", "description": "", "region": "",
                                                  "email": "bukan-surel"})
    details = err.value.details
    assert set(details) == {"title", "description", "region", "email"}
    assert "10 karakter" in details["title"][0]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Suggestion.id))) == 0


def test_the_suggested_opd_must_be_of_the_region(region: Any) -> None:
    with pytest.raises(Invalid) as err:
        file(region["prov"], organization="dinkes-dumai")
    assert "bukan OPD Pemerintah Provinsi Riau" in err.value.details["organization"][0]


@pytest.mark.parametrize("text", ["Data anggaran dasar, dasar g0bl0k", "Data BANGSAT kecamatan", "tooolooool sekali",
                                  "lihat https://a.xyz https://b.xyz www.c.com"])
def test_abusive_text_or_many_links_waits_for_moderation(region: Any, text: str) -> None:
    s = file(region["prov"], description="Kegunaan untuk penelitian. " + text)
    assert s.state == S.MODERATION and s.held_because
    assert usulan.list_public() == ([], 0)
    with pytest.raises(NotFound):
        usulan.get_public_suggestion(s.id)
    usulan.approve_suggestion(region["walidata"], s)
    assert s.state == S.NEW
    assert usulan.get_public_suggestion(s.id) is s
    assert _audits("usulan.approve") == 1


@pytest.mark.nodb
def test_words_about_animals_are_not_abusive() -> None:
    # Rabies and livestock data are real requests; only a moderator can judge those words.
    assert moderation.hold_reason("Kasus gigitan anjing rabies", "Populasi ternak babi per kecamatan") == ""
    assert moderation.abusive_words("dasar tolol") == ["tolol"]
    assert moderation.abusive_words("B4NGS4T!") == ["b4ngs4t!"]
    assert moderation.abusive_words("sekolah bertaraf internasional") == []


def test_hiding_a_public_suggestion_needs_a_reason_and_makes_it_gone(region: Any) -> None:
    s = file(region["prov"])
    with pytest.raises(Invalid):
        usulan.hide_suggestion(region["walidata"], s, "spam")
    usulan.hide_suggestion(region["walidata"], s, "Memuat data pribadi seseorang.")
    db.session.commit()
    with pytest.raises(Gone) as err:
        usulan.get_public_suggestion(s.id)
    assert "Memuat data pribadi" in err.value.message
    assert _audits("usulan.hide") == 1


# --------------------------------------------------------------------------- supports and merging


def test_a_supporter_counts_once(region: Any) -> None:
    s = file(region["prov"], supporter="pengusul")
    assert usulan.support_suggestion(AnonymousActor(), s, "warga-1") is True
    assert usulan.support_suggestion(AnonymousActor(), s, "warga-1") is False
    assert usulan.support_suggestion(AnonymousActor(), s, "pengusul") is False
    assert s.support_count == 2
    assert db.session.scalar(select(func.count(Support.id))) == 2


def test_a_decided_or_merged_suggestion_takes_no_support(region: Any) -> None:
    a, b = file(region["prov"]), file(region["prov"], "Jumlah kapal nelayan per kecamatan pesisir")
    usulan.merge_suggestion(region["walidata"], b, a)
    with pytest.raises(Invalid) as err:
        usulan.support_suggestion(AnonymousActor(), b, "warga-9")
    assert f"#{a.id}" in err.value.message
    usulan.decline_suggestion(region["walidata"], a, "Data ini tidak dikumpulkan pemerintah daerah.")
    with pytest.raises(Invalid):
        usulan.support_suggestion(AnonymousActor(), a, "warga-9")


def test_merging_combines_supports_without_counting_a_supporter_twice(region: Any) -> None:
    a = file(region["prov"], supporter="k1")
    b = file(region["prov"], "Data nelayan per kecamatan", supporter="k2", email="lain@contoh.id")
    usulan.support_suggestion(AnonymousActor(), a, "k2")
    usulan.support_suggestion(AnonymousActor(), b, "k3")
    assert (a.support_count, b.support_count) == (2, 2)
    usulan.merge_suggestion(region["walidata"], b, a)
    db.session.commit()
    assert b.state == S.MERGED and b.merged_into_id == a.id
    assert a.support_count == 3  # k1, k2, k3
    assert b.support_count == 0
    assert set(db.session.scalars(select(Support.supporter_key).where(Support.suggestion_id == a.id))) == {
        "k1", "k2", "k3"}
    assert [m.subject for m in _mails("lain@contoh.id")] == [f"Usulan data #{b.id}: digabung ke usulan #{a.id}"]
    with pytest.raises(Invalid):
        usulan.merge_suggestion(region["walidata"], a, a)


def test_similar_suggestions_and_datasets_are_found_by_their_words(region: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan")
    file(region["prov"], "Produksi padi sawah per desa")
    make_dataset(region["dinkes"], title="Jumlah Nelayan Tangkap menurut Kecamatan 2025")
    found = usulan.similar("Data nelayan per kecamatan tahun 2024", region["prov"])
    assert [s.id for s in found.suggestions] == [a.id]
    assert [d.title for d in found.datasets] == ["Jumlah Nelayan Tangkap menurut Kecamatan 2025"]
    assert not usulan.similar("Jumlah sekolah dasar", region["prov"])


# --------------------------------------------------------------------------- triage outcomes


def test_accepting_creates_next_years_daftar_data_item_once(region: Any) -> None:
    s = file(region["prov"])
    next_year = local_today().year + 1
    item = usulan.accept_suggestion(region["walidata"], s, region["dinkes"], frequency="tahunan",
                                    release_date=date(next_year, 6, 30), is_priority=True)
    db.session.commit()
    assert item.year == next_year and item.organization.slug == "dinkes-riau" and item.is_priority
    assert item.title == s.title and f"#{s.id}" in item.notes
    assert s.state == S.ACCEPTED and s.daftar_item_id == item.id
    assert s.decided_by_id == region["walidata"].id and s.decided_at is not None
    mails = _mails()
    assert len(mails) == 1 and "Daftar Data" in mails[0].subject
    assert s.proposer_email == ""  # given for one mail, then forgotten
    with pytest.raises(Conflict):  # a double submit
        usulan.accept_suggestion(region["walidata"], s, region["dinkes"], release_date=date(next_year, 6, 30))
    db.session.rollback()
    assert db.session.scalar(select(func.count(DaftarDataItem.id))) == 1
    assert [r.item.id for r in daftar.list_items(year=next_year)] == [item.id]


def test_an_existing_item_of_that_title_is_offered_and_can_be_linked(region: Any) -> None:
    year = local_today().year + 1
    existing = daftar.create_item(SYSTEM, region["dinkes"], year=year, title="Jumlah Nelayan dan Kapal menurut "
                                  "Kecamatan", frequency="tahunan", release_date=date(year, 3, 31))
    s = file(region["prov"])
    with pytest.raises(usulan.ExistingItem) as err:
        usulan.accept_suggestion(region["walidata"], s, region["dinkes"], release_date=date(year, 6, 30))
    assert err.value.item.id == existing.id
    db.session.rollback()
    s = db.session.get(Suggestion, s.id)
    assert s is not None and s.state == S.NEW
    item = usulan.accept_suggestion(region["walidata"], s, region["dinkes"], release_date=date(year, 6, 30),
                                    link_existing=True)
    assert item.id == existing.id and s.daftar_item_id == existing.id
    assert db.session.scalar(select(func.count(DaftarDataItem.id))) == 1


def test_accepting_for_an_opd_of_another_region_is_refused(region: Any) -> None:
    s = file(region["prov"])
    with pytest.raises(Invalid):
        usulan.accept_suggestion(region["walidata"], s, region["dumai_dinkes"], release_date=date(2030, 1, 1))


def test_pointing_to_a_published_dataset(region: Any) -> None:
    s = file(region["prov"])
    ds = make_dataset(region["dinkes"], title="Nelayan per Kecamatan")
    with pytest.raises(Invalid):
        usulan.point_suggestion(region["walidata"], s, "tidak-ada")
    dataset = usulan.point_suggestion(region["walidata"], s, f"http://localhost/dataset/{ds.slug}", "Lihat tabel 2.")
    assert dataset.id == ds.id and s.state == S.EXISTING and s.dataset_id == ds.id
    assert s.decision_note == "Lihat tabel 2."
    assert _audits("usulan.point") == 1


def test_redirecting_to_ppid_needs_a_note(region: Any) -> None:
    s = file(region["prov"])
    with pytest.raises(Invalid) as err:
        usulan.redirect_suggestion(region["walidata"], s, "")
    assert "note" in err.value.details
    usulan.redirect_suggestion(region["walidata"], s, "Kontrak pengadaan kapal adalah informasi publik.")
    assert s.state == S.PPID and "ppid/permohonan" in _mails()[0].body


def test_declining_needs_a_reason(region: Any) -> None:
    s = file(region["prov"])
    with pytest.raises(Invalid) as err:
        usulan.decline_suggestion(region["walidata"], s, "  ")
    assert "reason" in err.value.details
    assert s.state == S.NEW
    usulan.decline_suggestion(region["walidata"], s, "Data ini dikumpulkan BPS, bukan pemerintah daerah.")
    assert s.state == S.DECLINED and s.decision_note.startswith("Data ini dikumpulkan BPS")
    assert _audits("usulan.decline") == 1


def test_only_the_regions_walidata_and_admins_triage(region: Any) -> None:
    s = file(region["prov"])
    for who in (region["produsen"], AnonymousActor(), region["walidata_dumai"], region["ppid_utama"]):
        with pytest.raises(Forbidden):
            usulan.decline_suggestion(who, s, "Bukan urusan saya untuk menolak.")
        db.session.rollback()
    s = db.session.get(Suggestion, s.id)
    assert s is not None and s.state == S.NEW
    usulan.decline_suggestion(region["admin"], s, "Admin menolak untuk uji izin.")
    assert s.state == S.DECLINED
    # The Dumai walidata triages Dumai's suggestions, and sees only those.
    d = file(region["other"], "Jumlah kapal tongkang di pelabuhan Dumai")
    usulan.approve_suggestion  # noqa: B018  (no moderation needed: public at once)
    assert [x.id for x in usulan.triage_list(region["walidata_dumai"])[0]] == [d.id]
    assert {x.id for x in usulan.triage_list(region["walidata"])[0]} == {s.id}
    with pytest.raises(Forbidden):
        usulan.triage_list(region["produsen"])


def test_the_regions_walidata_is_told_in_the_portal_not_by_mail(region: Any) -> None:
    from satudata.accounts.models import Notification

    s = file(region["prov"])
    notes = list(db.session.scalars(select(Notification)))
    assert [(n.user_id, n.kind, n.url) for n in notes] == [(region["walidata"].id, "usulan.new",
                                                            f"/kelola/usulan-data/{s.id}")]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


@pytest.mark.nodb
def test_titles_alike_share_what_they_count_not_where() -> None:
    words = moderation.title_words
    assert moderation.similarity(words("Data stunting per desa"), words("Prevalensi Balita Stunting menurut Desa")) == 1
    # The breakdown level and one stray common word do not make two tables alike.
    assert moderation.similarity(words("Jumlah nelayan per kecamatan"),
                                 words("Cakupan Imunisasi Dasar Lengkap menurut Kecamatan")) == 0
    assert moderation.similarity(words("Luas kebun sawit rakyat"), words("Luas wilayah hutan lindung")) == 0
    assert moderation.similarity(words("Luas kebun sawit rakyat"), words("Luas dan produksi kebun sawit")) > 0.5
