"""Error pages (404, 403, 400, 500): Chinese, in the site's layout, with a way back and whom to ask.

Under /api/ they stay JSON ({"detail": ...}) like the API's own errors. The 500 page is drawn without
the request's context processors (they read the database, which may be what failed).
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

_TITLES = {
    400: (_("请求有误"), _("页面收到的内容不完整或无法识别，请返回后重新操作。")),
    403: (_("没有权限"), _("您的账号没有访问这个页面的权限。如需开通，请联系本单位或组织单位的管理员。")),
    404: (_("页面不存在"), _("您要找的页面不存在，可能已被删除、地址有误，或不在您的查看范围内。")),
    500: (_("系统出了点问题"), _("服务器处理时出错，已记录下来。请稍后再试；如果一直出现，请联系组织单位。")),
}


_OWN_CODE = str(Path(__file__).resolve().parent)


def own_reason(exception: Exception | None) -> str:
    """The reason our own code gave (``raise Http404(_("尚未公布"))``), shown under the title; Django's own
    (the URL resolver's, get_object_or_404's "No … matches") say nothing a visitor can use: none."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    tb = exception.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    raised_in = str(Path(tb.tb_frame.f_code.co_filename).resolve()) if tb is not None else ""
    inside = raised_in.startswith(_OWN_CODE) and "site-packages" not in raised_in
    return exception.args[0] if inside else ""


def _contact() -> dict[str, str] | None:
    """The newest public campaign's contact (the bureau that runs the week), if the database answers."""
    try:
        from sciweek.campaigns.selectors import current_public_campaign

        c = current_public_campaign()
    except Exception:  # noqa: BLE001 - an error page never fails because of its extras
        return None
    if c is None or not (c.contact_person or c.contact_phone):
        return None
    return {"who": c.contact_person, "phone": c.contact_phone, "email": c.contact_email, "campaign": c.title}


def _page(request: HttpRequest, status: int, *, with_context: bool = True, reason: str = "") -> HttpResponse:
    title, text = _TITLES[status]
    if request.path.startswith("/api/"):
        detail = reason or str(title)
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    data = {"status": status, "title": str(title), "text": str(text), "reason": reason, "contact": _contact()}
    template = loader.get_template("errors/error.html")
    body = template.render(data, request if with_context else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, reason=own_reason(exception))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, reason=own_reason(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, with_context=False)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the static one."""
    return HttpResponseRedirect(static("sciweek/favicon.ico"))
