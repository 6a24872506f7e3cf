"""The demo's statistics table: the notice's 附件 as a form definition."""

from __future__ import annotations

from sciweek.campaigns.demo_parts import DemoContext, register_demo_part

from .formspec import SIXIAN_2023_FORM
from .models import form_from_spec


@register_demo_part("统计表", order=10, essential=True)
def demo_form(ctx: DemoContext) -> None:
    form_from_spec(campaign=ctx.campaign, spec=SIXIAN_2023_FORM)
