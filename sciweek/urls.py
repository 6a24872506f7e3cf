from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from sciweek.api.urls import api

urlpatterns = [
    # The API first: a request is matched against the patterns in order, and each include that does
    # not match costs a list of everything it tried (a tenth of a busy API call's CPU when last).
    path("api/v1/", api.urls),
    path("", include("sciweek.portal.urls")),
    path("", include("sciweek.core.urls")),
    path("accounts/", include("sciweek.accounts.urls")),
    path("manage/units/", include("sciweek.orgs.urls")),
    path("", include("sciweek.campaigns.urls")),
    path("", include("sciweek.reports.urls")),
    path("", include("sciweek.events.urls")),
    path("", include("sciweek.materials.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
