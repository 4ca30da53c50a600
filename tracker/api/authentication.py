"""DRF's token and session authentication, refusing malformed credentials before they reach SQL.

PostgreSQL rejects a NUL byte in a text parameter with an error, so a forged
`sessionid` cookie or token containing one would turn any request into a 500.
Real keys are alphanumeric; anything else is treated as no credential (or a bad token).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str):
        if not (key.isascii() and key.isalnum()):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        key = request._request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not (key.isascii() and key.isalnum()):
            return None
        return super().authenticate(request)
