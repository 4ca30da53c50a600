"""The dashboard's language follows the reader's explicit choice, not the browser."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
