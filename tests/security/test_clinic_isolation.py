"""Isolation between clinics in the admin: role × clinic × object type × action.

Each demo account (the groups ``load_demo_content`` makes, through ``ensure_clinic_roles``)
goes through the real admin URLs for each object type and each clinic, Madrid and
London: whether it lists or sees the clinic's record, opens it to edit, and creates one
for that clinic. The table says what each role may do for its own clinics; for any
other clinic it may do nothing, and the other clinic's names never appear in what it
is shown. Library staff (``editor``, ``admin``) act for every clinic where their
rights reach; library editors manage library pages only.
"""

import io

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Locale, Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail_localize.models import StringTranslation

from cms.api.models import ApiKey
from cms.delivery.models import WebhookEndpoint
from pages.demo.loader import demo_key
from pages.models import Clinic, HomePage

from .conftest import CLINICS, png

SEE, EDIT, CREATE = "see", "edit", "create"
EVERY = "*"

# username: (the clinics it acts for, {object type: what it may do there}).
ROLES = {
    "admin": (
        EVERY,
        {
            "page": {SEE, EDIT, CREATE},
            "image": {SEE, EDIT, CREATE},
            "document": {SEE, EDIT, CREATE},
            "api key": {SEE, EDIT, CREATE},
            "webhook": {SEE, EDIT, CREATE},
            "delivery log": {SEE},
            "site history": {SEE},
            "translation status": {SEE},
            "admin search": {SEE},
            "page chooser": {SEE},
            "image chooser": {SEE},
            "document chooser": {SEE},
        },
    ),
    # Library editors: the library's pages only; images and documents everywhere.
    "editor": (
        EVERY,
        {
            "image": {SEE, EDIT, CREATE},
            "document": {SEE, EDIT, CREATE},
            "site history": {SEE},
            "translation status": {SEE},
            "page chooser": {SEE},
            "image chooser": {SEE},
            "document chooser": {SEE},
        },
    ),
    "editor-madrid": (
        "madrid",
        {
            "page": {SEE, EDIT, CREATE},
            "image": {SEE, EDIT, CREATE},
            "document": {SEE, EDIT, CREATE},
            "api key": {SEE, EDIT, CREATE},
            "webhook": {SEE, EDIT, CREATE},
            "delivery log": {SEE},
            "site history": {SEE},
            "translation status": {SEE},
            "admin search": {SEE},
            "page chooser": {SEE},
            "image chooser": {SEE},
            "document chooser": {SEE},
        },
    ),
    "reviewer-madrid": (
        "madrid",
        {
            "page": {SEE, EDIT},
            "site history": {SEE},
            "translation status": {SEE},
            "admin search": {SEE},
            "page chooser": {SEE},
            "image chooser": {SEE},
            "document chooser": {SEE},
        },
    ),
    "translator-madrid": (
        "madrid",
        {
            "page": {SEE, EDIT},
            "site history": {SEE},
            "translation status": {SEE},
            "admin search": {SEE},
            "page chooser": {SEE},
        },
    ),
    # London serves English only, the hub's source language: nothing to translate, so
    # its pages have no row in the translation status report.
    "editor-london": (
        "london",
        {
            "page": {SEE, EDIT, CREATE},
            "image": {SEE, EDIT, CREATE},
            "document": {SEE, EDIT, CREATE},
            "api key": {SEE, EDIT, CREATE},
            "webhook": {SEE, EDIT, CREATE},
            "delivery log": {SEE},
            "site history": {SEE},
            "admin search": {SEE},
            "page chooser": {SEE},
            "image chooser": {SEE},
            "document chooser": {SEE},
        },
    ),
}


def ok(response):
    """Shown: 200. Refused: a redirect to the dashboard or sign-in, 403, or 404."""
    assert response.status_code in (200, 302, 403, 404), response.status_code
    return response.status_code == 200, response.content.decode()


def shows(response, *texts):
    body = response.content.decode()
    return response.status_code == 200 and any(text in body for text in texts), body


def both(first, second):
    return first[0] and second[0], first[1] + second[1]


# --- One probe per object type and action: fn(client, clinic) -> (allowed, what was shown) ---


def _explore(c, t):
    """The clinic's home in the explorer, listing its page."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[t.page.pk])
    return shows(c.get(reverse("wagtailadmin_explore", args=[t.home.pk])), edit_url)


def _page_probes():
    return {
        SEE: _explore,
        EDIT: lambda c, t: ok(c.get(reverse("wagtailadmin_pages:edit", args=[t.page.pk]))),
        CREATE: lambda c, t: ok(c.get(reverse("wagtailadmin_pages:add", args=["pages", "clinicpage", t.home.pk]))),
    }


def _media_probes(app, record, make_file):
    def create(client, clinic):
        model = type(getattr(clinic, record))
        before = model.objects.filter(collection=clinic.collection).count()
        response = client.post(
            reverse(f"{app}:add"), {"title": f"New {record}", "collection": clinic.collection.pk, "file": make_file()}
        )
        return model.objects.filter(collection=clinic.collection).count() > before, response.content.decode()

    return {
        SEE: lambda c, t: shows(c.get(reverse(f"{app}:index")), getattr(t, record).title),
        EDIT: lambda c, t: ok(c.get(reverse(f"{app}:edit", args=[getattr(t, record).pk]))),
        CREATE: create,
    }


def _bound_probes(url_prefix, record, model, form):
    def create(client, clinic):
        before = model.objects.filter(site=clinic.site).count()
        response = client.post(reverse(f"{url_prefix}:add"), {**form(clinic), "site": clinic.site.pk})
        return model.objects.filter(site=clinic.site).count() > before, response.content.decode()

    return {
        SEE: lambda c, t: shows(c.get(reverse(f"{url_prefix}:index")), getattr(t, record).name),
        EDIT: lambda c, t: ok(c.get(reverse(f"{url_prefix}:edit", args=[getattr(t, record).pk]))),
        CREATE: create,
    }


def _key_form(clinic):
    return {"name": f"New {clinic.slug} key", "scopes": ["delivery"], "is_active": "on"}


def _endpoint_form(clinic):
    return {
        "name": f"New {clinic.slug} hook",
        "url": f"https://{clinic.slug}.lumen.example/new",
        "events": ["page.published"],
        "active": "on",
        "secret": "whsec_c2hhcmVkLXdpdGgtdGhlLXNpdGU=",
    }


def _chooser(c, t):
    root = c.get(reverse("wagtailadmin_choose_page"), {"locale": t.home.locale.language_code})
    return both(shows(root, t.home_title), ok(c.get(reverse("wagtailadmin_choose_page_child", args=[t.home.pk]))))


PROBES = {
    "page": _page_probes(),
    "image": _media_probes("wagtailimages", "image", lambda: png("new.png")),
    "document": _media_probes("wagtaildocs", "document", lambda: ContentFile(b"%PDF-1.4\n", "new.pdf")),
    "api key": _bound_probes("api_keys", "key", ApiKey, _key_form),
    "webhook": _bound_probes("webhookendpoint", "endpoint", WebhookEndpoint, _endpoint_form),
    "delivery log": {SEE: lambda c, t: shows(c.get(reverse("webhookdelivery:index")), t.endpoint.name)},
    "site history": {SEE: lambda c, t: shows(c.get(reverse("wagtailadmin_reports:site_history")), *t.markers)},
    "translation status": {
        SEE: lambda c, t: shows(c.get(reverse("cms_translation_status_report")), t.clinic.site.root_page.title)
    },
    "admin search": {SEE: lambda c, t: shows(c.get(reverse("wagtailadmin_pages:search"), {"q": "Lumen"}), *t.markers)},
    "page chooser": {SEE: _chooser},
    "image chooser": {SEE: lambda c, t: shows(c.get(reverse("wagtailimages_chooser:choose")), t.image.title)},
    "document chooser": {SEE: lambda c, t: shows(c.get(reverse("wagtaildocs_chooser:choose")), t.document.title)},
}


CASES = [(username, object_type) for username in ROLES for object_type in PROBES]


@pytest.mark.parametrize(("username", "object_type"), CASES, ids=[f"{u}-{o}" for u, o in CASES])
def test_each_role_acts_for_its_own_clinics_only(hub, client_for, username, object_type):
    acts_for, grants = ROLES[username]
    client = client_for(username)
    wrong = []
    for slug in CLINICS:
        clinic = hub.clinics[slug]
        own = acts_for in (EVERY, slug)
        allowed = grants.get(object_type, set()) if own else set()
        if object_type == "translation status" and not set(clinic.clinic.locales) - {"en"}:
            allowed = set()  # a clinic in the source language only (London): nothing to translate, no row
        for action, probe in PROBES[object_type].items():
            done, shown = probe(client, clinic)
            if done != (action in allowed):
                wrong.append(f"{action} {slug}: expected {'allowed' if action in allowed else 'refused'}")
            if not own:
                wrong += [f"{action} {slug}: shown “{name}”" for name in clinic.markers if name in shown]
    assert not wrong, f"{username} × {object_type}: " + "; ".join(wrong)


# --- Bad input: binding a record to another clinic ---------------------------------------


@pytest.mark.parametrize(
    ("url_name", "model", "form"),
    [("api_keys:add", ApiKey, _key_form), ("webhookendpoint:add", WebhookEndpoint, _endpoint_form)],
    ids=["api key", "webhook"],
)
def test_a_clinic_editor_cannot_bind_a_record_to_another_clinic(hub, client_for, url_name, model, form):
    madrid, london = hub.clinics["madrid"], hub.clinics["london"]
    before = model.objects.count()
    client = client_for("editor-madrid")

    elsewhere = client.post(reverse(url_name), {**form(madrid), "site": london.site.pk})
    unbound = client.post(reverse(url_name), {**form(madrid), "site": ""})

    assert elsewhere.status_code == 200
    assert elsewhere.context["form"].errors["site"] == [
        "Choose one of your clinics' sites: you may not bind this to another clinic."
    ]
    assert unbound.context["form"].errors["site"] == ["This field is required."]
    assert model.objects.count() == before
    # The form offers Madrid's site only.
    assert list(elsewhere.context["form"].fields["site"].queryset) == [madrid.site]


def test_a_clinic_editor_cannot_move_their_key_to_another_clinic(hub, client_for):
    madrid, london = hub.clinics["madrid"], hub.clinics["london"]
    response = client_for("editor-madrid").post(
        reverse("api_keys:edit", args=[madrid.key.pk]),
        {"name": "Madrid app", "scopes": ["delivery"], "is_active": "on", "site": london.site.pk},
    )
    assert response.status_code == 200 and "site" in response.context["form"].errors
    madrid.key.refresh_from_db()
    assert madrid.key.site_id == madrid.site.pk


def test_hub_wide_keys_and_endpoints_are_for_library_staff_only(hub, client_for):
    for username, shown in (("editor-madrid", False), ("admin", True)):
        client = client_for(username)
        assert ("Hub partner" in client.get(reverse("api_keys:index")).content.decode()) is shown
        assert ("Hub bundle builder" in client.get(reverse("webhookendpoint:index")).content.decode()) is shown
    # A 404, as for a key that does not exist (Django's locale middleware redirects it first).
    refused = client_for("editor-madrid").get(reverse("api_keys:edit", args=[hub.hub_key.pk]), follow=True)
    assert refused.status_code == 404


def test_the_delivery_log_filter_names_only_the_users_endpoints(hub, client_for):
    form = client_for("editor-madrid").get(reverse("webhookdelivery:index")).context["filters"].form
    assert [str(choice) for choice in form.fields["endpoint"].queryset] == ["Madrid website"]


# --- Library pages: chosen by a clinic, changed by the library only -----------------------


def test_a_clinic_editor_chooses_library_pages_but_cannot_edit_them(hub, client_for):
    library_page = Page.objects.get(translation_key=demo_key("microneedling"), locale=Locale.get_default())
    chooser = reverse("wagtailadmin_choose_page_child", args=[library_page.get_parent().pk])
    client = client_for("editor-madrid")

    offered = client.get(chooser, {"page_type": "pages.procedurepage"})
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[library_page.pk]))

    assert offered.status_code == 200 and "Microneedling" in offered.content.decode()
    assert edit.status_code == 302 and edit.url == reverse("wagtailadmin_home")
    assert client_for("editor").get(reverse("wagtailadmin_pages:edit", args=[library_page.pk])).status_code == 200


# --- Rich text: no link from one clinic to another ------------------------------------------


def clinic_page_form(page, local_notes):
    """The edit form of a clinic page without practitioners, prices or devices, as the admin posts it."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "library_page": page.library_page_id,
            "practitioners": streamfield([]),
            "price_min": "",
            "price_max": "",
            "price_currency": "",
            "devices": streamfield([]),
            "booking_url": "",
            "local_notes": rich_text(local_notes),
            "regulatory_notice": page.regulatory_notice,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )


def link_to(page, text="See also"):
    return f'<p><a linktype="page" id="{page.pk}">{text}</a></p>'


def test_a_link_to_another_clinics_page_is_refused_at_save(hub, client_for):
    madrid, london = hub.clinics["madrid"], hub.clinics["london"]
    page = Page.objects.get(translation_key=demo_key("clinic-madrid-safety"), locale=Locale.get_default()).specific
    revisions = page.revisions.count()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client = client_for("editor-madrid")

    refused = client.post(url, clinic_page_form(page, link_to(london.page, "London")))
    accepted = client.post(url, clinic_page_form(page, link_to(hub.library_home) + link_to(madrid.home)))

    assert refused.status_code == 200
    assert refused.context["form"].errors["local_notes"] == [
        "This text links to a page of another clinic. Link only to this clinic's pages or to the procedure library."
    ]
    assert accepted.status_code == 302
    assert page.revisions.count() == revisions + 1  # the accepted edit only
    # From code too: saving checks the same.
    page.local_notes = link_to(london.page)
    with pytest.raises(ValidationError) as refusal:
        page.save_revision()
    assert "local_notes" in refusal.value.message_dict


def test_a_new_clinic_page_may_not_link_to_another_clinic_or_show_its_page(hub, client_for):
    madrid, london = hub.clinics["madrid"], hub.clinics["london"]
    add = reverse("wagtailadmin_pages:add", args=["pages", "clinicpage", madrid.home.pk])
    data = clinic_page_form(madrid.page, link_to(london.page))
    data.update({"title": "Aftercare", "slug": "aftercare", "library_page": str(london.page.pk)})

    response = client_for("editor-madrid").post(add, data)

    errors = response.context["form"].errors
    assert errors["local_notes"] == [
        "This text links to a page of another clinic. Link only to this clinic's pages or to the procedure library."
    ]
    assert "Choose a page of the procedure library or of this clinic, not of another clinic." in errors["library_page"]
    assert not Page.objects.filter(slug="aftercare").exists()


# --- Translation packages: a clinic's translators, their clinic's pages ------------------


def po_for(client, locale="es"):
    response = client.post(
        reverse("translation_packages:export"), {"locales": [locale], "format": "po", "scope": "all", "root": ""}
    )
    assert response.status_code == 200, response.content[:300]
    return polib.pofile(response.content.decode())


def test_a_clinic_translator_downloads_and_uploads_their_clinics_pages_only(hub, client_for, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "translation_packages": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    translator = client_for("translator-madrid")
    assert translator.get(reverse("translation_packages:index")).status_code == 200

    own = {entry.msgid for entry in po_for(translator)}
    everything = po_for(client_for("translator"))  # the library's Spanish translator
    assert "Lumen Madrid" in own and "Lumen Skin Clinic" not in own and "Treatments" not in own
    assert {"Lumen Madrid", "Lumen Skin Clinic", "Treatments"} <= {entry.msgid for entry in everything}

    library_unit = next(entry for entry in everything if entry.msgid == "Treatments")
    library_unit.msgstr = "Tratamientos de la clínica"
    before = StringTranslation.objects.filter(locale__language_code="es").values_list("pk", "data")
    before = set(before)
    upload = SimpleUploadedFile("es.po", str(everything).encode(), content_type="text/x-gettext-translation")
    refused = translator.post(reverse("translation_packages:upload"), {"file": upload, "locale": "es"})

    assert refused.status_code == 400
    rejected = {rejection.unit_id: rejection for rejection in refused.context["plan"].rejections}
    reason = rejected[library_unit.msgctxt].reason
    assert reason.startswith("Unknown unit: this site has no translation t")
    assert "Tratamientos de la clínica" not in refused.content.decode()
    assert set(StringTranslation.objects.filter(locale__language_code="es").values_list("pk", "data")) == before


# --- Review: a clinic's reviewers see and approve their clinic's pages --------------------


def test_a_clinic_reviewer_reviews_their_clinics_pages_only(hub, client_for):
    london = hub.clinics["london"]
    page = london.page
    page.regulatory_notice = "Registered with the Care Quality Commission."
    page.save_revision(user=get_user_model().objects.get(username="editor-london"))
    page.get_workflow().start(page, get_user_model().objects.get(username="editor-london"))
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    madrid_dashboard = client_for("reviewer-madrid").get(reverse("wagtailadmin_home")).content.decode()
    london_dashboard = client_for("reviewer-london").get(reverse("wagtailadmin_home")).content.decode()
    refused = client_for("reviewer-madrid").post(reverse("review_approve", args=[page.pk]))
    approved = client_for("reviewer-london").post(reverse("review_approve", args=[page.pk]))

    assert edit_url in london_dashboard and edit_url not in madrid_dashboard
    assert refused.status_code in (302, 403) and refused.url != reverse("review_audit_trail", args=[page.pk])
    assert approved.status_code == 302
    page.refresh_from_db()
    assert page.specific.regulatory_notice == "Registered with the Care Quality Commission." and page.live


# --- The roles themselves ---------------------------------------------------------------------


def grants():
    return {
        (grant.group.name, grant.page.title, grant.page.locale.language_code, grant.permission.codename)
        for grant in GroupPagePermission.objects.select_related("group", "page__locale", "permission")
    }


def test_roles_hang_on_each_clinics_homes_and_collection_and_library_groups_on_the_librarys(hub):
    pages = grants()
    madrid_editors = {(title, code, perm) for group, title, code, perm in pages if group.endswith("Madrid editors")}
    assert madrid_editors == {
        ("Lumen Madrid", code, perm) for code in ("en", "es") for perm in ("add_page", "change_page", "lock_page")
    }
    translators = {(title, code, perm) for group, title, code, perm in pages if group.endswith("Madrid translators")}
    assert translators == {("Lumen Madrid", "es", "change_page")}
    assert not Group.objects.filter(name="Lumen Skin Clinic London translators").exists()  # English only
    for group in ("Editors", "Medical reviewers", "Translators (es)"):
        titles = {title for name, title, _code, _perm in pages if name == group}
        assert titles and not titles & {"Lumen Madrid", "Lumen London", "Root"}, group
    collections = GroupCollectionPermission.objects.filter(group__name__endswith="London editors")
    assert {grant.collection.name for grant in collections} == {"Lumen Skin Clinic London"}


def test_ensure_clinic_roles_is_idempotent_and_removes_rights_in_other_clinics(hub):
    madrid, london = hub.clinics["madrid"], hub.clinics["london"]
    editors = Group.objects.get(name="Lumen Skin Clinic Madrid editors")
    GroupPagePermission.objects.create(
        group=editors, page=london.home, permission=Permission.objects.get(codename="change_page")
    )
    GroupCollectionPermission.objects.create(
        group=editors, collection=london.collection, permission=Permission.objects.get(codename="choose_image")
    )
    groups_before, grants_before = Group.objects.count(), grants()
    out = io.StringIO()

    call_command("ensure_clinic_roles", stdout=out)

    assert "madrid: Lumen Skin Clinic Madrid editors, Lumen Skin Clinic Madrid reviewers" in out.getvalue()
    assert not GroupCollectionPermission.objects.filter(group=editors, collection=london.collection).exists()
    assert Group.objects.count() == groups_before
    assert grants_before - grants() == {("Lumen Skin Clinic Madrid editors", "Lumen London", "en", "change_page")}
    assert grants() - grants_before == set()
    assert GroupPagePermission.objects.filter(group=editors, page=madrid.home).count() == 3


def test_a_new_clinic_gets_its_groups_and_collection(hub, django_capture_on_commit_callbacks):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Lumen Paris", slug="lumen-paris"))
    site = Site.objects.create(hostname="paris.localhost", port=80, root_page=home, site_name="Lumen Paris")

    with django_capture_on_commit_callbacks(execute=True):
        Clinic.objects.create(site=site, slug="paris", name="Lumen Skin Clinic Paris", locales=["en"])

    clinic = Clinic.objects.get(slug="paris")
    assert clinic.collection is not None and clinic.collection.name == "Lumen Skin Clinic Paris"
    assert set(Group.objects.filter(name__startswith="Lumen Skin Clinic Paris").values_list("name", flat=True)) == {
        "Lumen Skin Clinic Paris editors",
        "Lumen Skin Clinic Paris reviewers",
    }
    assert GroupPagePermission.objects.filter(group__name="Lumen Skin Clinic Paris editors", page=home).count() == 3


def test_the_dashboard_counts_a_clinics_own_pages_not_the_hubs(hub, client_for):
    hub_total = Page.objects.filter(depth__gt=1).count()
    for username, slug in (("editor-madrid", "madrid"), ("editor-london", "london")):
        homes = Page.objects.filter(translation_key=hub.clinics[slug].site.root_page.translation_key)
        own = sum(Page.objects.descendant_of(home, inclusive=True).count() for home in homes)
        dashboard = " ".join(client_for(username).get(reverse("wagtailadmin_home")).content.decode().split())
        assert f"{own} Pages" in dashboard and f"{hub_total} Pages" not in dashboard, username


def test_page_types_usage_counts_the_whole_hub_so_only_library_staff_get_it(hub, client_for):
    url = reverse("wagtailadmin_reports:page_types_usage")
    for username, allowed in (("editor-madrid", False), ("reviewer-london", False), ("editor", True)):
        client = client_for(username)
        response = client.get(url)
        assert (response.status_code == 200) is allowed, username
        assert (url in client.get(reverse("wagtailadmin_reports:site_history")).content.decode()) is allowed
