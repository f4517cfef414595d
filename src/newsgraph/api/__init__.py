"""The REST API: a FastAPI app over the store's read library (``newsgraph.store.queries``).

``create_app(db_path)`` builds it; ``newsgraph serve --db FILE`` runs it (docs/api.md).
"""

from newsgraph.api.app import create_app

__all__ = ["create_app"]
