"""/api/v1/: django-ninja, OpenAPI at /api/v1/openapi.json. One router module per domain.

Errors answer in Chinese with one shape: {"detail": {field: [messages]}} for bad input (400), a stale
version 409, no permission 403, not found / not yours 404, not logged in 401.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from sciweek.campaigns.lifecycle import CampaignClosedError

from .activities import router as activities_router
from .audit import router as audit_router
from .auth import token_or_session
from .campaigns import router as campaigns_router
from .common import schema_errors_to_detail
from .contests import router as contests_router
from .events import router as events_router
from .exchange import router as exchange_router
from .innovation import router as innovation_router
from .innovation_demands import router as innovation_demands_router
from .innovation_records import router as innovation_records_router
from .media import router as media_router
from .notices import router as notices_router
from .orgs import router as orgs_router
from .publicity import router as publicity_router
from .reminders import router as reminders_router
from .reports import router as reports_router
from .requirements import router as requirements_router
from .selections import router as selections_router
from .selections_committee import router as selections_committee_router
from .selections_review import router as selections_review_router
from .sendups import router as sendups_router
from .summary import router as summary_router

api = NinjaAPI(
    title="sciweek API",
    version="1",
    description=(
        "科技活动周管理平台接口。令牌在“我的账号”页面创建，以 `Authorization: Bearer <令牌>` 发送；"
        "已登录的浏览器会话也可调用（写操作须带 CSRF 令牌）。权限与页面相同：看不到的对象返回 404，"
        "能看到但无权修改返回 403，输入有误返回 400 并逐项说明，版本号过期返回 409。"
    ),
    auth=token_or_session,
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    status = 409 if getattr(exc, "code", "") == "stale" else 400
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(SchemaError)
def _schema_error(request, exc: SchemaError):
    return api.create_response(request, {"detail": schema_errors_to_detail(exc.errors)}, status=400)


@api.exception_handler(CampaignClosedError)
def _closed(request, exc: CampaignClosedError):
    """The campaign's status does not allow the write (campaigns/lifecycle.py): 409 with the reason."""
    return api.create_response(request, {"detail": exc.message, "status": exc.status}, status=409)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """ninja's own refusals; the one a person meets, a body that is not JSON, in Chinese like the rest."""
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return api.create_response(
            request, {"detail": {"__all__": [_("请求内容不是有效的 JSON。")]}}, status=400
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    return api.create_response(
        request, {"detail": _("请先登录，或在请求头中提供有效的接口令牌。")}, status=401
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("无权操作")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or _("不存在")}, status=404)


api.add_router("/campaigns", campaigns_router)
api.add_router("/campaigns", activities_router)
api.add_router("/campaigns", requirements_router)
api.add_router("/units", orgs_router)
api.add_router("/events", events_router)
api.add_router("/reports", reports_router)
api.add_router("/selections", selections_router)
api.add_router("/selections", selections_review_router)
api.add_router("/selections", selections_committee_router)
api.add_router("", publicity_router)
api.add_router("", media_router)
api.add_router("/contests", contests_router)
api.add_router("/summary", summary_router)
api.add_router("/summary", sendups_router)
api.add_router("/summary", audit_router)
api.add_router("/exchange", exchange_router)
api.add_router("/notices", notices_router)
api.add_router("", innovation_router)
api.add_router("", innovation_demands_router)
api.add_router("", innovation_records_router)
api.add_router("/", reminders_router)
