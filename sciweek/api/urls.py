"""/api/v1/: django-ninja, OpenAPI at /api/v1/openapi.json. One router module per domain."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from .auth import token_or_session
from .campaigns import router as campaigns_router
from .orgs import router as orgs_router

api = NinjaAPI(
    title="sciweek API",
    version="1",
    description="科技活动周管理平台接口。令牌在“我的账号”页面创建，以 `Authorization: Bearer <令牌>` 发送。",
    auth=token_or_session,
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400 if getattr(exc, "code", "") != "stale" else 409)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "不存在"}, status=404)


api.add_router("/campaigns", campaigns_router)
api.add_router("/units", orgs_router)
