"""The demo portal's statistical metadata: two Dinas Kesehatan Rokan Hilir datasets carry a
filled MS-Keg (and one an MS-Ind), served by the API and the public page."""

from __future__ import annotations

from typing import Any


def test_demo_datasets_have_ms_metadata(client: Any) -> None:
    resp = client.get("/api/v1/datasets/prevalensi-stunting-kecamatan-rokan-hilir-2024/metadata-statistik")
    assert resp.status_code == 200
    body = resp.json
    assert "stunting" in body["ms_keg"]["latar_belakang"]
    assert body["ms_keg"]["instansi_penyelenggara"].startswith("Dinas Kesehatan")
    assert body["ms_ind"][0]["satuan"] == "persen" and body["ms_var"]
    assert all(v["definisi"] for v in body["ms_var"])
    page = client.get("/dataset/fasilitas-kesehatan-kecamatan-rokan-hilir-2025/metadata-statistik")
    assert page.status_code == 200 and "Perencanaan pelayanan kesehatan dasar" in page.get_data(as_text=True)
