"""``/api/tables/{kind}``: the index tables (``newsgraph.store.tables``) as JSON, one route per spec.

Each route's parameters are made from its spec, so the API takes exactly the filters the index
page offers (same names, same meaning): ``sort`` (a column, ``-`` first for descending), one
query parameter per filter, ``limit``/``offset``. An unknown parameter is a 422 like everywhere
else; so is a sort key the spec does not declare. The answer is a page with ``sort``, the active
``filters`` and ``facets`` (per facet filter, its values with counts under the other filters).
The response model of each kind is made from its columns.
"""

from __future__ import annotations

import inspect
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import create_model

from newsgraph.api.models.common import Model, Page
from newsgraph.api.params import Paging, api_router, one_of
from newsgraph.store.request import Con
from newsgraph.store.table_specs import SPECS
from newsgraph.store.tables import Filter, TableSpec, table_page

router = api_router()


class FacetValue(Model):
    value: str | int | None = None
    count: int


def row_model(spec: TableSpec) -> type[Model]:
    """A response model with one nullable field per column of ``spec``."""
    fields: dict[str, Any] = {c.key: ((int | None) if c.numeric else (str | None), None) for c in spec.columns}
    return create_model(f"{spec.kind.title()}Row", __base__=Model, __doc__=f"One row of the {spec.kind} table.",
                        **fields)


def page_model(spec: TableSpec) -> type[Model]:
    row = row_model(spec)
    return create_model(f"{spec.kind.title()}Table", __base__=Page[row],  # type: ignore[valid-type]
                        __doc__=f"A page of the {spec.kind} table with its sort, filters and facet counts.",
                        sort=(str, ...), filters=(dict[str, str | int | bool | None], ...),
                        facets=(dict[str, list[FacetValue]], ...))


def _annotation(f: Filter) -> Any:
    help_text = f.description or f.label
    if f.op in ("from", "to"):
        return Annotated[date | None, Query(alias=f.key, description=help_text)]
    if f.op == "isnull":
        return Annotated[bool | None, Query(alias=f.key, description=help_text)]
    return Annotated[str | None, Query(alias=f.key, max_length=200, description=help_text)]


def _endpoint(spec: TableSpec):
    names = {f"filter_{i}": f.key for i, f in enumerate(spec.filters)}

    def endpoint(con: Any, page: Any, sort: str | None = None, **values: Any) -> dict:
        filters = {names[name]: value for name, value in values.items()}
        return page.page(table_page(con, spec, filters, sort=sort, limit=page.limit, offset=page.offset))

    sort_type = Annotated[one_of(spec.sort_keys()) | None,  # type: ignore[operator]
                          Query(description=f"A column to sort by, '-' first for descending (default "
                                            f"{spec.default_sort}).")]
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("con", kw, annotation=Con), inspect.Parameter("page", kw, annotation=Paging),
              inspect.Parameter("sort", kw, annotation=sort_type, default=None)]
    params += [inspect.Parameter(name, kw, annotation=_annotation(spec.filter(key)), default=None)
               for name, key in names.items()]
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = f"{spec.kind}_table"
    return endpoint


for _spec in SPECS.values():
    router.add_api_route(f"/tables/{_spec.kind}", _endpoint(_spec), methods=["GET"],
                         summary=f"{_spec.title}: the index table (sort, filters, facet counts)",
                         description=_spec.description, response_model=page_model(_spec))
