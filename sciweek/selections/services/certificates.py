"""Winners' certificates: issued once the selection is published, printed as PDF (CJK font embedded,
``core/pdffonts.py``) with a QR code (``core/verification.py``) that opens the public verification
page. What a certificate says is frozen when it is issued; whether it still stands is read live from the
nomination, so an upheld objection or a later 一票否决 shows the title as withdrawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.pdffonts import embedded_cjk_font
from sciweek.core.verification import qr_png, verification_token

from ..models import Certificate, Nomination, Selection


@transaction.atomic
def certificates_issue(*, actor: Any, selection: Selection) -> list[Certificate]:
    """A certificate for every winner who has none yet (only after 公布); returns all of them."""
    if selection.stage != Selection.Stage.PUBLISHED:
        raise ValidationError({"__all__": _("评选结果公布后才能颁发证书。")})
    winners = list(
        Nomination.objects.select_for_update()
        .filter(selection=selection, status=Nomination.Status.WINNER)
        .order_by("pk")
    )
    if not winners:
        raise ValidationError({"__all__": _("没有当选人选，无需颁发证书。")})
    have = set(Certificate.objects.filter(nomination__in=winners).values_list("nomination_id", flat=True))
    now = clock.now()
    issuer = selection.campaign.org_unit.name
    new = [
        Certificate(
            nomination=n,
            token=verification_token(),
            name=n.name,
            title=selection.title,
            year=selection.campaign.year,
            issuer=issuer,
            issued_at=now,
        )
        for n in winners
        if n.pk not in have
    ]
    Certificate.objects.bulk_create(new)
    if new:
        audit_log(
            actor=actor,
            action="selection.certificates",
            obj=selection,
            after={"issued": [c.name for c in new]},
        )
    return list(
        Certificate.objects.filter(nomination__in=winners).select_related("nomination").order_by("pk")
    )


def certificates_pdf(certificates: list[Certificate], *, verify_url: Callable[[Certificate], str]) -> bytes:
    """One landscape A4 page per certificate; ``verify_url(c)`` is what its QR code opens. An official
    document: always printed in Chinese, whatever the interface language of whoever downloads it."""
    with translation.override("zh-hans"):
        return _pdf(certificates, verify_url)


def _pdf(certificates: list[Certificate], verify_url: Callable[[Certificate], str]) -> bytes:
    honour = _("荣誉证书")
    texts = [honour, _("同志："), _("被评为"), _("特发此证。"), _("扫码验证"), "0123456789年月日"]
    texts += [c.name + c.title + c.issuer for c in certificates]
    font = embedded_cjk_font("".join(texts))
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(honour)
    for c in certificates:
        pdf.setStrokeColor(colors.HexColor("#b8860b"))
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFillColor(colors.HexColor("#9b1c1c"))
        pdf.setFont(font, 40)
        pdf.drawCentredString(width / 2, height - 50 * mm, honour)
        pdf.setFillColor(colors.black)
        pdf.setFont(font, 20)
        pdf.drawString(40 * mm, height - 82 * mm, c.name + _("同志："))
        pdf.drawString(52 * mm, height - 98 * mm, _("被评为"))
        pdf.setFont(font, 26)
        pdf.drawCentredString(width / 2, height - 116 * mm, f"“{c.title}”")
        pdf.setFont(font, 20)
        pdf.drawString(52 * mm, height - 134 * mm, _("特发此证。"))
        pdf.setFont(font, 15)
        day = timezone.localtime(c.issued_at).date()
        pdf.drawRightString(width - 40 * mm, 42 * mm, c.issuer)
        pdf.drawRightString(
            width - 40 * mm,
            33 * mm,
            _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day},
        )
        pdf.drawImage(
            ImageReader(io.BytesIO(qr_png(verify_url(c)))), 24 * mm, 22 * mm, width=30 * mm, height=30 * mm
        )
        pdf.setFont(font, 8)
        pdf.drawString(24 * mm, 18 * mm, _("扫码验证") + f" {c.token}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@dataclass
class Verification:
    certificate: Certificate
    valid: bool
    reason: str  # why it was withdrawn (empty while valid)


def verify(selection_id: int, token: str) -> Verification | None:
    """The certificate behind a QR code, or None (unknown token, or not of this selection)."""
    if not token or len(token) > 32:
        return None
    # Looked up by the token alone (any id in the URL, however large, is only compared).
    c = Certificate.objects.select_related("nomination__selection").filter(token=token).first()
    if c is None or c.nomination.selection_id != selection_id:
        return None
    n = c.nomination
    valid = n.status == Nomination.Status.WINNER and n.selection.stage == Selection.Stage.PUBLISHED
    return Verification(c, valid, "" if valid else (n.reason or _("荣誉称号已撤销。")))


def certificates_download(request: Any, selection: Any, certificates: list[Certificate]) -> HttpResponse:
    """The issued certificates as one PDF attachment, each QR code pointing at this site's verification
    page (the page and the API answer with the same file)."""
    pdf = certificates_pdf(
        certificates,
        verify_url=lambda c: request.build_absolute_uri(
            reverse("selections:verify", args=[selection.pk, c.token])
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificates-{selection.pk}.pdf"'
    return response
