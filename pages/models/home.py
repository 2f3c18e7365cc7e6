"""The root of a clinic site in each locale, and the index of its procedures."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.review.preview import ApiJsonPreviewMixin
from pages import public


class HomePage(ApiJsonPreviewMixin, Page):
    """The clinic site's home in one locale. Procedures hang below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    public_fields = (public.Field("intro"),)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ProcedureIndexPage", "pages.ProcedurePage", "pages.ClinicPage"]

    class Meta:
        verbose_name = _("home page")


class ProcedureIndexPage(ApiJsonPreviewMixin, Page):
    """Groups the procedures a clinic offers, e.g. “Treatments”."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    public_fields = (public.Field("intro"),)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ProcedurePage"]

    class Meta:
        verbose_name = _("procedure index")
