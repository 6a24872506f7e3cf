"""sciweek send_queued_texts

Sends the text messages still queued ten minutes after they were stored: their background job was
lost (the process ended between the write's commit and the job, or the broker was down). Each job
that sends texts does the same, and `celery -A sciweek worker -B` runs it every five minutes; schedule
this (cron) for an install without Celery that may go a long time without sending any text.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sciweek.core.sms import sms_sweep


class Command(BaseCommand):
    help = "发送排队超过 10 分钟仍未发出的短信（其发送任务已丢失）。"

    def handle(self, *args: object, **options: object) -> None:
        done = sms_sweep()
        self.stdout.write(f"补发短信：成功 {done['sent']} 条，失败 {done['failed']} 条。")
