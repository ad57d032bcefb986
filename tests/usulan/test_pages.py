"""The usulan pages and API: filing (missing fields, similar suggestions first, honeypot, rate
limit), supporting once per browser, the triage pages, and that the proposer's name and e-mail
appear on no public page and in no API answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.extensions import db
from satudata.review.daftar.status import local_today
from satudata.usulan import services as usulan
from satudata.usulan.models import Suggestion, SuggestionState
from satudata.usulan.views import FILE_LIMIT
from tests.factories import make_dataset
from tests.usulan.conftest import EMAIL, NAME, file
from tests.workspace.conftest import csrf_of, sign_in

FORM = {"title": "Jumlah nelayan dan kapal menurut kecamatan",
        "description": "Untuk penelitian ekonomi pesisir: nelayan, kapal dan alat tangkap per kecamatan.",
        "region": "pemprov-riau", "organization": "", "topic": "", "name": NAME, "email": EMAIL}


def _count() -> int:
    return int(db.session.scalar(select(func.count(Suggestion.id))) or 0)


def _post(client: Any, **data: Any) -> Any:
    return client.post("/usulan-data/baru", data={"csrf_token": csrf_of(client, "/usulan-data/baru"), **FORM,
                                                  **data})


def test_a_missing_field_is_said_and_nothing_typed_is_lost(scratch_client: Any, region: Any) -> None:
    resp = _post(scratch_client, title="", description="Untuk penelitian ekonomi pesisir kami.")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="title-error"' in html and 'aria-invalid="true"' in html
    assert "Untuk penelitian ekonomi pesisir kami." in html and EMAIL in html  # kept in the form only
    assert _count() == 0


def test_similar_suggestions_are_shown_before_filing_then_it_is_filed(scratch_client: Any, region: Any) -> None:
    first = file(region["prov"], "Data nelayan per kecamatan")
    resp = _post(scratch_client)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Mungkin sudah ada" in html
    assert f'href="/usulan-data/{first.id}"' in html
    assert _count() == 1
    resp = _post(scratch_client, lanjut="1")
    assert resp.status_code == 302
    made = db.session.scalar(select(Suggestion).order_by(Suggestion.id.desc()))
    assert made is not None and resp.headers["Location"].endswith(f"/usulan-data/{made.id}")
    assert "usulan_pendukung=" in resp.headers.get("Set-Cookie", "")
    assert made.support_count == 1


def test_the_honeypot_refuses_a_bot(scratch_client: Any, region: Any) -> None:
    assert _post(scratch_client, website="http://spam.example").status_code == 400
    assert _count() == 0


def test_filing_is_rate_limited_and_keeps_what_was_typed(scratch_client: Any, region: Any) -> None:
    limit = int(FILE_LIMIT.split()[0])
    statuses = [_post(scratch_client, title=f"Jumlah perahu motor tempel nomor {i}", lanjut="1").status_code
                for i in range(limit)]
    assert statuses == [302] * limit
    resp = _post(scratch_client, title="Jumlah tambak udang menurut desa", lanjut="1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 429
    assert "Terlalu banyak usulan" in html and "Jumlah tambak udang menurut desa" in html
    assert _count() == limit


def test_the_limit_counts_an_ipv6_client_by_its_64_network(scratch_client: Any, region: Any) -> None:
    # An ISP gives each customer a /64: a script changing addresses inside it is one client.
    limit = int(FILE_LIMIT.split()[0])

    def post_from(address: str, title: str) -> int:
        token = csrf_of(scratch_client, "/usulan-data/baru")
        return int(scratch_client.post("/usulan-data/baru", environ_base={"REMOTE_ADDR": address},
                                       data={"csrf_token": token, **FORM, "title": title, "lanjut": "1"}).status_code)

    statuses = [post_from(f"2001:db8:1:2::{i + 1:x}", f"Jumlah perahu motor tempel nomor {i}") for i in range(limit)]
    assert statuses == [302] * limit
    assert post_from("2001:db8:1:2:ffff:ffff:ffff:fffe", "Jumlah tambak udang menurut desa") == 429
    assert post_from("2001:db8:1:3::1", "Jumlah tambak udang menurut desa") == 302  # the neighbour's /64


def test_client_network() -> None:
    from satudata.extensions import client_network

    assert client_network("203.0.113.7") == "203.0.113.7"
    assert client_network("2001:db8:1:2:aaaa::1") == client_network("2001:db8:1:2::ffff") == "2001:db8:1:2::/64"
    assert client_network("::ffff:203.0.113.7") == "203.0.113.7"  # IPv4 seen through a v6 socket
    assert client_network("fe80::1%eth0") == "fe80::/64"
    assert client_network("not an address") == "not an address" and client_network("") == ""


def test_abusive_text_is_held_and_not_public(scratch_client: Any, region: Any) -> None:
    resp = _post(scratch_client, description="Data ini penting, pejabatnya g0bl0k semua, buka datanya!", lanjut="1")
    assert resp.status_code == 200 and "menunggu moderasi" in resp.get_data(as_text=True)
    held = db.session.scalar(select(Suggestion))
    assert held is not None and held.state == SuggestionState.MODERATION
    assert scratch_client.get(f"/usulan-data/{held.id}").status_code == 404
    assert scratch_client.get(f"/api/v1/usulan-data/{held.id}").status_code == 404
    assert "g0bl0k" not in scratch_client.get("/usulan-data").get_data(as_text=True)


def test_a_browser_supports_once(scratch_client: Any, region: Any) -> None:
    s = file(region["prov"], supporter="orang-lain")
    page = f"/usulan-data/{s.id}"
    resp = scratch_client.post(page + "/dukung", data={"csrf_token": csrf_of(scratch_client, page)})
    assert resp.status_code == 303
    db.session.refresh(s)
    assert s.support_count == 2
    html = scratch_client.get(page).get_data(as_text=True)
    assert "Anda sudah mendukung usulan ini." in html and ">Dukung<" not in html
    scratch_client.post(page + "/dukung", data={"csrf_token": csrf_of(scratch_client, "/usulan-data/baru")})
    db.session.refresh(s)
    assert s.support_count == 2
    # Another browser (no cookie) counts; without the CSRF token nothing is counted.
    other = scratch_client.application.test_client()
    assert other.post(page + "/dukung", data={}).status_code == 400
    db.session.refresh(s)
    assert s.support_count == 2
    assert other.post(page + "/dukung", data={"csrf_token": csrf_of(other, page)}).status_code == 303
    db.session.refresh(s)
    assert s.support_count == 3
    # A script that drops its cookie each time counts at most a few times from one address.
    for _ in range(5):
        fresh = scratch_client.application.test_client()
        fresh.post(page + "/dukung", data={"csrf_token": csrf_of(fresh, page)})
    db.session.refresh(s)
    assert s.support_count == 1 + usulan.SUPPORTS_PER_ADDRESS  # the filer's (no address in a test) + 3


def test_public_pages_and_the_api_never_show_the_proposer(scratch_client: Any, region: Any) -> None:
    s = file(region["prov"])
    make_dataset(region["dinkes"], title="Nelayan per Kecamatan")
    other = file(region["prov"], "Jumlah sekolah dasar menurut kecamatan")
    usulan.decline_suggestion(region["walidata"], other, "Sudah dikumpulkan Kemendikdasmen.")
    db.session.commit()
    pages = ["/usulan-data", f"/usulan-data/{s.id}", f"/usulan-data/{other.id}", "/usulan-data?urut=dukungan",
             "/api/v1/usulan-data", f"/api/v1/usulan-data/{s.id}", f"/api/v1/usulan-data/{other.id}"]
    for path in pages:
        resp = scratch_client.get(path)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200, path
        assert s.title in body or other.title in body, path
        for secret in (NAME, EMAIL, "Rahmat", "pengusul@"):
            assert secret not in body, (path, secret)


def test_the_api_lists_pages_and_filters(scratch_client: Any, region: Any) -> None:
    a = file(region["prov"], "Jumlah nelayan menurut kecamatan")
    b = file(region["prov"], "Produksi padi sawah per desa")
    usulan.decline_suggestion(region["walidata"], a, "Data ini dikumpulkan BPS setiap tahun.")
    db.session.commit()
    body = scratch_client.get("/api/v1/usulan-data?per_page=1").get_json()
    assert body["meta"] == {"total": 2, "page": 1, "per_page": 1, "pages": 2}
    assert body["links"]["next"].endswith("page=2")
    body = scratch_client.get("/api/v1/usulan-data?status=ditolak").get_json()
    assert [d["id"] for d in body["data"]] == [a.id]
    assert body["data"][0]["status"] == "Ditolak" and body["data"][0]["decision_note"].startswith("Data ini")
    assert body["data"][0]["region"]["slug"] == "pemprov-riau"
    assert set(body["data"][0]) >= {"id", "title", "description", "state", "support_count", "created_at", "page"}
    assert scratch_client.get("/api/v1/usulan-data?status=moderasi").status_code == 422
    assert scratch_client.get("/api/v1/usulan-data?region=tidak-ada").status_code == 404
    assert scratch_client.get("/api/v1/usulan-data/99999").status_code == 404
    assert scratch_client.get("/api/v1/usulan-data/abc").status_code == 404
    usulan.hide_suggestion(region["walidata"], b, "Memuat data pribadi warga.")
    db.session.commit()
    gone = scratch_client.get(f"/api/v1/usulan-data/{b.id}")
    assert gone.status_code == 410 and "Memuat data pribadi" in gone.get_data(as_text=True)


def test_the_list_searches_and_filters(scratch_client: Any, region: Any) -> None:
    file(region["prov"], "Jumlah nelayan menurut kecamatan")
    file(region["other"], "Produksi padi sawah per desa")
    html = scratch_client.get("/usulan-data?q=padi").get_data(as_text=True)
    assert "Produksi padi sawah" in html and "nelayan" not in html.split("<main", 1)[1].split("Usulkan data")[-1]
    html = scratch_client.get("/usulan-data?wilayah=pemprov-riau").get_data(as_text=True)
    assert "Jumlah nelayan" in html and "Produksi padi" not in html
    assert scratch_client.get("/usulan-data?status=bukan").status_code == 400


# --------------------------------------------------------------------------- triage pages


def test_the_walidata_accepts_from_the_triage_page_and_the_public_page_links_the_item(
        scratch_client: Any, region: Any) -> None:
    s = file(region["prov"])
    sign_in(scratch_client, "walidata")
    html = scratch_client.get("/kelola/usulan-data").get_data(as_text=True)
    assert f"#{s.id} {s.title}" in html and "Menunggu tanggapan: <strong>1</strong>" in html
    page = f"/kelola/usulan-data/{s.id}"
    html = scratch_client.get(page).get_data(as_text=True)
    assert NAME in html and EMAIL not in html  # the walidata sees a name, never the address
    year = local_today().year + 1
    data = {"csrf_token": csrf_of(scratch_client, page), "organization": str(region["dinkes"].id), "year": str(year),
            "title": s.title, "frequency": "tahunan", "release_date": f"{year}-09-30"}
    resp = scratch_client.post(page + "/accept", data=data)
    assert resp.status_code == 303
    again = scratch_client.post(page + "/accept", data=data)  # a double submit
    assert again.status_code == 409 and "sudah berstatus" in again.get_data(as_text=True)
    db.session.refresh(s)
    assert s.state == SuggestionState.ACCEPTED and s.daftar_item is not None and s.daftar_item.year == year
    html = scratch_client.get(f"/usulan-data/{s.id}").get_data(as_text=True)
    assert f'href="/kalender-rilis?tahun={year}&amp;opd=dinkes-riau#butir-{s.daftar_item_id}"' in html
    calendar = scratch_client.get(f"/kalender-rilis?tahun={year}&opd=dinkes-riau").get_data(as_text=True)
    assert f'id="butir-{s.daftar_item_id}"' in calendar


def test_a_decline_without_reason_is_said_on_the_page(scratch_client: Any, region: Any) -> None:
    s = file(region["prov"])
    sign_in(scratch_client, "walidata")
    page = f"/kelola/usulan-data/{s.id}"
    resp = scratch_client.post(page + "/decline", data={"csrf_token": csrf_of(scratch_client, page), "reason": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="decline-reason-error"' in html
    db.session.refresh(s)
    assert s.state == SuggestionState.NEW


@pytest.mark.parametrize("who", ["produsen", "walidata.dumai", None])
def test_others_cannot_triage(scratch_client: Any, region: Any, who: str | None) -> None:
    s = file(region["prov"])
    if who:
        sign_in(scratch_client, who)
    token = csrf_of(scratch_client, f"/usulan-data/{s.id}")
    resp = scratch_client.post(f"/kelola/usulan-data/{s.id}/decline", data={"csrf_token": token,
                                                                            "reason": "Tidak berwenang menolak."})
    assert resp.status_code in (302, 401, 403)
    if who == "produsen":
        assert scratch_client.get("/kelola/usulan-data").status_code == 403
    db.session.refresh(s)
    assert s.state == SuggestionState.NEW


def test_merged_suggestion_page_points_to_its_target(scratch_client: Any, region: Any) -> None:
    a = file(region["prov"])
    b = file(region["prov"], "Data nelayan per kecamatan")
    usulan.merge_suggestion(region["walidata"], b, a)
    db.session.commit()
    html = scratch_client.get(f"/usulan-data/{b.id}").get_data(as_text=True)
    assert f"Digabung ke usulan #{a.id}" in html and f'href="/usulan-data/{a.id}"' in html
    assert re.search(r"Dukung</button>", html) is None


def test_pointing_from_the_page_links_the_dataset(scratch_client: Any, region: Any) -> None:
    s = file(region["prov"])
    ds = make_dataset(region["dinkes"], title="Jumlah Nelayan menurut Kecamatan 2025")
    sign_in(scratch_client, "walidata")
    page = f"/kelola/usulan-data/{s.id}"
    assert ds.slug in scratch_client.get(page).get_data(as_text=True)  # offered as similar
    resp = scratch_client.post(page + "/point", data={"csrf_token": csrf_of(scratch_client, page), "dataset": ds.slug})
    assert resp.status_code == 303
    html = scratch_client.get(f"/usulan-data/{s.id}").get_data(as_text=True)
    assert f'href="/dataset/{ds.slug}"' in html


def test_redirect_links_the_ppid_form(scratch_client: Any, region: Any) -> None:
    s = file(region["prov"])
    usulan.redirect_suggestion(region["walidata"], s, "Ajukan salinan kontrak ke PPID Dinas Kesehatan.")
    db.session.commit()
    html = scratch_client.get(f"/usulan-data/{s.id}").get_data(as_text=True)
    assert 'href="/ppid/permohonan"' in html and "salinan kontrak" in html


def test_the_demo_has_suggestions_in_every_state(client: Any) -> None:
    from satudata.usulan.models import PUBLIC_STATES

    body = client.get("/api/v1/usulan-data?per_page=100").get_json()
    states = {d["state"] for d in body["data"]}
    assert states == {str(s) for s in PUBLIC_STATES}
    accepted = next(d for d in body["data"] if d["state"] == "diterima")
    assert accepted["daftar_item"]["year"] == local_today().year + 1
    assert "#butir-" in accepted["daftar_item"]["calendar_url"]
    assert all(d["region"]["slug"] in ("pemprov-riau", "pemkab-rokan-hilir") for d in body["data"])
