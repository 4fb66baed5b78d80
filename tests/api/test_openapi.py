"""The committed OpenAPI schema (docs/openapi.json) must match the code."""

import json
from pathlib import Path

from gongkai.api.urls import api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_schema_matches_the_code():
    current = api.get_openapi_schema(path_prefix="/api/v1/")
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(current)) == committed, (
        "docs/openapi.json is out of date: run `.venv/bin/python scripts/export_openapi.py`"
    )


def test_schema_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/domains",
        "/api/v1/agencies",
        "/api/v1/items",
        "/api/v1/items/{item_id}",
    } <= set(paths)
