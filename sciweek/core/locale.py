"""Chinese first: English only for someone who chose it.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a colleague whose browser
happens to be set to English would get an English platform they never asked for. Here the language
is Chinese (LANGUAGE_CODE) unless the person pressed the language switch (base.html posts to
/i18n/setlang/, which stores the choice in the django_language cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language the person chose with the switch (a supported one), else the site's default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without Accept-Language (sciweek uses no language prefixes in its URLs)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # The page depends on the cookie, never on Accept-Language: say so to any cache in between.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
