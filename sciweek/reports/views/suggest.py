"""The 采用 button beside a suggested value (reports.suggestions), for a browser without JavaScript.

With JavaScript the button only fills the input and the row saves itself as if typed (entry.js). Without
it, the button posts the whole entry form here: every typed row is saved as 保存草稿 would, with the
suggested value (read again on the server, never taken from the form) in the chosen row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..services.workflow import unit_link
from ..suggestions import suggestion_for
from .entry import _cell_input, _version, entry_context


@login_required
@require_POST
def adopt(request: HttpRequest, report_id: int, code: str) -> HttpResponse:
    report = services.access_report_to_fill(request.user, report_id)
    rows = services.form_rows(report.form)
    suggestion = suggestion_for(report, code) if code in rows else None
    if suggestion is None:
        raise Http404(_("这一行没有可采用的建议值"))
    cells = {
        c: _cell_input(request, c) for c in rows if f"v_{c}" in request.POST or f"na_{c}" in request.POST
    }
    cells[code] = services.CellInput(raw=f"{suggestion.value:f}", not_applicable=False, note=None)
    try:
        services.report_save_values(report=report, actor=request.user, version=_version(request), cells=cells)
    except ValidationError as exc:
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        typed = {c: request.POST.get(f"v_{c}", "") for c in rows}
        problems = {
            key: [_("%(message)s（未保存）") % {"message": m} for m in ms] for key, ms in problems.items()
        }
        return render(
            request,
            "reports/entry_report.html",
            entry_context(request, report, typed=typed, problems=problems),
        )
    messages.success(
        request,
        _("已采用「%(label)s」的建议值 %(value)s。")
        % {"label": rows[code].label, "value": f"{suggestion.value:f}"},
    )
    return redirect(f"{unit_link(report)}#row-{code}")
