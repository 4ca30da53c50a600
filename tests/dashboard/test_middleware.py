"""The language middleware hides Accept-Language and nothing else (no database)."""

from django.http import HttpResponse
from django.test import RequestFactory

from tracker.dashboard.middleware import IgnoreAcceptLanguageMiddleware


def test_accept_language_is_hidden_from_later_middleware():
    seen = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-US", HTTP_USER_AGENT="test")
    IgnoreAcceptLanguageMiddleware(view)(request)
    assert "HTTP_ACCEPT_LANGUAGE" not in seen
    assert seen["HTTP_USER_AGENT"] == "test"
