from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_noticeimport")]

    operations = [
        migrations.AddField(
            model_name="mainactivity",
            name="panel_kind",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="专项数据"),
        ),
    ]
