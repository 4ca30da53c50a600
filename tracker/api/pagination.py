from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 500): page numbers make permalinks a reader can cite.

    CSV exports bypass pagination and stream every row instead.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
