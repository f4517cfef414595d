"""The web UI: HTML pages and their static files, served by the API's FastAPI app.

``newsgraph.api.app.create_app`` includes ``router`` when this package is installed. The pages
render what ``newsgraph.display`` assembles (docs/ui.md); all JS and CSS, vendored libraries
included, are served from the package, so the UI works with no network. HTML error pages for
browser routes are in ``newsgraph.web.errors``.
"""

from newsgraph.web.alerts import router as _alerts_router
from newsgraph.web.pages import router
from newsgraph.web.static import router as _static_router
from newsgraph.web.tables import router as _tables_router

router.include_router(_alerts_router)
router.include_router(_tables_router)
router.include_router(_static_router)

__all__ = ["router"]
