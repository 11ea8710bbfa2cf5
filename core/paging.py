from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_context(request, items, *, count: int | None = None, per_page: int = PAGE_SIZE) -> dict:
    """`page` and `page_query` (the query string without `page`) for core/partials/_pagination.html.

    `count`, when the caller already knows the total (a tab's live count), spares a COUNT(*).
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": paginator.get_page(request.GET.get("page")), "page_query": query.urlencode()}
