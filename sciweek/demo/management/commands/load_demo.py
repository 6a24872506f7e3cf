from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sciweek.demo import phases
from sciweek.demo.loader import demo_exists, load_demo


class Command(BaseCommand):
    help = "载入2023年泗县科技活动周演示数据（仅当数据库为空时）并打印演示账号的一次性密码。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=getattr(settings, "SCIWEEK_PUBLIC_URL", "") or "http://127.0.0.1:8000",
            help="打印的登录地址所用的网址（make run 传入实际的主机和端口）",
        )

    def handle(self, *args, **options) -> None:
        if settings.DEMO_MODE and phases.start_if_unset():
            self.stdout.write(
                f"演示时钟已设为{phases.START.at:%Y年%-m月%-d日 %H:%M}（{phases.START.name}）。"
            )
        if demo_exists():
            self.stdout.write(
                "数据库中已有数据，未载入演示数据。演示账号的密码只在首次载入时显示；"
                "忘记时可运行：sciweek changepassword 用户名"
            )
            return
        loaded = load_demo()
        for line in loaded.context.lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("已载入2023年泗县科技活动周演示数据。演示账号（密码只显示这一次）：")
        )
        width = max(len(login.username) for login in loaded.logins)
        for login in loaded.logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.password}   {login.who}")
        self.stdout.write(f"登录地址：{options['url'].rstrip('/')}/accounts/login/")
