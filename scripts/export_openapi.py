"""Write the API's OpenAPI schema to docs/openapi.json (the committed copy).

Run after changing the API: `.venv/bin/python scripts/export_openapi.py`.
tests/api/test_openapi.py fails while the committed copy and the code disagree.
"""

import json
import os
import sys
from pathlib import Path


def schema_json() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from gongkai.api.urls import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


OUT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"

if __name__ == "__main__":
    OUT.write_text(schema_json(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
