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
    # Where the page sits in Wagtail's tree (``Page.path``), and for a move the path of
    # the parent it left: a clinic's feed and webhooks keep to the rows of its Site's
    # tree (``cms.api.sites``), the one it left included. Blank on rows written before
    # clinics: those count for the hub's default site.
    tree_path = models.CharField(_("position in the page tree"), max_length=255, blank=True)
    moved_from = models.CharField(_("moved from"), max_length=255, blank=True)
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


def in_site(rows, scope):
    """The change rows (a queryset) of pages in the Site of ``scope`` (``cms.api.sites.SiteScope``).

    A row counts where its page was when it changed, and a move also where it came from.
    ``None`` (a hub without sites, or a hub-wide reader) keeps every row.
    """
    if scope is None:
        return rows
    condition = models.Q(pk__in=[])
    for root in scope.roots:
        condition |= models.Q(tree_path__startswith=root) | models.Q(moved_from__startswith=root)
    if scope.is_default:
        condition |= models.Q(tree_path="")
    return rows.filter(condition)


def row_in_site(row, scope):
    """:func:`in_site` for one row already read."""
    if scope is None:
        return True
    if not row.tree_path:
        return scope.is_default
    return scope.contains(row.tree_path) or bool(row.moved_from and scope.contains(row.moved_from))


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
