"""sciweek make_boards --campaign ID|YEAR [--region CODE] [--unit UNIT_ID] --size rollup --out DIR: print-ready PDFs of the
approved publicity content, one per unit; prints each path (for print shops and scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.identity import AmbiguousCampaign, resolve_campaign
from sciweek.materials.boards.build import approved, board_filename, board_pdf
from sciweek.materials.boards.sizes import SIZES, TEMPLATES


class Command(BaseCommand):
    help = cast(str, gettext_lazy("为审核通过的宣传内容生成可印刷的展板 PDF，逐行输出文件路径"))

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, metavar="ID|YEAR")
        parser.add_argument("--region", metavar="CODE")
        parser.add_argument("--unit", type=int)
        parser.add_argument("--size", choices=list(SIZES), default="rollup")
        parser.add_argument("--layout", choices=list(TEMPLATES))
        parser.add_argument("--crop-marks", action="store_true")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **opts):
        try:
            campaign = resolve_campaign(opts["campaign"], opts.get("region"))
        except AmbiguousCampaign as exc:
            raise CommandError(str(exc)) from None
        subs = list(approved(campaign.pk, opts.get("unit")))
        if not subs:
            raise CommandError(_("没有审核通过的宣传内容（检查活动周编号和单位编号）"))
        out = Path(opts["out"])
        out.mkdir(parents=True, exist_ok=True)
        for sub in subs:
            path = out / board_filename(sub, opts["size"])
            with open(path, "wb") as fh:
                result = board_pdf(
                    submission=sub,
                    out=fh,
                    size=opts["size"],
                    template=opts.get("layout"),
                    crop_marks=opts["crop_marks"],
                )
            self.stdout.write(str(path.resolve()))
            for warning in result.warnings:
                self.stderr.write(f"{sub.unit.name}：{warning}")
