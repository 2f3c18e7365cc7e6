"""What happens when the medical review workflow is approved.

Named by ``WAGTAIL_FINISH_WORKFLOW_ACTION``; Wagtail imports it while its own models
load, so this module imports nothing from models at import time.
"""


def publish_approved(workflow_state, user=None):
    """Publish what the workflow approved.

    The approval is the authority: a medical reviewer needs no publish permission of
    their own, and the rule that stops anyone publishing a page that needs review
    without it (``cms.review.permissions``) must not stop the approval itself. A page
    whose “go live” date is in the future is scheduled rather than published.
    """
    # Read the newest revision from the database: the approval has just saved one (the
    # review stamp) that the cached object does not know about.
    revision = workflow_state.content_object.revisions.order_by("-created_at", "-id").first()
    revision.publish(user=user, skip_permission_checks=True)
