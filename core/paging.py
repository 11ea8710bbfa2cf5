from django.core.paginator import Paginator
from django.db.models import QuerySet

from core.filters import parse_int

PAGE_SIZE = 50


def page_context(request, items, *, count: int | None = None, per_page: int = PAGE_SIZE) -> dict:
    """`page` and `page_query` (the query string without `page`) for core/partials/_pagination.html.

    `count`, when the caller already knows the total (a tab's live count), spares a COUNT(*).
    A queryset's page is found by its ids first, then only those rows are loaded with their joins:
    a deep OFFSET over narrow rows instead of over every joined column (bench/case_pages.py).
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(parse_int(request.GET.get("page"), min_value=1))
    if isinstance(items, QuerySet):
        ids = list(page.object_list.values_list("pk", flat=True))
        rows = items.filter(pk__in=ids).in_bulk() if ids else {}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "page_query": query.urlencode()}
