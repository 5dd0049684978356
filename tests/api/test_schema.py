"""The OpenAPI 3 description is generated from the code without a warning, served at /api/schema/ and
browsable at /api/docs/ with every file from the portal itself; it speaks Vietnamese with English beside
it, and says how each operation may be refused."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from api.schema import TAGS

pytestmark = pytest.mark.django_db
BILINGUAL = " — "  # "Chỉ tiêu — Targets"


@pytest.fixture
def schema(client, program) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_is_generated_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text(encoding="utf-8").startswith("openapi: 3.")


def test_anyone_may_read_the_schema_and_every_operation_is_under_api_v1(schema):
    assert schema["openapi"].startswith("3.")
    paths = list(schema["paths"])
    assert len(paths) >= 17 and all(p.startswith("/api/v1/programs/") for p in paths)


def test_descriptions_are_vietnamese_with_english_beside(schema):
    assert BILINGUAL in schema["info"]["title"] and "Authorization: Bearer" in schema["info"]["description"]
    assert [t["name"] for t in schema["tags"]] == [t["name"] for t in TAGS]
    assert all(BILINGUAL in t["description"] for t in schema["tags"])
    tags = {t["name"] for t in TAGS}
    for path, method, operation in _operations(schema):
        assert BILINGUAL in operation["summary"], (method, path)
        assert set(operation["tags"]) <= tags, (method, path)


def test_every_operation_takes_a_token_and_says_how_it_may_be_refused(schema):
    scheme = schema["components"]["securitySchemes"]["token"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, method, operation in _operations(schema):
        assert {"token": []} in operation["security"], (method, path)
        assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
        if method in ("put", "patch", "post"):
            assert {"412", "428"} <= set(operation["responses"]), (method, path)
        error = operation["responses"]["404"]["content"]
        assert list(error) == ["application/json"] and error["application/json"]["schema"]["$ref"].endswith("/Error")


def test_codes_name_things_not_database_ids(schema):
    """The path parameters are the program's year, codes, quarter numbers and report kinds (an incident,
    which has no code, by its number)."""
    names = {p for path in schema["paths"] for p in re.findall(r"{(\w+)}", path)}
    assert names == {"year", "code", "quarter", "kind", "number", "fmt"}


def test_the_docs_page_is_served_by_the_portal_without_inline_script_or_style(client, program):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and re.search(r"<script>\s*\S", html) is None
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources  # no other site
    for url in sources:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    script = next(s for s in sources if "script=" in s)
    answer = client.get(script)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in answer.content.decode()
