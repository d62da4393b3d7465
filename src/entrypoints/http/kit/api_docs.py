"""The interactive API docs, served whole by the service itself: `/schema` (Scalar), `/schema/swagger`
(Swagger UI), the document as `/schema/openapi.json` and `/schema/openapi.yaml`. Their scripts and styles
come from `/schema/assets/` (docs_assets/, vendored from npm; see its README for versions and licences),
not from a CDN, so the pages render on a machine without internet. GraphiQL's page at `/graphql`
(`graphiql_page`, docs_assets/graphiql.html) takes its scripts and styles from there too."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.params import FromPath

ASSETS = Path(__file__).with_name("docs_assets")
ASSETS_PATH = "/schema/assets"
_MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_NO_FAVICON = "<link rel='icon' href='data:,'>"  # no request for an icon anywhere


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [
        ScalarRenderPlugin(
            js_url=f"{ASSETS_PATH}/scalar-api-reference.js",
            css_url=f"{ASSETS_PATH}/api-docs.css",
            favicon=_NO_FAVICON,
            options={"withDefaultFonts": False},  # the fonts would come from Scalar's servers
        ),
        SwaggerRenderPlugin(
            path="/swagger",
            js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            css_url=f"{ASSETS_PATH}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
            favicon=_NO_FAVICON,
        ),
        YamlRenderPlugin(),
    ]


@cache
def graphiql_page() -> str:
    """The GraphiQL page served at `/graphql` to a browser, naming only `/schema/assets/` files."""
    return (ASSETS / "graphiql.html").read_text(encoding="utf-8")


@get(f"{ASSETS_PATH}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
def docs_asset(name: FromPath[str], request: Request[Any, Any, Any]) -> Response[bytes]:
    """One asset, as stored (gzip) to a client that accepts gzip, else decompressed."""
    compressed = _compressed(name)
    headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    media_type = _MEDIA_TYPES[Path(name).suffix]
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(compressed, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
    return Response(gzip.decompress(compressed), media_type=media_type, headers=headers)


@cache
def _compressed(name: str) -> bytes:
    if name == "api-docs.css":
        return gzip.compress(b"body { margin: 0; padding: 0 }\n", mtime=0)
    path = ASSETS / f"{name}.gz"
    if Path(name).suffix not in _MEDIA_TYPES or path.parent != ASSETS or not path.is_file():
        raise NotFoundException(f"no asset {name!r}")
    return path.read_bytes()
