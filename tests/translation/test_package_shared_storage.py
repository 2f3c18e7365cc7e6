"""A translator's upload waits in shared storage: checked by one web server, applied by another.

Two ``runserver`` processes share the database and the S3 server (tests/s3server.py),
each with a local upload folder of its own that must stay unused: behind a load
balancer, "Apply" can reach another server than the upload did.
"""

import dataclasses
import re

import polib
import pytest
import requests

from tests.processes import demo_database, start_server
from tests.s3server import PRIVATE_BUCKET, anonymous_get

INDEX = "/admin/translation-packages/"
REVISED = " (révisé)"


def base_url(server):
    return f"http://127.0.0.1:{server.port}"


def log_in(session, server, username, password):
    session.get(base_url(server) + "/admin/login/")
    response = session.post(
        base_url(server) + "/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]


@pytest.fixture
def two_servers(tmp_path, s3_server):
    """The demo with its accounts, and two servers on the same database and storage."""
    database = demo_database(tmp_path, {**s3_server.env(), "MEDIA_ROOT": str(tmp_path / "media")})
    database.shell("from pages.demo.accounts import ensure_demo_users; ensure_demo_users(); print('{}')")
    servers = []
    try:
        for name in ("a", "b"):
            env = {**database.env, "TRANSLATION_PACKAGE_UPLOAD_DIR": str(tmp_path / f"local-uploads-{name}")}
            servers.append(start_server(dataclasses.replace(database, env=env), "runserver", tmp_path))
        yield database, servers
    finally:
        for server in servers:
            server.stop()
        if database.drop:
            database.drop()


def revised_package(database, tmp_path):
    """The demo's French PO package with one translation revised, as a translator sends it back."""
    path = tmp_path / "fr.po"
    database.manage("translation_export", "--locale", "fr", "--format", "po", "--out", str(path))
    package = polib.pofile(path.read_text())
    entry = next(entry for entry in package if entry.msgstr and not entry.msgstr.isdigit())
    entry.msgstr += REVISED
    return str(package).encode()


def test_an_upload_checked_by_one_server_is_applied_by_another(two_servers, tmp_path, s3_server):
    database, (first, second) = two_servers
    session = requests.Session()
    log_in(session, first, "translator", "clinic-demo")

    response = session.post(
        base_url(first) + INDEX + "import/",
        data={"locale": "fr", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"file": ("fr.po", revised_package(database, tmp_path), "text/x-gettext-translation")},
    )
    assert response.status_code == 200, response.text[:2000]
    token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
    key = f"translation-packages/{token}"
    waiting = s3_server.client().get_object(Bucket=PRIVATE_BUCKET, Key=key)["Body"].read()
    assert REVISED.encode() in waiting
    assert anonymous_get(f"{s3_server.endpoint}/{PRIVATE_BUCKET}/{key}")[0] == 403  # never public

    response = session.post(
        base_url(second) + INDEX + "import/apply/",
        data={"token": token, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )
    assert response.status_code == 200, re.findall(r"(?s)data-package-error>(.*?)</div>", response.text)
    assert "fr.po imported: 1 translation(s) changed, 1 page(s) saved as drafts." in response.text
    assert (
        database.shell(
            "import json; from wagtail_localize.models import StringTranslation;"
            f"print(json.dumps(StringTranslation.objects.filter(data__endswith={REVISED!r}).count()))"
        )
        == 1
    )
    listing = s3_server.client().list_objects_v2(Bucket=PRIVATE_BUCKET, Prefix=key)
    assert listing.get("KeyCount", 0) == 0  # applied, then removed
    for name in ("a", "b"):
        assert not (tmp_path / f"local-uploads-{name}").exists()
