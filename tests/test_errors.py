"""Errors reach users in the format of where they were going, with the right status."""


def test_oversized_request_body_is_refused_before_reading(scratch_client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        resp = scratch_client.post("/api/3/action/package_search", data=b"x" * 4096,
                                   content_type="application/json")
        assert resp.status_code == 413
        assert resp.json["success"] is False
        assert resp.json["error"]["__type"] == "Validation Error"
        assert "terlalu besar" in resp.json["error"]["message"]
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 500 * 1024 * 1024


def test_unknown_api_path_is_json_404(scratch_client):
    resp = scratch_client.get("/api/v1/tidak-ada")
    assert resp.status_code == 404
    assert resp.json["error"]["code"] == "not_found"


def test_unknown_page_is_html_404(scratch_client):
    resp = scratch_client.get("/halaman-yang-tidak-ada")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "tidak ditemukan" in resp.get_data(as_text=True)


def test_nul_characters_are_refused_clearly(scratch_client):
    resp = scratch_client.get("/api/v1/datasets?q=a%00b")
    assert resp.status_code == 422 and "NUL" in resp.json["error"]["message"]
    resp = scratch_client.get("/dataset?q=a%00b")
    assert resp.status_code == 400 and "NUL" in resp.get_data(as_text=True)
