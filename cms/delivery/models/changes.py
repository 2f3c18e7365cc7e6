"""The change table: one row per page that went live, changed or disappeared.

Front ends never read this table directly: ``/api/v1/sync/`` turns it into per-locale
upserts and tombstones, ``export_content --incremental`` uses it to know which pages to
render again. Rows are written by ``cms.delivery.recording`` in the same database
transaction as the change itself, so a change and its row commit or roll back together.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeEvent(models.TextChoices):
    """What happened to a page; also the event names webhook endpoints subscribe to."""

    PUBLISHED = "page.published", _("Page published")
    UNPUBLISHED = "page.unpublished", _("Page unpublished")
    DELETED = "page.deleted", _("Page deleted")
    MOVED = "page.moved", _("Page moved")
    TRANSLATION_PUBLISHED = "translation.published", _("Translation published")


class ContentChange(models.Model):
    """One page of one locale changed in one database transaction.

    ``xact`` is the PostgreSQL transaction id that wrote the row (0 on SQLite, where
    writers are serialised anyway). Ids are handed out when a row is inserted, not when
    it commits, so a plain id cursor could step over a row that commits late; the feed
    orders by (xact, id) and only reads past transactions that can no longer commit
    (see ``cms.delivery.cursors``).
    """

    xact = models.BigIntegerField(_("database transaction"), default=0)
    event = models.CharField(_("event"), max_length=32, choices=ChangeEvent.choices)
    key = models.UUIDField(_("translation key"))
    locale = models.CharField(_("locale"), max_length=20)
    # Not a foreign key: the row outlives a deleted page.
    page_id = models.PositiveIntegerField(_("page id"))
    page_type = models.CharField(_("page type"), max_length=100)
    # The public path as the API serves it (kept for tombstones: a deleted page has
    # none to look up) and Wagtail's tree path (to notice a slug change).
    path = models.CharField(_("path"), max_length=2048, blank=True)
    url_path = models.CharField(_("tree path"), max_length=2048, blank=True)
    # The title it was served with, to tell a retitle (which pages showing it see) from
    # a content edit (which only the page itself shows).
    title = models.CharField(_("title"), max_length=255, blank=True)
    revision_id = models.PositiveIntegerField(_("revision"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("content change")
        verbose_name_plural = _("content changes")
        indexes = [
            models.Index(fields=["locale", "xact", "id"], name="delivery_change_feed"),
            models.Index(fields=["page_id", "-id"], name="delivery_change_page"),
        ]

    def __str__(self):
        return f"{self.event} {self.locale} {self.key}"


class FeedPrune(models.Model):
    """A ``manage.py prune`` run over the change table: where the rows it removed ended.

    The newest of these is the feed's floor (``cms.delivery.retention``): a cursor
    before it may have missed removed rows, so the feed answers it with 410 and the
    client syncs in full again. Written in the same transaction as the deletion.
    """

    xact = models.BigIntegerField(_("database transaction"))
    change_id = models.BigIntegerField(_("last removed change"))
    rows = models.PositiveIntegerField(_("rows removed"))
    pruned_at = models.DateTimeField(_("pruned at"), default=timezone.now)

    class Meta:
        verbose_name = _("change feed prune")
        verbose_name_plural = _("change feed prunes")

    def __str__(self):
        return f"{self.pruned_at:%Y-%m-%d %H:%M} up to {self.xact}-{self.change_id}"
