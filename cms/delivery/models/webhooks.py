"""Webhook endpoints that front ends register, and the log of every delivery to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pages.fields import ChoiceListField

from ..webhooks.guard import validate_webhook_url
from ..webhooks.signing import new_secret, normalize_secret
from .changes import ChangeEvent


def new_signing_secret():
    return new_secret()


def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


class LocaleListField(ChoiceListField):
    """Locale codes chosen from the locales this deployment serves (CMS_LOCALES).

    The choices are read from settings when a form is built, not frozen into
    migrations, so a deployment can add a locale without a schema change.
    """

    def __init__(self, *args, **kwargs):
        kwargs.pop("item_choices", None)
        super().__init__(*args, **kwargs)

    @property
    def item_choices(self):
        return list(settings.LANGUAGES)

    @item_choices.setter
    def item_choices(self, value):
        # The choices always come from settings; ChoiceListField's assignment is ignored.
        pass

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("item_choices", None)
        return name, path, args, kwargs


class WebhookEndpoint(models.Model):
    """A URL that a website or app wants called when content changes.

    Typical uses: a static site's build hook ("rebuild when a page is published"), a
    Next.js revalidation route, a mobile backend that pushes "content updated" to apps.
    Every call is signed with the endpoint's secret (see the README for how a receiver
    checks it).
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. “Clinic website (French) rebuild”"))
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_(
            "Called with an HTTP POST of JSON. Public http(s) addresses only, unless listed in WEBHOOK_ALLOWED_HOSTS."
        ),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=256,
        default=new_signing_secret,
        help_text=_(
            "Shared with the receiver, which checks the webhook-signature header with a Standard Webhooks "
            "library. Stored as whsec_ and base64."
        ),
    )
    events = ChoiceListField(
        _("events"),
        item_choices=ChangeEvent.choices,
        help_text=_("Which changes to send."),
    )
    locales = LocaleListField(
        _("locales"),
        blank=True,
        help_text=_(
            "Only changes served in these locales, including pages they fall back to. Leave empty for every locale."
        ),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("clinic site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Only changes of this clinic's pages, library changes they show included, with the clinic's page in "
            "each call. Leave empty for every site of the hub."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.secret = normalize_secret(self.secret)
        super().save(*args, **kwargs)

    def wants(self, event, locale):
        return self.active and event in self.events and (not self.locales or locale in self.locales)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One notification to one endpoint, and how its attempts went.

    The body is stored exactly as sent, so every retry carries the same bytes and a
    developer can compare the log with what their receiver got.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=32, choices=ChangeEvent.choices)
    key = models.UUIDField(_("translation key"))
    locale = models.CharField(_("locale"), max_length=20)
    body = models.TextField(_("body"))
    message_id = models.CharField(
        _("webhook id"),
        max_length=40,
        unique=True,
        default=new_message_id,
        editable=False,
        help_text=_("Sent as webhook-id, the same on every retry."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("The status and a short reason; never the receiver's reply.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_webhook_due")]

    def __str__(self):
        return f"{self.event} {self.locale} → {self.endpoint}"


class RemovedDeliveries(models.Model):
    """Webhook deliveries taken out of the log (by ``manage.py prune`` or with their
    endpoint), and the attempts they had made by outcome.

    ``/metrics`` counts attempts from the log (``cms.delivery.webhooks.counts``), where
    every process writes them; these rows keep those counts from going back when log
    rows go. Written in the same transaction as the deletion.
    """

    deliveries = models.PositiveBigIntegerField(_("deliveries removed"))
    delivered = models.PositiveBigIntegerField(_("attempts that delivered"))
    retrying = models.PositiveBigIntegerField(_("failed attempts followed by a retry"))
    failed = models.PositiveBigIntegerField(_("failed last attempts"))
    removed_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("removed webhook deliveries")
        verbose_name_plural = _("removed webhook deliveries")

    def __str__(self):
        return f"{self.removed_at:%Y-%m-%d %H:%M}: {self.deliveries}"
