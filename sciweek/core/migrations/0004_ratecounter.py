"""Rate-limit counters move from events to core (ratelimit.py), for every public form to share.

The counts are ephemeral (a window of seconds), so the new table starts empty; on PostgreSQL it is
UNLOGGED as the old one was (no fsync for a counter that may be lost on a crash).
"""

from django.db import migrations, models


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_trim_indexes")]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120)),
                ("bucket", models.BigIntegerField()),
                ("hits", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("name", "bucket"), name="core_one_counter_per_window")
                ]
            },
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop),
    ]
