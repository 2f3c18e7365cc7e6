"""Makes Wagtail's publish, unpublish and move actions one database transaction each.

Wagtail saves the page and then sends ``page_published`` (and friends) outside any
transaction of its own, so a change row written by a receiver would commit separately
from the change it records: a crash between the two loses the change for every app
syncing from the feed. Wrapping each action in ``transaction.atomic`` makes the page
change, the change row and anything else a receiver writes commit together; inside an
outer transaction (an admin request, a workflow step) it is just a savepoint.
"""

from django.db import transaction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.actions.unpublish import UnpublishAction
from wagtail.actions.unpublish_page import UnpublishPageAction

ACTIONS = (PublishRevisionAction, UnpublishAction, UnpublishPageAction, MovePageAction)


def make_actions_atomic():
    for action in ACTIONS:
        execute = action.__dict__["execute"]
        if not getattr(execute, "_delivery_atomic", False):
            wrapped = transaction.atomic(execute)
            wrapped._delivery_atomic = True
            action.execute = wrapped
