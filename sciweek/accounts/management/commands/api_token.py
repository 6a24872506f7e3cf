"""sciweek api_token USERNAME [--name 用途]: a personal API token for scripts (shown once)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sciweek.accounts.services import token_create


class Command(BaseCommand):
    help = "为账号创建接口令牌（只显示一次），脚本以 Authorization: Bearer <令牌> 调用 /api/v1/。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建的脚本令牌", help="令牌用途")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有账号「{options['username']}」")
        if not user.is_active:
            raise CommandError(f"账号「{user.username}」已停用")
        try:
            _token, raw = token_create(actor="命令行", user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        self.stderr.write(f"已为「{user.username}」创建令牌（只显示这一次，请妥善保存）：")
        self.stdout.write(raw)
