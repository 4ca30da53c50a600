from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 500): page numbers make permalinks a reader can cite.

    CSV exports bypass pagination and stream every row instead.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_next_link(self) -> str | None:
        if not self.page.has_next():
            return None
        return self._link(self.page.next_page_number())

    def get_previous_link(self) -> str | None:
        if not self.page.has_previous():
            return None
        return self._link(self.page.previous_page_number())

    def _link(self, page_number: int) -> str:
        # Built from the decoded query, not the raw query string: a client that sends
        # ?q=就业 unencoded puts UTF-8 bytes in QUERY_STRING, which DRF's default re-encodes
        # as Latin-1 into a garbled link that 404s. urlencode writes it back percent-encoded.
        params = self.request.query_params.copy()
        if page_number == 1:
            params.pop(self.page_query_param, None)
        else:
            params[self.page_query_param] = str(page_number)
        base = self.request.build_absolute_uri(self.request.path)
        return f"{base}?{params.urlencode()}" if params else base
