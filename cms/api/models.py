"""API keys: what lets an app or a partner read more than the public site.

A key is shown once when it is created (admin or ``manage.py create_api_key``) and only
its SHA-256 hash is stored, so a database leak does not leak keys. Keys are long and
random, so a fast hash is enough; a slow password hasher would only slow every request.
Revoking a key (unticking "active") takes effect on the next request. Each key has its
own rate limit (``throttling.py``). A delivery key (scope ``delivery`` alone) is what a
website that renders on its server uses: live content only, answered from the same
response cache as anonymous reads.
"""

import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pages.fields import ChoiceListField

from .throttling import validate_rate

KEY_PREFIX_LENGTH = 8


class Scope(models.TextChoices):
    """What a key may do beyond anonymous reads."""

    PREVIEW = "preview", _("Preview drafts (?version=draft)")
    TRANSLATION = "translation", _("Read translation status")
    EXPORT = "export", _("Export: change feed and bundles")
    DELIVERY = "delivery", _("Delivery: live content from the shared cache, at the key's own rate")


def hash_key(raw_key):
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ApiKeyManager(models.Manager.from_queryset(ApiKeyQuerySet)):
    def create_key(self, *, name, scopes, created_by=None, rate=""):
        """Create a key; returns ``(api_key, raw_key)``. The raw key is never stored."""
        raw_key, prefix = generate_raw_key()
        api_key = self.create(
            name=name,
            prefix=prefix,
            hashed_key=hash_key(raw_key),
            scopes=list(scopes),
            created_by=created_by,
            rate=rate,
        )
        return api_key, raw_key

    def for_raw_key(self, raw_key):
        """The active key matching ``raw_key``, or None (constant-time comparison)."""
        candidate = self.candidate(raw_key)
        return candidate if candidate is not None and self.matches(candidate, raw_key) else None

    def candidate(self, raw_key):
        """The active key with ``raw_key``'s prefix (its secret not checked yet), or None."""
        prefix = raw_key.split(".", 1)[0]
        if len(prefix) != KEY_PREFIX_LENGTH:
            return None
        return self.active().filter(prefix=prefix).first()

    @staticmethod
    def matches(api_key, raw_key):
        return hmac.compare_digest(api_key.hashed_key, hash_key(raw_key))


def generate_raw_key():
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    return f"{prefix}.{secrets.token_urlsafe(32)}", prefix


class ApiKey(models.Model):
    """A key an app or partner sends as ``Authorization: Api-Key <key>``.

    ``prefix`` (the part before the dot) identifies the key in the admin and in logs
    without revealing it.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses it, e.g. “Clinic app preview”."))
    prefix = models.CharField(_("prefix"), max_length=KEY_PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    scopes = ChoiceListField(_("scopes"), item_choices=Scope.choices, help_text=_("What this key may do."))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to revoke the key."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    rate = models.CharField(
        _("rate limit"),
        max_length=30,
        blank=True,
        validators=[validate_rate],
        help_text=_(
            "Requests allowed per period, e.g. 6000/minute (second, minute, hour or day). "
            "Blank: the default for the key's kind."
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
            "Bind the key to one clinic's site: it reads only that clinic's pages. Blank: every site of the hub."
        ),
    )

    objects = ApiKeyManager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args, **kwargs):
        # Record when a key stopped working; reactivating clears it.
        if not self.is_active and self.revoked_at is None:
            self.revoked_at = timezone.now()
        elif self.is_active:
            self.revoked_at = None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.rate = (self.rate or "").strip()
        if Scope.DELIVERY in (self.scopes or ()) and len(set(self.scopes)) > 1:
            raise ValidationError(
                {"scopes": _("A delivery key reads live content only: give it no other scope (make a second key).")}
            )

    @property
    def is_delivery_key(self):
        """A key that reads live content only, served from the same cache as anonymous reads."""
        return self.is_active and list(self.scopes or ()) == [Scope.DELIVERY]

    def has_scope(self, scope):
        return self.is_active and scope in (self.scopes or ())

    def revoke(self):
        self.is_active = False
        self.save(update_fields=["is_active", "revoked_at"])


class Invalidation(models.Model):
    """One change to what the API serves, named by the tags it makes stale (``cms.api.tags``).

    Written in the same transaction as the change, so it commits or rolls back with it.
    Every serving process reads the rows it has not seen yet (``cms.api.invalidation``):
    this table, not any process's memory, is how a change made by a cron job, a shell or
    another worker reaches them all. ``xact`` orders rows on PostgreSQL as in the change
    feed (``cms.api.cursors``).
    """

    xact = models.BigIntegerField(default=0)
    tags = models.TextField(help_text="Space-separated tags.")
    pages = models.TextField(blank=True, help_text="Space-separated ids of pages whose public row may have changed.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["xact", "id"], name="api_invalidation_order")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.tags[:80]}"


class TagState(models.Model):
    """A moment a tag changed, for tags whose time is not a page's own publishing time.

    ``Last-Modified`` is the latest of these and of the pages' ``last_published_at``
    among a response's dependencies: the same in every process, and after a cache clear.
    Rows are only ever added (the latest per tag counts), so two transactions changing
    the same tag never wait for each other or deadlock.
    """

    tag = models.CharField(max_length=80)
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tag", "changed_at"], name="api_tagstate_latest")]

    def __str__(self):
        return f"{self.tag} {self.changed_at:%Y-%m-%d %H:%M:%S}"
