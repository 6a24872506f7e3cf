"""`sciweek backup --out FILE`: database + uploaded files + manifest in one archive (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sciweek.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个归档文件（含版本与校验清单）"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--out", required=True, help="归档文件路径，如 /backup/sciweek-$(date +%%F).tar")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            result = backup(Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已备份：{result.path}（{result.tables} 张表 {result.rows} 行，{result.files} 个文件，"
            f"{result.size / 1048576:.1f} MB）"
        )
