"""The data suggestions under pressure: merging and hiding (a held suggestion is never merged
public, hiding a target hides its duplicates, a merge judges its target as locked), double
clicks and double submits, accepting only into the region's own OPD and a year still to come,
the triage list's order and pages, a deleted Daftar Data item, the list's queries, the search
of non-ASCII words, and the personal data and reasons a hidden suggestion keeps."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.db import utcnow
from satudata.errors import Conflict, Gone, Invalid
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.usulan import services as usulan
from satudata.usulan.models import Suggestion, SuggestionState, Support
from tests.catalog.test_query_counts import counting
from tests.factories import SYSTEM
from tests.usulan.conftest import EMAIL, NAME, file
from tests.workspace.conftest import csrf_of, sign_in

S = SuggestionState
HELD_TITLE = "Data honor pegawai dinas bangsat sekali"
REASON = "Judulnya melanggar ketentuan portal."


def _count() -> int:
    return int(db.session.scalar(select(func.count(Suggestion.id))) or 0)


# --------------------------------------------------------------------------- merging and hiding


def test_a_held_suggestion_is_not_merged_and_a_merged_one_can_be_hidden(region: Any) -> None:
    held = file(region["prov"], HELD_TITLE)
    target = file(region["prov"], "Jumlah nelayan dan kapal menurut kecamatan", supporter="s2")
    assert held.state == S.MODERATION
    with pytest.raises(Conflict):
        usulan.merge_suggestion(region["walidata"], held, target)
    db.session.rollback()
    assert db.session.get(Suggestion, held.id).state == S.MODERATION  # type: ignore[union-attr]
    public = file(region["prov"], "Jumlah nelayan menurut kecamatan pesisir", supporter="s3")
    usulan.merge_suggestion(region["walidata"], public, target)
    db.session.commit()
    usulan.hide_suggestion(region["walidata"], public, REASON)
    db.session.commit()
    with pytest.raises(Gone):
        usulan.get_public_suggestion(public.id)


def test_hiding_a_target_hides_its_duplicates_and_never_shows_its_title(region: Any, scratch_client: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan pesisir", supporter="s1")
    b = file(region["prov"], "Jumlah nelayan dan kapal menurut kecamatan", supporter="s2")
    usulan.merge_suggestion(region["walidata"], a, b)
    db.session.commit()
    usulan.hide_suggestion(region["walidata"], b, REASON)
    db.session.commit()
    db.session.refresh(a)
    assert a.state == S.HIDDEN and a.hide_reason == REASON
    resp = scratch_client.get(f"/usulan-data/{a.id}")
    assert resp.status_code == 410 and "nelayan dan kapal menurut" not in resp.get_data(as_text=True)
    assert scratch_client.get(f"/api/v1/usulan-data/{a.id}").status_code == 410


def test_a_duplicate_never_shows_a_target_that_is_not_public(region: Any, scratch_client: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan pesisir", supporter="s1")
    b = file(region["prov"], "Jumlah nelayan dan kapal menurut kecamatan", supporter="s2")
    usulan.merge_suggestion(region["walidata"], a, b)
    db.session.execute(update(Suggestion).where(Suggestion.id == b.id).values(state=S.HIDDEN))
    db.session.commit()
    html = scratch_client.get(f"/usulan-data/{a.id}").get_data(as_text=True)
    assert "nelayan dan kapal menurut" not in html and f"/usulan-data/{b.id}" not in html
    assert scratch_client.get(f"/api/v1/usulan-data/{a.id}").get_json()["data"]["merged_into"] is None


def test_a_merge_judges_its_target_as_stored_not_as_loaded(region: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan pesisir", supporter="s1")
    b = file(region["prov"], "Jumlah nelayan dan kapal menurut kecamatan", supporter="s2")
    c = file(region["prov"], "Jumlah kapal perikanan menurut pelabuhan", supporter="s3")
    # Another walidata merged A into B, then hid C, after this one loaded them.
    db.session.execute(update(Suggestion).where(Suggestion.id == a.id)
                       .values(state=S.MERGED, merged_into_id=b.id).execution_options(synchronize_session=False))
    assert a.state == S.NEW  # as loaded
    with pytest.raises(Invalid):
        usulan.merge_suggestion(region["walidata"], b, a)  # would be a cycle
    db.session.rollback()
    c.state  # noqa: B018  (loaded)
    db.session.execute(update(Suggestion).where(Suggestion.id == c.id)
                       .values(state=S.HIDDEN).execution_options(synchronize_session=False))
    assert c.state == S.NEW  # as loaded
    with pytest.raises(Invalid):
        usulan.merge_suggestion(region["walidata"], b, c)  # into a hidden one
    db.session.rollback()
    assert db.session.get(Suggestion, b.id).state == S.NEW  # type: ignore[union-attr]


def test_merging_a_target_moves_its_duplicates_along(region: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan pesisir", supporter="s1")
    b = file(region["prov"], "Jumlah nelayan dan kapal menurut kecamatan", supporter="s2")
    c = file(region["prov"], "Jumlah nelayan dan kapal per kecamatan pesisir", supporter="s3")
    usulan.merge_suggestion(region["walidata"], a, b)
    usulan.merge_suggestion(region["walidata"], b, c)
    db.session.commit()
    db.session.refresh(a)
    assert a.merged_into_id == c.id
    usulan.hide_suggestion(region["walidata"], c, REASON)
    db.session.commit()
    assert {db.session.get(Suggestion, x).state for x in (a.id, b.id)} == {S.HIDDEN}  # type: ignore[union-attr]


# --------------------------------------------------------------------------- double clicks and submits


def test_the_page_gives_the_browser_its_key_so_a_double_click_counts_once(region: Any, scratch_client: Any) -> None:
    s = file(region["prov"], supporter="orang-lain")
    page = scratch_client.get(f"/usulan-data/{s.id}")
    assert "usulan_pendukung=" in page.headers.get("Set-Cookie", "")
    token = csrf_of(scratch_client, f"/usulan-data/{s.id}")
    for _ in range(2):
        assert scratch_client.post(f"/usulan-data/{s.id}/dukung", data={"csrf_token": token}).status_code == 303
    db.session.refresh(s)
    assert s.support_count == 2


def test_a_support_that_loses_the_race_counts_nothing(region: Any) -> None:
    s = file(region["prov"], supporter="orang-lain")

    def other_click(session: Any, context: Any, instances: Any) -> None:
        # The same browser's other request inserts its row first.
        for obj in list(session.new):
            if isinstance(obj, Support):
                session.connection().execute(insert(Support).values(
                    suggestion_id=obj.suggestion_id, supporter_key=obj.supporter_key, address_hash="",
                    created_at=utcnow()))

    event.listen(db.session, "before_flush", other_click, once=True)
    try:
        assert usulan.support_suggestion(SYSTEM, s, "kunci-peramban") is False
    finally:
        if event.contains(db.session, "before_flush", other_click):
            event.remove(db.session, "before_flush", other_click)
    db.session.commit()
    assert _count() == 1


def test_a_form_posted_twice_files_one_suggestion(region: Any) -> None:
    values = {"title": "Jumlah nelayan dan kapal menurut kecamatan", "form_key": "k" * 24,
              "description": "Untuk penelitian ekonomi pesisir: nelayan dan kapal per kecamatan.",
              "region": "pemprov-riau"}
    first = usulan.file_suggestion(SYSTEM, values)
    db.session.commit()
    again = usulan.file_suggestion(SYSTEM, values)
    db.session.commit()
    assert again.id == first.id and _count() == 1


def test_the_form_carries_a_key_and_a_second_post_goes_to_the_first(region: Any, scratch_client: Any) -> None:
    html = scratch_client.get("/usulan-data/baru").get_data(as_text=True)
    assert 'name="form_key"' in html
    data = {"csrf_token": csrf_of(scratch_client, "/usulan-data/baru"), "form_key": "f" * 32, "lanjut": "1",
            "title": "Jumlah nelayan dan kapal menurut kecamatan", "region": "pemprov-riau",
            "description": "Untuk penelitian ekonomi pesisir: nelayan dan kapal per kecamatan."}
    one = scratch_client.post("/usulan-data/baru", data=data)
    two = scratch_client.post("/usulan-data/baru", data=data)
    assert one.status_code == two.status_code == 302
    assert one.headers["Location"] == two.headers["Location"] and _count() == 1


# --------------------------------------------------------------------------- accepting


@pytest.fixture()
def kab_opd(region: Any) -> Any:
    kab = accounts.create_organization(SYSTEM, slug="pemkab-rohil", name="Pemkab Rokan Hilir",
                                       kind=OrganizationKind.KABUPATEN, parent=region["prov"], kode_wilayah="14.07")
    opd = accounts.create_organization(SYSTEM, slug="dinkes-rohil", name="Dinkes Rokan Hilir",
                                       kind=OrganizationKind.OPD, parent=kab)
    db.session.commit()
    return opd


def test_only_an_opd_of_the_regions_own_government_is_offered_and_taken(region: Any, kab_opd: Any) -> None:
    s = file(region["prov"])
    assert kab_opd not in usulan.daftar_organizations(region["walidata"], s)
    assert region["dinkes"] in usulan.daftar_organizations(region["walidata"], s)
    year = usulan.next_year()
    with pytest.raises(Invalid) as err:
        usulan.accept_suggestion(region["walidata"], s, kab_opd, year=year, release_date=date(year, 5, 1))
    assert "organization" in (err.value.details or {})


@pytest.mark.parametrize("shift", [-1, "zero"])
def test_a_past_year_or_year_zero_is_refused(region: Any, shift: Any) -> None:
    s = file(region["prov"])
    year = 0 if shift == "zero" else usulan.this_year() + shift
    with pytest.raises(Invalid) as err:
        usulan.accept_suggestion(region["walidata"], s, region["dinkes"], year=year,
                                 release_date=date(max(year, 1), 5, 1))
    assert "year" in (err.value.details or {})


def test_this_year_is_allowed_and_the_release_date_must_fall_in_it(region: Any) -> None:
    s = file(region["prov"])
    year = usulan.this_year()
    with pytest.raises(Invalid) as err:
        usulan.accept_suggestion(region["walidata"], s, region["dinkes"], year=year,
                                 release_date=date(year + 1, 5, 1))
    assert "release_date" in (err.value.details or {})
    item = usulan.accept_suggestion(region["walidata"], s, region["dinkes"], year=year,
                                    release_date=date(year, 12, 31))
    assert item.year == year


# --------------------------------------------------------------------------- the triage list


def _declined(n: int, region: Any) -> None:
    db.session.execute(insert(Suggestion), [
        {"title": f"Usulan nomor {i} sudah ditolak", "description": "x" * 30, "region_id": region["prov"].id,
         "state": S.DECLINED, "support_count": 0, "search_text": ""} for i in range(n)])
    db.session.commit()


def test_the_triage_list_shows_old_waiting_ones_first_and_has_pages(region: Any) -> None:
    held = file(region["prov"], HELD_TITLE)
    _declined(501, region)  # newer than the held one, more than any fixed cap
    rows, total = usulan.triage_list(region["walidata"])
    assert rows[0].id == held.id and total == 502
    pages = -(-total // usulan.TRIAGE_PER_PAGE)
    last, _ = usulan.triage_list(region["walidata"], page=pages)
    assert len(last) == total - (pages - 1) * usulan.TRIAGE_PER_PAGE
    assert last[-1].title == "Usulan nomor 0 sudah ditolak"  # the oldest, last


def test_the_triage_page_has_pages(region: Any, scratch_client: Any) -> None:
    _declined(usulan.TRIAGE_PER_PAGE + 1, region)
    sign_in(scratch_client, "walidata")
    html = scratch_client.get("/kelola/usulan-data?halaman=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in html and "Usulan nomor 0 sudah ditolak" in html


# --------------------------------------------------------------------------- a deleted Daftar Data item


def test_a_deleted_item_is_forgotten_and_its_id_not_reused(region: Any, scratch_client: Any) -> None:
    s = file(region["prov"])
    year = usulan.next_year()
    item = usulan.accept_suggestion(region["walidata"], s, region["dinkes"], year=year,
                                    release_date=date(year, 5, 1))
    db.session.commit()
    daftar.delete_item(region["walidata"], item)
    db.session.commit()
    daftar.create_item(region["walidata"], region["dinkes"], year=year, title="Jumlah kasus DBD menurut puskesmas",
                       frequency="tahunan", release_date=date(year, 6, 1))
    db.session.commit()
    db.session.expire_all()
    s = db.session.get(Suggestion, s.id)  # type: ignore[assignment]
    assert s.state == S.ACCEPTED and s.daftar_item_id is None and s.item_removed
    html = scratch_client.get(f"/usulan-data/{s.id}").get_data(as_text=True)
    assert "kemudian dihapus" in html and "DBD" not in html
    assert scratch_client.get(f"/api/v1/usulan-data/{s.id}").get_json()["data"]["daftar_item_removed"] is True


# --------------------------------------------------------------------------- queries and search


def _api_queries(app: Any, region: Any, n: int) -> int:
    for i in range(n):
        file("pemprov-riau", f"Jumlah nelayan dan kapal menurut kecamatan nomor {i}", supporter=f"x{i}",
             organization="dinkes-riau")
    year = usulan.next_year()
    for i, s in enumerate(db.session.scalars(select(Suggestion).where(Suggestion.state == S.NEW)).all()[: n // 2]):
        usulan.accept_suggestion(region["walidata"], s, region["dinkes"], year=year, title=f"Butir {n} {i} nelayan",
                                 release_date=date(year, 5, 1))
    db.session.commit()
    client = app.test_client()
    client.get("/api/v1/usulan-data?per_page=100")
    db.session.expire_all()
    with counting() as statements:
        assert client.get("/api/v1/usulan-data?per_page=100").status_code == 200
    return len(statements)


def test_the_api_list_costs_the_same_queries_for_few_or_many(app: Any, region: Any) -> None:
    few = _api_queries(app, region, 2)
    db.session.execute(update(Suggestion).values(state=S.HIDDEN))
    db.session.commit()
    many = _api_queries(app, region, 10)
    assert many == few


def test_words_with_accents_are_found_either_way(region: Any) -> None:
    file(region["prov"], "Jumlah ÉLÈVES sekolah menurut kecamatan")
    assert usulan.list_public(text="élèves")[1] == 1
    assert usulan.list_public(text="ELEVES")[1] == 1


# --------------------------------------------------------------------------- personal data and reasons


@pytest.mark.parametrize("title", ["Jumlah nelayan dan kapal menurut kecamatan", HELD_TITLE])
def test_hiding_forgets_the_proposers_name_and_email(region: Any, title: str) -> None:
    s = file(region["prov"], title)
    assert s.proposer_name == NAME and s.proposer_email == EMAIL
    usulan.hide_suggestion(region["walidata"], s, REASON)
    db.session.commit()
    db.session.refresh(s)
    assert s.proposer_name == "" and s.proposer_email == ""


def test_hiding_a_declined_suggestion_keeps_its_public_reason(region: Any) -> None:
    s = file(region["prov"])
    usulan.decline_suggestion(region["walidata"], s, "Data ini dikumpulkan BPS, bukan OPD.")
    usulan.hide_suggestion(region["walidata"], s, REASON)
    db.session.commit()
    db.session.refresh(s)
    assert s.decision_note == "Data ini dikumpulkan BPS, bukan OPD." and s.hide_reason == REASON
    with pytest.raises(Gone) as err:
        usulan.get_public_suggestion(s.id)
    assert REASON in err.value.message
