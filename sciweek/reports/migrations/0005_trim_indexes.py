"""Only the indexes a query of the platform reads (see the Meta of Report, ReportValue,
ReportValueChange and ReportRevision).

AlterField(db_index=False) on a foreign key makes Django drop and re-add the foreign-key constraint
too, which re-checks every row under a lock (long on a big values table): for foreign keys only the
index is dropped here, by name (Django's generated name, the same on PostgreSQL and SQLite).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

USER = settings.AUTH_USER_MODEL
SET_NULL, CASCADE = django.db.models.deletion.SET_NULL, django.db.models.deletion.CASCADE


def drop_fk_index(
    model_name: str, name: str, field: models.ForeignKey, index: str
) -> migrations.SeparateDatabaseAndState:
    """The field becomes db_index=False; in the database only its index ``index`` goes."""
    table, column = f"reports_{model_name}", f"{name}_id"
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[
            migrations.RunSQL(
                sql=f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
            )
        ],
    )


def user_fk(*, blank: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=blank, db_index=False, null=True, on_delete=SET_NULL, related_name="+", to=USER
    )


def report_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False, on_delete=CASCADE, related_name=related_name, to="reports.report"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_noticeimport"),
        ("reports", "0004_report_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="reportvalue",
            name="reports_rep_row_cod_1ca319_idx",
        ),
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("head_review", "待单位负责人审核"),
                    ("submitted", "已提交"),
                    ("returned", "已退回"),
                    ("approved", "已通过"),
                ],
                default="draft",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        drop_fk_index(
            "report",
            "campaign",
            models.ForeignKey(
                db_index=False, on_delete=CASCADE, related_name="reports", to="campaigns.campaign"
            ),
            "reports_report_campaign_id_a635c94c",
        ),
        drop_fk_index(
            "report", "submitted_by", user_fk(blank=True), "reports_report_submitted_by_id_b8914adc"
        ),
        drop_fk_index("report", "approved_by", user_fk(blank=True), "reports_report_approved_by_id_7742bd58"),
        drop_fk_index("report", "returned_by", user_fk(blank=True), "reports_report_returned_by_id_b0bb972c"),
        drop_fk_index("reportvalue", "report", report_fk("values"), "reports_reportvalue_report_id_fb86ad65"),
        drop_fk_index(
            "reportvaluechange",
            "report",
            report_fk("value_changes"),
            "reports_reportvaluechange_report_id_00b5575a",
        ),
        drop_fk_index(
            "reportvaluechange", "by", user_fk(blank=False), "reports_reportvaluechange_by_id_1bdd53f5"
        ),
        drop_fk_index(
            "reportrevision", "report", report_fk("revisions"), "reports_reportrevision_report_id_4a45e63b"
        ),
        drop_fk_index("reportrevision", "by", user_fk(blank=False), "reports_reportrevision_by_id_61a776a1"),
    ]
