import uuid

from django.db import migrations, models

import cms.delivery.models.webhooks


def fill_message_ids_and_encode_secrets(apps, schema_editor):
    """Every delivery gets its own webhook-id; every secret becomes whsec_ + base64 of the same key bytes."""
    from cms.delivery.webhooks.signing import normalize_secret

    WebhookDelivery = apps.get_model("cms_delivery", "WebhookDelivery")
    for delivery in WebhookDelivery.objects.filter(message_id__isnull=True).only("pk"):
        delivery.message_id = f"msg_{uuid.uuid4().hex}"
        delivery.save(update_fields=["message_id"])
    WebhookEndpoint = apps.get_model("cms_delivery", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.only("pk", "secret"):
        endpoint.secret = normalize_secret(endpoint.secret)
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):

    dependencies = [
        ("cms_delivery", "0003_webhook_url_guard_and_short_errors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=models.CharField(
                default=cms.delivery.models.webhooks.new_signing_secret,
                help_text="Shared with the receiver, which checks the webhook-signature header with a Standard "
                "Webhooks library. Stored as whsec_ and base64.",
                max_length=256,
                verbose_name="signing secret",
            ),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="message_id",
            field=models.CharField(editable=False, max_length=40, null=True, verbose_name="webhook id"),
        ),
        migrations.RunPython(fill_message_ids_and_encode_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="message_id",
            field=models.CharField(
                default=cms.delivery.models.webhooks.new_message_id,
                editable=False,
                help_text="Sent as webhook-id, the same on every retry.",
                max_length=40,
                unique=True,
                verbose_name="webhook id",
            ),
        ),
    ]
