from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_requirement_kind_nomination")]

    operations = [
        migrations.AddField(
            model_name="mainactivity",
            name="panel_kind",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="专项数据"),
        ),
    ]
