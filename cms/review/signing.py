"""Signed, expiring preview links: a reviewer sees a draft on the clinic's own front-end.

The token names a page and how long it stays valid; it is signed with the project's
SECRET_KEY, so it cannot be forged or stretched. The front-end reads the draft from
``/api/v1/preview/<token>/`` with an API key that has the preview scope: the link alone
shows nothing to someone without the key.

What a token shows is the page's latest draft, or, for a translation still being made
in wagtail-localize's editor, the translated strings entered so far (the source text
where none is entered yet).
"""

from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_localize.models import Translation

SALT = "cms.review.preview-link"


class PreviewLinkError(Exception):
    """A token that cannot be used; ``str(error)`` says why, for the front-end's reader."""


class PreviewLinkExpired(PreviewLinkError):
    pass


def _signer():
    return signing.TimestampSigner(salt=SALT)


def make_preview_token(page, *, lifetime_hours):
    """A token for ``page``'s draft, valid for ``lifetime_hours``."""
    return _signer().sign_object({"page": page.pk, "hours": int(lifetime_hours)})


def read_preview_token(token):
    """The page a token names, checked for signature and age. Raises PreviewLinkError."""
    signer = _signer()
    try:
        claims = signer.unsign_object(token)
        signer.unsign_object(token, max_age=claims["hours"] * 3600)
    except signing.SignatureExpired as exc:
        raise PreviewLinkExpired(_("This preview link has expired. Ask the editor for a new one.")) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise PreviewLinkError(_("This preview link is not valid.")) from exc
    page = Page.objects.filter(pk=claims.get("page")).first()
    if page is None:
        raise PreviewLinkError(_("The page this preview link showed no longer exists."))
    return page.specific


def draft_of(page):
    """What a preview shows of ``page``: a translation in progress, or the latest draft."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )
    if translation is not None:
        return translation.source.get_ephemeral_translated_instance(translation.target_locale, fallback=True)
    return page.get_latest_revision_as_object()
