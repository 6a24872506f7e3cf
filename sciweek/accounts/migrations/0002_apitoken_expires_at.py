import datetime as dt

from django.db import migrations, models


def expire_existing(apps, schema_editor):
    # Tokens made before expiry existed get the default 90 days from their creation.
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + dt.timedelta(days=90)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="有效期至"),
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
    ]
