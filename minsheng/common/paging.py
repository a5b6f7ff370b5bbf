"""Pagination for pages: one helper so every list pages alike and keeps its filters in the links."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> dict:
    """Context for `_pagination.html`: page_obj, and the querystring of the filters without `page`."""
    page_obj = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page_obj": page_obj, "object_list": page_obj.object_list, "querystring": params.urlencode()}
