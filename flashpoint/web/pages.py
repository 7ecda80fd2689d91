"""The dashboard's pages: static HTML, CSS and JavaScript shipped inside the package.

Nothing is fetched from elsewhere: the pages draw their charts as inline SVG with plain JavaScript
(no framework, no CDN, no build step) and read everything from the /api routes. The map's country
outlines come from an installed data package through /api/map/world.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(str(resources.files("flashpoint.web") / "static"))
PAGES = {
    "/": "overview.html",
    "/dyads": "dyads.html",
    "/network": "network.html",
    "/map": "map.html",
    "/events": "events.html",
    "/docs": "docs.html",
}  # URL -> file under static/

router = APIRouter(include_in_schema=False)


def _page_route(filename: str) -> Callable[[], FileResponse]:
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / filename, media_type="text/html")

    page.__name__ = f"page_{filename.removesuffix('.html')}"
    return page


for url, filename in PAGES.items():
    router.add_api_route(url, _page_route(filename), methods=["GET"])
