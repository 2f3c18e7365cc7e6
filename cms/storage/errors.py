"""A storage that is down, said plainly in the admin, with nothing half-saved.

An upload writes the file first and the database row after it, so a storage that
refuses the file leaves no row; other writes of the same request (a document's tags, an
image's search entry) could still land. Admin POSTs that carry files therefore run in
one transaction here, and a storage failure rolls it back and becomes a message the
editor can act on instead of a server error. The multiple-upload screen gets the JSON
error its script shows beside the file.
"""

import errno
import logging
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Disk errors that mean "the media folder cannot take the file", not a bug.
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


def is_storage_failure(exc):
    """True for an object storage that cannot be reached or refuses us, or a full or read-only disk."""
    if isinstance(exc, (BotoCoreError, ClientError, StorageUnavailable)):
        return True
    return isinstance(exc, OSError) and exc.errno in DISK_ERRNOS


class StorageUnavailable(Exception):
    """The storage could not take or give a file; ``__cause__`` says why."""


@contextmanager
def storage_calls():
    """Turn a storage failure inside the block into :class:`StorageUnavailable`."""
    try:
        yield
    except Exception as exc:
        if is_storage_failure(exc):
            raise StorageUnavailable(str(exc)) from exc
        raise


def storage_failure_message():
    return _(
        "Nothing was saved: the file storage could not be reached. Try again in a moment; "
        "if this goes on, tell your administrator."
    )


class StorageFailureMiddleware:
    """Admin uploads in one transaction; a storage failure rolls back and is said plainly."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def _is_admin_upload(self, request):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return (
            request.method == "POST"
            and request.path.startswith(self._admin_prefix)
            and request.content_type == "multipart/form-data"
            and bool(request.FILES)  # page edit forms are multipart too, but carry no file
        )

    def __call__(self, request):
        if not self._is_admin_upload(request):
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not (self._is_admin_upload(request) and is_storage_failure(exception)):
            return None
        transaction.set_rollback(True)  # the atomic block of __call__ ends without a commit
        logger.error("Storage failure during %s %s: %r", request.method, request.path, exception)
        message = storage_failure_message()
        if "files[]" in request.FILES:  # Wagtail's multiple upload (images, documents)
            return JsonResponse({"success": False, "error_message": message})
        messages.error(request, message)
        # Back to the form the upload came from (an upload URL may answer POST only).
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = request.get_full_path()
        return HttpResponseRedirect(back)
