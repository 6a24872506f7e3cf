"""The rate-limit counters moved to core (core/migrations/0004_ratecounter.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0004_place_shards")]

    operations = [migrations.DeleteModel(name="RateCounter")]
