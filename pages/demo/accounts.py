"""Demo accounts, one per kind of user, in groups with fitting permissions.

Editors write and change pages but cannot publish them: a medical reviewer signs off
first. Translators work through wagtail-localize. Passwords come from DEMO_PASSWORD,
with a documented default that is only ever used on a demo machine.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale

from pages.sites import library_homes

DEFAULT_DEMO_PASSWORD = "clinic-demo"

GROUPS = {
    "Editors": {
        "page": ["add_page", "change_page", "lock_page"],
        "model": [
            "wagtailadmin.access_admin",
            "pages.add_device",
            "pages.change_device",
            "pages.view_device",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        ],
    },
    "Medical reviewers": {
        "page": ["change_page", "publish_page"],
        "model": ["wagtailadmin.access_admin", "pages.view_device", "wagtailimages.choose_image"],
    },
    "Translators": {
        "page": [],
        "model": ["wagtailadmin.access_admin", "wagtail_localize.submit_translation", "pages.view_device"],
    },
}

USERS = [
    # username, first name, last name, group
    ("editor", "Emma", "Editor", "Editors"),
    ("reviewer", "Ana", "Ruiz", "Medical reviewers"),
    ("translator", "Théo", "Translator", "Translators"),
]

# Each demo clinic's staff (pages.demo.clinics), in the groups the product makes for it
# (cms.security.clinic_roles): username, first name, last name, clinic code, role.
CLINIC_USERS = [
    ("editor-madrid", "Lucía", "Editora", "madrid", "editors"),
    ("reviewer-madrid", "Javier", "Moreno", "madrid", "reviewers"),
    ("translator-madrid", "Pablo", "Traductor", "madrid", "translators"),
    ("editor-london", "Oliver", "Editor", "london", "editors"),
    ("reviewer-london", "Grace", "Patel", "london", "reviewers"),
]

# One medical reviewer per market (fictional people and registration numbers):
# username, first name, last name, name as signed, qualification, registration, market.
REVIEWERS = [
    ("reviewer", "Ana", "Ruiz", "Dr Ana Ruiz", "Dermatologist", "GMC 7123456", "en-GB"),
    ("reviewer-fr", "Camille", "Martin", "Dr Camille Martin", "Dermatologue", "RPPS 10101234567", "fr-FR"),
    ("reviewer-de", "Jonas", "Weber", "Dr. Jonas Weber", "Facharzt für Dermatologie", "LANR 123456701", "de-DE"),
    ("reviewer-es", "Lucía", "García", "Dra. Lucía García", "Dermatóloga", "Colegiada 282812345", "es-ES"),
]


def demo_password():
    return os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups():
    """Create the library's groups and their permissions; safe to run again.

    Their page rights hang on the library's home in every locale, and nowhere else: a
    clinic's pages are its own groups' (``cms.security.clinic_roles``). Rights elsewhere,
    such as those Wagtail's installation gives “Editors” on the root page, are removed.
    """
    homes = list(library_homes().filter(locale__in=Locale.objects.all()))
    groups = {}
    for name, grants in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(dotted) for dotted in grants["model"]])
        for codename in grants["page"]:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            for home in homes:
                GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        GroupPagePermission.objects.filter(group=group).exclude(page__in=homes).delete()
        groups[name] = group
    return groups


def ensure_demo_reviewers():
    """The medical reviewers of the demo markets, with their profiles; returns ``{market code: user}``.

    Made with the content (the demo's pages are approved by them); their logins get
    the demo password from :func:`ensure_demo_users`.
    """
    from cms.review.models import Market, ReviewerProfile
    from cms.review.workflow import MEDICAL_REVIEWERS, ensure_review_workflow

    ensure_review_workflow()
    group = Group.objects.get(name=MEDICAL_REVIEWERS)
    reviewers = {}
    for username, first, last, signed, qualification, registration, market_code in REVIEWERS:
        market = Market.objects.filter(code=market_code).first()
        if market is None:  # a deployment without this market (CMS_LOCALES, CMS_MARKETS)
            continue
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        profile, _created = ReviewerProfile.objects.get_or_create(
            user=user,
            defaults={"full_name": signed, "qualification": qualification, "registration_number": registration},
        )
        profile.markets.add(market)
        reviewers[market_code] = user
    return reviewers


def ensure_demo_users():
    """Create the demo accounts (and an admin) if missing; returns (username, role) pairs.

    Also sets up the roles the accounts need: the medical review workflow on every
    locale's tree, a translator group per locale (the demo translator joins each), and
    each clinic's editors, reviewers and translators.
    """
    from cms.review.workflow import ensure_review_workflow
    from cms.translation.roles import ensure_translator_groups

    user_model = get_user_model()
    groups = ensure_groups()
    ensure_review_workflow()
    locale_groups = ensure_translator_groups()
    password = demo_password()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser(
            "admin", "admin@example.com", password, first_name="Site", last_name="Admin"
        )
    accounts = [("admin", "administrator")]
    ensure_demo_reviewers()
    for username, first, last, group_name in USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        user.groups.add(groups[group_name])
        if group_name == "Translators":
            user.groups.add(*locale_groups.values())
        accounts.append((username, group_name))
    accounts += _ensure_clinic_users(password)
    for username, *_names, market_code in REVIEWERS[1:]:
        user = user_model.objects.filter(username=username).first()
        if user is not None:
            if not user.has_usable_password():
                user.set_password(password)
                user.save()
            accounts.append((username, f"Medical reviewers ({market_code})"))
    return accounts


def ensure_clinic_groups():
    """Each clinic's editors, reviewers and translators groups, made by the product
    (``cms.security.clinic_roles``); returns ``{clinic code: {role: Group}}``."""
    from cms.security.clinic_roles import ensure_clinic_roles

    return ensure_clinic_roles()


def _ensure_clinic_users(password):
    """The demo clinics' staff, each in their clinic's group; returns (username, role) pairs."""
    roles = ensure_clinic_groups()
    user_model = get_user_model()
    accounts = []
    for username, first, last, clinic_code, role in CLINIC_USERS:
        group = roles.get(clinic_code, {}).get(role)
        if group is None:  # a deployment without this clinic (CMS_LOCALES)
            continue
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        user.groups.add(group)
        accounts.append((username, group.name))
    return accounts
