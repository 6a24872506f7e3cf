"""Rate-limit counters need no crash safety: on PostgreSQL, keep them out of the write-ahead log.

An UNLOGGED table is emptied after a crash (harmless: the counters start again) and its writes do
not wait for a disk flush, so counting an attempt costs no fsync on every public registration.
"""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE events_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE events_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(unlogged, logged)]
