"""The medical review task and the per-site front-end preview setting."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A workflow step in which a medical reviewer checks a page's facts and sources.

    Members of the task's groups (normally “Medical reviewers”) approve or request
    changes. Approving writes the reviewer's full name and today's date into
    ``reviewed_by`` and ``last_reviewed_on`` of the approved content, so the published
    page (and the API's ``meta``) says who signed it off and when.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            # Imported here: workflow imports this module for the model.
            from cms.review.workflow import stamp_review

            stamp_review(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "A member of the chosen groups checks the facts and sources. Approving records "
            "their name and the date on the page and publishes it."
        )

    class Meta:
        verbose_name = _("Medical review")
        verbose_name_plural = _("Medical reviews")


@register_setting(icon="view")
class FrontendPreviewSettings(BaseSiteSetting):
    """Where a clinic's own website shows drafts, so reviewers can see a page in its real design.

    The front-end receives a signed, expiring token and reads the draft from the API
    with a key that has the preview scope.
    """

    preview_url = models.URLField(
        _("front-end preview address"),
        blank=True,
        help_text=_(
            "The clinic website's preview page. {token} is replaced by the signed preview token, "
            "e.g. https://www.example-clinic.com/preview?token={token}"
        ),
    )
    website_url = models.URLField(
        _("clinic website address"),
        blank=True,
        help_text=_(
            "Where the clinic website serves this site's pages, e.g. https://www.example-clinic.com. "
            "Page links of the admin (“View live”, e-mails) lead there, to the page's own path."
        ),
    )
    link_lifetime_hours = models.PositiveSmallIntegerField(
        _("preview links stay valid for (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text=_("After this, a shared preview link stops working, e.g. 48 for two days."),
    )

    class Meta:
        verbose_name = _("front-end preview")

    def clean(self):
        super().clean()
        if self.preview_url and "{token}" not in self.preview_url:
            raise ValidationError(
                {
                    "preview_url": _(
                        "Put {token} where the preview token goes, e.g. https://www.example-clinic.com/preview?token={token}"
                    )
                }
            )
