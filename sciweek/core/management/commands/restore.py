"""`sciweek restore FILE [--force]`: into an empty database and media folder (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sciweek.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份归档恢复数据库与上传文件（目标须为空，除非加 --force）"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("archive", help="sciweek backup 生成的归档文件")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或上传目录非空时先清空（删除现有数据）"
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            result = restore(Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复：{result.tables} 张表 {result.rows} 行，{result.files} 个文件，校验一致。")
