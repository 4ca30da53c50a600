"""The dashboard's language follows the reader's explicit choice, not the browser."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class IgnoreAcceptLanguageMiddleware:
    """Hide the browser's Accept-Language header from LocaleMiddleware.

    A journalist's permalink must look the same to every reader: Chinese unless the
    reader chose English with the switch (the django_language cookie set by
    /i18n/setlang/). Without this, LocaleMiddleware would pick English for anyone
    whose browser prefers it, and a cited page would change with the reader's machine.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API is read by programs, not cited as pages: its error messages follow the
        # client's Accept-Language, as docs/api.md promises.
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
