"""The live tally's rows spread over pages on PostgreSQL (fillfactor 10).

A vote increments one shard row per candidate, and with the default fillfactor all of a selection's
shard rows (8 per candidate) sit on one 8 kB page: every concurrent vote then queues for that one
page's lock and prunes the same update chains. At 10 % a page takes about 20 rows, and the free room
keeps each update on its page (HOT). bench/bench_votes.py: PostgreSQL's CPU per vote 1.1–1.2 → 0.9 ms.
"""

from django.db import migrations


def spread(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE selections_tallyshard SET (fillfactor = 10)")


def gather(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE selections_tallyshard RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("selections", "0003_expert_review")]

    operations = [migrations.RunPython(spread, gather)]
