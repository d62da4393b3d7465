"""The interactive docs work offline: every script, style sheet and image the pages name comes from the
service itself (GraphiQL's page at /graphql included), and the document is served as JSON and as YAML."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from litestar.testing import TestClient

from agentry.entrypoints.runtime import build_api
from tests.contract.http_app import embedded_settings

PAGES = ["/schema", "/schema/swagger", "/graphql"]
_NAMED = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def client() -> TestClient:  # type: ignore[type-arg]
    # no lifespan: these pages read nothing from the database
    return TestClient(build_api(embedded_settings(Path("/nonexistent"))))


@pytest.mark.parametrize("page", PAGES)
def test_every_asset_a_docs_page_names_is_served_by_the_service_itself(client: TestClient, page: str) -> None:  # type: ignore[type-arg]
    response = client.get(page, headers={"Accept": "text/html"})  # /graphql shows GraphiQL to a browser
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    named = [url for url in _NAMED.findall(response.text) if not url.startswith("data:")]
    assert named, f"{page} names no asset: {response.text[:500]}"
    for url in named:
        assert not re.match(r"^(https?:)?//", url), f"{page} loads {url} from elsewhere"
        asset = client.get(urljoin(page, url))
        assert asset.status_code == 200, (url, asset.status_code)
        assert len(asset.content) > 10, url
        kind = asset.headers["content-type"]
        assert ("javascript" in kind) if url.endswith(".js") else ("css" in kind), (url, kind)


def test_the_scripts_are_whole_for_clients_that_take_gzip_and_for_those_that_do_not(client: TestClient) -> None:  # type: ignore[type-arg]
    plain = client.get("/schema/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    zipped = client.get("/schema/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes gzip
    assert b"SwaggerUIBundle" in plain.content
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


def test_graphiql_is_the_vendored_one_and_names_no_cdn(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/graphql", headers={"Accept": "text/html"}).text
    assert "://" not in page  # nothing from elsewhere, not even a script's fetch or import
    assert "/schema/assets/graphiql.min.js" in page
    script = client.get("/schema/assets/graphiql.min.js").text
    assert "GraphiQL" in script
    assert "createFetcher" in script


def test_without_introspection_a_browser_gets_no_graphiql() -> None:
    settings = embedded_settings(Path("/nonexistent"), graphql_introspection=False)
    response = TestClient(build_api(settings)).get("/graphql", headers={"Accept": "text/html"})
    assert "GraphiQL" not in response.text
    assert not response.headers.get("content-type", "").startswith("text/html")


def test_an_asset_that_does_not_exist_is_a_404(client: TestClient) -> None:  # type: ignore[type-arg]
    for name in ("nothing.js", "..%2Fapi_docs.py", "README.md", "graphiql.html"):
        assert client.get(f"/schema/assets/{name}").status_code == 404, name


def test_the_document_is_served_as_yaml_too(client: TestClient) -> None:  # type: ignore[type-arg]
    as_json = client.get("/schema/openapi.json").json()
    response = client.get("/schema/openapi.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.text) == as_json
