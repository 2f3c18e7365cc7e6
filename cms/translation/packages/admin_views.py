"""The admin's "Translation packages" screen: download packages, upload them back.

A translator sees, downloads and uploads only the locales they may translate into
(``cms.translation.locale_access.translatable_locales``); a file for another locale is
refused at both steps. A clinic's staff download only their clinics' pages, and a unit
of any other page in their upload is refused as unknown (``cms.security.clinic_scope``).

Uploading is two steps. The upload runs the dry run and shows the diff (or every
rejected unit with its reason); the file is kept in shared storage under a random name
tied to the user's session (``pending``), and only "Apply" writes anything, after
checking the file again against the current content.
"""

import contextlib
import os

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from cms.security.clinic_roles import clinic_translator_group_names
from cms.security.clinic_scope import access_for
from cms.storage.errors import StorageUnavailable, storage_failure_message

from ..locale_access import refuse_untranslatable, translatable_locales
from . import pending as pending_uploads
from .admin_forms import ExportForm, ImportForm
from .export import export_packages
from .importer import PackageRejected, apply_import, max_package_bytes, plan_import

SESSION_KEY = "translation_package_upload"
TRANSLATOR_GROUPS_DEFAULT = ("Translators",)


def can_use_translation_packages(user):
    """Translators: wagtail-localize's translate permission, or membership of a translators' group.

    Groups come from the setting TRANSLATION_PACKAGE_GROUPS (default: "Translators");
    a group whose name starts with one of them (e.g. "Translators (French)") counts too,
    and so do the clinics' translator groups (``cms.security.clinic_roles``).
    """
    if not user.is_active:
        return False
    if user.is_superuser or user.has_perm("wagtail_localize.submit_translation"):
        return True
    prefixes = tuple(getattr(settings, "TRANSLATION_PACKAGE_GROUPS", TRANSLATOR_GROUPS_DEFAULT))
    names = set(user.groups.values_list("name", flat=True))
    return any(name.startswith(prefixes) for name in names) or bool(names & clinic_translator_group_names())


def _clinic_pages(user):
    """The pages a clinic's staff may translate, or None for library staff (every page)."""
    access = access_for(user)
    return None if access.unlimited else Page.objects.filter(access.pages_q())


def _require_translator(request):
    if not can_use_translation_packages(request.user):
        raise PermissionDenied


def _nothing_imported(refusal):
    return _("%(reason)s Nothing was imported.") % {"reason": refusal}


def _render(request, export_form=None, import_form=None, plan=None, error=None, pending=None, status=200):
    locales = translatable_locales(request.user)
    return TemplateResponse(
        request,
        "translation/packages.html",
        {
            "export_form": export_form or ExportForm(initial={"format": "xliff2", "scope": "all"}, locales=locales),
            "import_form": import_form or ImportForm(user=request.user, locales=locales),
            "plan": plan,
            "error": error,
            "pending": pending,
            "max_bytes": max_package_bytes(),
        },
        status=status,
    )


def packages(request):
    """The screen itself: the export form and the upload form."""
    _require_translator(request)
    return _render(request)


@require_POST
def export(request):
    """Download the package(s) chosen in the export form."""
    _require_translator(request)
    form = ExportForm(request.POST, locales=translatable_locales(request.user))
    if not form.is_valid():
        return _render(request, export_form=form, status=400)
    data = form.cleaned_data
    try:
        package = export_packages(
            data["locales"], data["format"], scope=data["scope"], root=data["root"], pages=_clinic_pages(request.user)
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render(request, export_form=form, status=400)
    response = HttpResponse(package.data, content_type=package.content_type)
    response["Content-Disposition"] = f'attachment; filename="{package.name}"'
    return response


@require_POST
def upload(request):
    """Check an uploaded package (dry run) and keep it for the confirm step if it is clean."""
    _require_translator(request)
    # Refuse an oversized upload before Django spools it to disk (64 KB leeway for the form's other fields).
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_package_bytes() + 64 * 1024:
        error = _("The file is larger than the %(limit)d bytes a package may have; nothing was imported.") % {
            "limit": max_package_bytes()
        }
        return _render(request, error=error, status=413)
    form = ImportForm(request.POST, request.FILES, user=request.user, locales=translatable_locales(request.user))
    if not form.is_valid():
        return _render(request, import_form=form, status=400)
    data = form.cleaned_data["file"].read(max_package_bytes() + 1)
    try:
        plan = plan_import(data, expected_locale=form.cleaned_data["locale"] or None, pages=_clinic_pages(request.user))
    except ValidationError as exc:
        return _render(request, import_form=form, error=" ".join(exc.messages), status=400)
    try:
        refuse_untranslatable(request.user, [plan.locale])
    except PermissionDenied as exc:
        return _render(request, import_form=form, error=_nothing_imported(exc), status=403)
    if not plan.ok:
        return _render(request, import_form=form, plan=plan, status=400)

    try:
        token = pending_uploads.keep(data)
    except StorageUnavailable:
        return _render(request, import_form=form, error=storage_failure_message(), status=503)
    pending = {
        "token": token,
        "publish": form.cleaned_data.get("publish", False),
        "locale": form.cleaned_data["locale"],
        "name": os.path.basename(form.cleaned_data["file"].name),
    }
    request.session[SESSION_KEY] = pending
    fresh_form = ImportForm(user=request.user, locales=translatable_locales(request.user))
    return _render(request, import_form=fresh_form, plan=plan, pending=pending)


@require_POST
def apply(request):
    """Apply the package checked in the previous step, after checking it once more."""
    _require_translator(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, _("That upload has expired or belongs to someone else; upload the file again."))
        return redirect("translation_packages:index")
    try:
        data = pending_uploads.read(pending["token"])
    except StorageUnavailable:
        messages.error(request, storage_failure_message())
        return redirect("translation_packages:index")
    if data is None:
        del request.session[SESSION_KEY]
        messages.error(request, _("That upload has expired; upload the file again."))
        return redirect("translation_packages:index")
    try:
        plan = plan_import(data, expected_locale=pending["locale"] or None, pages=_clinic_pages(request.user))
        refuse_untranslatable(request.user, [plan.locale])
        updated = apply_import(plan, user=request.user, publish=pending["publish"])
    except PermissionDenied as exc:
        return _render(request, error=_nothing_imported(exc), status=403)
    except ValidationError as exc:
        return _render(request, error=" ".join(exc.messages), status=400)
    except PackageRejected as exc:
        return _render(request, plan=plan, error=str(exc), status=400)
    with contextlib.suppress(StorageUnavailable):  # applied already; a file left behind expires after a day
        pending_uploads.discard(pending["token"])
    del request.session[SESSION_KEY]
    state = _("published") if pending["publish"] else _("saved as drafts")
    messages.success(
        request,
        _("%(name)s imported: %(changes)d translation(s) changed, %(pages)d page(s) %(state)s.")
        % {"name": pending["name"], "changes": len(plan.changes), "pages": len(updated), "state": state},
    )
    return redirect("translation_packages:index")
