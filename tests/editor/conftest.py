"""A small clinic site for editor tests: home and procedure index in English and French,
the medical review workflow, and one user per role with the permissions the demo
loader gives that role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail.users.models import UserProfile

from cms.review.approvals import approve
from cms.review.models import Market, ReviewerProfile
from cms.review.workflow import MEDICAL_REVIEWERS, ensure_review_workflow
from pages.models import HomePage, ProcedureIndexPage

PASSWORD = "correct horse battery staple"


def admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def make_group(name, *, pages=(), page_permissions=(), permissions=()):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(admin_access(), *permissions)
    for page in pages:
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=page_permission(codename))
    return group


def make_user(username, *groups, first_name="", last_name="", language="en", **extra):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example-clinic.com",
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        **extra,
    )
    user.groups.add(*groups)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish_approved(page, reviewer):
    """Approve ``page``'s latest draft as ``reviewer`` (the product's approval) and publish it."""
    _approval, revision = approve(page, reviewer)
    revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def clinic(db):
    """English home and procedure index, their French translations, and the workflow."""
    english = Locale.objects.get(language_code="en")
    french, _created = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Clinic", slug="clinic", locale=english))
    Site.objects.update(root_page=home, is_default_site=True)
    index = home.add_child(instance=ProcedureIndexPage(title="Procedures", slug="procedures"))
    fr_home = publish(home.copy_for_translation(french))
    fr_index = publish(index.copy_for_translation(french))
    workflow = ensure_review_workflow()
    return type(
        "Clinic",
        (),
        {
            "english": english,
            "french": french,
            "home": home,
            "index": index,
            "fr_home": fr_home,
            "fr_index": fr_index,
            "workflow": workflow,
        },
    )


@pytest.fixture
def editor(clinic):
    group = make_group("Editors", pages=[clinic.home], page_permissions=["add_page", "change_page"])
    return make_user("editor", group, first_name="Eve", last_name="Editor")


def make_reviewer(username, *market_codes, name="Dr Ana Ruiz", qualification="Dermatologist", number="GMC 7123456"):
    """A member of the product's “Medical reviewers” group with a reviewer profile for ``market_codes``."""
    user = make_user(
        username, Group.objects.get(name=MEDICAL_REVIEWERS), first_name=name.split()[-2], last_name=name.split()[-1]
    )
    profile = ReviewerProfile.objects.create(
        user=user, full_name=name, qualification=qualification, registration_number=number
    )
    profile.markets.set(Market.objects.filter(code__in=market_codes))
    return user


@pytest.fixture
def reviewer(clinic):
    """The English (en-GB) reviewer."""
    return make_reviewer("reviewer", "en-GB")


@pytest.fixture
def reviewer_fr(clinic):
    return make_reviewer(
        "reviewer-fr", "fr-FR", name="Dr Camille Martin", qualification="Dermatologue", number="RPPS 10101234567"
    )


@pytest.fixture
def translator(clinic):
    group = make_group(
        "Translators (fr)",
        pages=[clinic.fr_home],
        page_permissions=["add_page", "change_page", "publish_page"],
        permissions=[Permission.objects.get(content_type__app_label="wagtail_localize", codename="submit_translation")],
    )
    return make_user("translator", group, first_name="Théo", last_name="Traducteur", language="fr")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example-clinic.com", PASSWORD)
