"""sciweek summary --campaign ID [--unit UNIT_ID] --out FILE.docx|.pdf [--regenerate]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.campaigns.identity import AmbiguousCampaign, resolve_campaign
from sciweek.orgs.models import OrgUnit
from sciweek.summary.render import pdf_engine, render_docx, render_pdf
from sciweek.summary.services import summary_generate, summary_get_or_generate


class Command(BaseCommand):
    help = "写出活动总结（已编辑的定稿，或尚无总结时按数据生成的初稿）：.docx 或 .pdf。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--campaign", required=True, help="活动周编号（id:N 或编号），或年度（配合 --region）"
        )
        parser.add_argument("--region", help="按年度指定时的地区代码")
        parser.add_argument("--unit", help="单位编号（或单位代码）；不加则为活动周所在地区的总结")
        parser.add_argument("--out", required=True, metavar="FILE.docx")
        parser.add_argument("--regenerate", action="store_true", help="按当前数据重新生成初稿（覆盖编辑）")

    def handle(self, *args, **options) -> None:
        try:
            campaign = resolve_campaign(options["campaign"], options["region"])
        except AmbiguousCampaign as exc:
            raise CommandError(str(exc))
        node = campaign.org_unit
        if options["unit"]:
            raw = options["unit"]
            node = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
            node = node or OrgUnit.objects.filter(code=raw).first()
            if node is None or not node.path.startswith(campaign.org_unit.path):
                raise CommandError(f"「{campaign.title}」中没有单位 {raw}")
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"目录不存在：{out.parent}")
        if out.suffix.lower() not in (".docx", ".pdf"):
            raise CommandError("--out 须以 .docx 或 .pdf 结尾")
        if options["regenerate"]:
            draft = summary_generate(campaign=campaign, node=node, actor="命令行")
        else:
            draft = summary_get_or_generate(campaign=campaign, node=node, actor="命令行")
        if out.suffix.lower() == ".pdf":
            out.write_bytes(render_pdf(draft))
            how = f"PDF（{pdf_engine()}）"
        else:
            out.write_bytes(render_docx(draft))
            how = "Word"
        state = "已编辑定稿" if draft.edited else "数据生成的初稿"
        self.stdout.write(
            self.style.SUCCESS(f"已写出「{draft.title}」{how}（{state}，第{draft.version}版）：{out}")
        )
