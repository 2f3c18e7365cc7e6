"""Isolation between clinics in the admin: role × clinic × object type × action.

Each demo account (the groups ``load_demo_content`` makes, through ``ensure_clinic_roles``)
goes through the real admin URLs for each object type and each clinic, Madrid and
London: whether it lists or sees the clinic's record, opens it to edit, and creates one
for that clinic. The table says what each role may do for its own clinics; for any
other clinic it may do nothing, and the other clinic's names never appear in what it
is shown. Library staff (``editor``, ``admin``) act for every clinic where their
rights reach; library editors manage library pages only.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cms.api.models import ApiKey
from cms.delivery.models import WebhookEndpoint

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
        for action, probe in PROBES[object_type].items():
            done, shown = probe(client, clinic)
            if done != (action in allowed):
                wrong.append(f"{action} {slug}: expected {'allowed' if action in allowed else 'refused'}")
            if not own:
                wrong += [f"{action} {slug}: shown “{name}”" for name in clinic.markers if name in shown]
    assert not wrong, f"{username} × {object_type}: " + "; ".join(wrong)
