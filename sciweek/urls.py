from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from sciweek import errors
from sciweek.accounts import unit_urls as account_unit_urls
from sciweek.api.urls import api
from sciweek.core import urls as core_urls
from sciweek.orgs import urls as orgs_urls
from sciweek.orgs import workbench_urls

urlpatterns = [
    # The API first: a request is matched against the patterns in order, and each include that does
    # not match costs a list of everything it tried (a tenth of a busy API call's CPU when last).
    path("api/v1/", api.urls),
    path("", include("sciweek.portal.urls")),
    # Two lists in one namespace each: a lower package's pages beside those that need a higher one.
    path("", include((core_urls.urlpatterns + workbench_urls.urlpatterns, "core"))),
    path("accounts/", include("sciweek.accounts.urls")),
    path("manage/units/", include((orgs_urls.urlpatterns + account_unit_urls.urlpatterns, "orgs"))),
    path("", include("sciweek.campaigns.urls")),
    path("", include("sciweek.notices.urls")),
    path("", include("sciweek.summary.urls")),
    path("", include("sciweek.reports.urls")),
    path("", include("sciweek.events.urls")),
    path("", include("sciweek.materials.urls")),
    path("", include("sciweek.selections.urls")),
    path("", include("sciweek.contests.urls")),
    path("", include("sciweek.innovation.urls")),
    path("", include("sciweek.reminders.urls")),
    path("", include("sciweek.demo.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", errors.favicon),
]
# Django's admin only when an operator asked for it, at a path of their choosing (settings).
if settings.SCIWEEK_ADMIN_PATH:
    urlpatterns.append(path(f"{settings.SCIWEEK_ADMIN_PATH}/", admin.site.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "sciweek.errors.bad_request"
handler403 = "sciweek.errors.permission_denied"
handler404 = "sciweek.errors.page_not_found"
handler500 = "sciweek.errors.server_error"
