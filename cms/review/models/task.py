"""The medical review task (a workflow step) and the per-site front-end preview setting."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask, Page


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A workflow step in which a medical reviewer checks a page's facts, sources and claims.

    Members of the task's groups (normally “Medical reviewers”) request changes; those
    with a reviewer profile for the page's market approve. Approving records who
    approved which content for which market (``cms.review.approvals.approve``) and
    publishes it; a page that breaks its market's claims rules cannot be approved.
    A clinic's reviewers (``cms.security.clinic_roles``) are members too, and see and
    act on their own clinic's pages only (``cms.security.clinic_scope``).
    """

    def get_actions(self, obj, user):
        if not _acts_for(user, obj):
            return []
        actions = super().get_actions(obj, user)
        if actions and self.refusal(obj, user):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and _acts_for(user, obj)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not _acts_for(user, obj)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and _acts_for(user, obj)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from cms.security.clinic_scope import access_for

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        access = access_for(user)
        if access.unlimited:
            return states
        pages = Page.objects.filter(access.pages_q()).annotate(object_key=Cast("pk", CharField()))
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=pages.values("object_key"),
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            # Imported here: Wagtail loads this module with the models.
            from cms.review.approvals import ApprovalRefused, approve

            page = task_state.workflow_state.content_object
            problem = self.refusal(page, user)
            if problem:
                raise ApprovalRefused(problem)
            if hasattr(page.specific, "reviewed_by"):  # a medical page; others (home, indexes) approve plainly
                _approval, revision = approve(page, user, comment=kwargs.get("comment") or "")
                task_state.revision = revision
                task_state.save(update_fields=["revision"])
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def refusal(obj, user):
        """Why ``user`` may not approve ``obj`` now (a message naming what to fix), or None.

        Approving publishes, so a page of any type waits while a translation in it failed
        a check; a medical page also needs its market's reviewer and its claims rules kept.
        """
        from cms.review import approvals, claims
        from cms.translation import qa

        page = obj.specific if hasattr(obj, "specific") else obj
        if not hasattr(page, "reviewed_by"):
            flags = qa.publish_blockers(page)
            return qa.blocked_message(page, flags) if flags else None
        return approvals.refusal(user, page) or claims.summary(page.get_latest_revision_as_object())

    @classmethod
    def get_description(cls):
        return _(
            "A member of the chosen groups checks the facts, sources and claims. Approving records "
            "who approved exactly which content for which market, and publishes it."
        )

    class Meta:
        verbose_name = _("Medical review")
        verbose_name_plural = _("Medical reviews")


def _acts_for(user, obj):
    """False for a page of a clinic the user does not act for."""
    from cms.security.clinic_scope import acts_for_page

    return not isinstance(obj, Page) or acts_for_page(user, obj)


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
