"""The OpenAPI schema of /api/v1/ is generated without warnings or errors and is valid OpenAPI 3."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_generates_without_warnings_and_validates(tmp_path, capsys):
    out = tmp_path / "schema.yaml"
    # --validate checks against the OpenAPI 3 JSON schema; --fail-on-warn turns any warning into a failure
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3")
    for path in (
        "/api/v1/places/",
        "/api/v1/congresses/",
        "/api/v1/deputies/",
        "/api/v1/stations/",
        "/api/v1/units/",
    ):
        assert f"  {path}:" in text, path


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served_from_this_site(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Minsheng API"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
