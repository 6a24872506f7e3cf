from django.core.management.base import BaseCommand

from sciweek.campaigns.demo import demo_exists, load_demo


class Command(BaseCommand):
    help = "载入2023年泗县科技活动周演示数据（仅当数据库为空时）并打印演示账号的一次性密码。"

    def handle(self, *args, **options) -> None:
        if demo_exists():
            self.stdout.write(
                "数据库中已有数据，未载入演示数据。演示账号的密码只在首次载入时显示；"
                "忘记时可运行：sciweek changepassword 用户名"
            )
            return
        logins = load_demo()
        # The week's sample events (published, some with registrations) so the calendar is not empty.
        from sciweek.campaigns.models import Campaign
        from sciweek.events.demo import load_demo_events

        events = load_demo_events(Campaign.objects.get(year=2023, org_unit__name="泗县"))
        self.stdout.write(f"已载入{len(events)}项示例活动（活动日历：/events/）。")
        self.stdout.write(
            self.style.SUCCESS("已载入2023年泗县科技活动周演示数据。演示账号（密码只显示这一次）：")
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.password}   {login.who}")
        self.stdout.write("登录地址：http://127.0.0.1:8000/accounts/login/")
