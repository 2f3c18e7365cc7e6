"""Each clinic's own editors, reviewers and translators, as Wagtail groups.

``ensure_clinic_roles()`` makes, for every clinic but the library (the default site),
three groups named after it, with rights on that clinic's pages and collection only:

- “<clinic> editors” write and change the clinic's pages (``add``, ``change`` and
  ``lock`` on its home in every locale) without publishing them; add, change and choose
  images and documents in its collection; choose devices; and manage the API keys and
  webhook endpoints bound to the clinic's site (``clinic_scope`` keeps them to those).
- “<clinic> reviewers” sign off the clinic's pages: ``change`` and ``publish`` on its
  homes, and a place in the “Medical review” task, where ``clinic_scope`` shows them
  only their clinic's pages. Library content keeps the library's medical reviewers.
- “<clinic> translators” translate the clinic's pages into its languages other than
  the hub's source one (``change`` on those homes); a clinic with none gets no group.

A clinic without a collection gets one, named after it. Rights a clinic group holds
on another tree or collection are removed, so a group never reaches another clinic.
Safe to run any number of times (``manage.py ensure_clinic_roles``); the demo loader
runs it. A clinic's later translation of its home gets its groups' rights on the next
run.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page

EDITORS, REVIEWERS, TRANSLATORS = "editors", "reviewers", "translators"
GROUP_NAME = "{clinic} {role}"

MODEL_PERMISSIONS = {
    EDITORS: (
        "wagtailadmin.access_admin",
        "pages.view_device",
        "cms_api.add_apikey",
        "cms_api.change_apikey",
        "cms_api.view_apikey",
        "cms_delivery.add_webhookendpoint",
        "cms_delivery.change_webhookendpoint",
        "cms_delivery.delete_webhookendpoint",
        "cms_delivery.view_webhookendpoint",
        "cms_delivery.view_webhookdelivery",
    ),
    REVIEWERS: ("wagtailadmin.access_admin", "pages.view_device"),
    TRANSLATORS: ("wagtailadmin.access_admin", "pages.view_device"),
}
PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page", "lock_page"),
    REVIEWERS: ("change_page", "publish_page", "lock_page"),
    TRANSLATORS: ("change_page",),
}
COLLECTION_PERMISSIONS = {
    EDITORS: (
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
    REVIEWERS: ("wagtailimages.choose_image", "wagtaildocs.choose_document"),
    TRANSLATORS: (),
}


def group_name(clinic, role):
    """The name of a clinic's group, e.g. “Lumen Skin Clinic Madrid editors”."""
    return GROUP_NAME.format(clinic=clinic.name, role=role)


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def clinics():
    """The clinics that get roles: every clinic but the one on the default site (the library)."""
    from pages.models import Clinic

    return Clinic.objects.select_related("site", "site__root_page", "collection").exclude(site__is_default_site=True)


def _collection_of(clinic):
    if clinic.collection is None:
        root = Collection.get_first_root_node()
        clinic.collection = root.get_children().filter(name=clinic.name).first() or root.add_child(name=clinic.name)
        clinic.save(update_fields=["collection"])
    return clinic.collection


def _homes(clinic, role):
    homes = Page.objects.filter(translation_key=clinic.site.root_page.translation_key)
    if role == TRANSLATORS:
        homes = homes.exclude(locale=Locale.get_default())
    if clinic.locales:
        homes = homes.filter(locale__language_code__in=clinic.locales)
    return list(homes)


def _review_task():
    from cms.review.models import MedicalReviewTask
    from cms.review.workflow import TASK_NAME

    return MedicalReviewTask.objects.filter(name=TASK_NAME).first()


@transaction.atomic
def ensure_clinic_roles():
    """Create or repair every clinic's groups; returns ``{clinic slug: {role: Group}}``."""
    made = {}
    task = _review_task()
    for clinic in clinics():
        collection = _collection_of(clinic)
        groups = {}
        for role in (EDITORS, REVIEWERS, TRANSLATORS):
            homes = _homes(clinic, role)
            if role == TRANSLATORS and not homes:
                continue  # nothing to translate into
            group, _created = Group.objects.get_or_create(name=group_name(clinic, role))
            group.permissions.add(*[_permission(dotted) for dotted in MODEL_PERMISSIONS[role]])
            _grant_pages(group, clinic, homes, PAGE_PERMISSIONS[role])
            _grant_collection(group, collection, COLLECTION_PERMISSIONS[role])
            groups[role] = group
        if task is not None and REVIEWERS in groups:
            task.groups.add(groups[REVIEWERS])
        made[clinic.slug] = groups
    return made


def _grant_pages(group, clinic, homes, codenames):
    permissions = [_page_permission(codename) for codename in codenames]
    for home in homes:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    own_trees = Q(pk__in=[])
    for tree in Page.objects.filter(translation_key=clinic.site.root_page.translation_key):
        own_trees |= Q(page__path__startswith=tree.path)
    GroupPagePermission.objects.filter(group=group).exclude(own_trees).delete()


def _grant_collection(group, collection, dotted_names):
    for dotted in dotted_names:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(dotted)
        )
    GroupCollectionPermission.objects.filter(group=group).exclude(collection__path__startswith=collection.path).delete()


def clinic_translator_group_names():
    """Names of the clinics' translator groups (they may use the translator packages screen)."""
    return {group_name(clinic, TRANSLATORS) for clinic in clinics()}
