"""Translation status of the real demo content: every page complete in every locale."""

import pytest
from wagtail.models import Locale, Page, Site

from cms.translation.roles import ensure_translator_groups
from cms.translation.status import COMPLETE, only_complete, status_rows, status_summaries


@pytest.mark.django_db
def test_demo_is_completely_and_humanly_translated(demo):
    rows = status_rows()
    assert {row.status.locale for row in rows} == {"fr", "de", "es"}
    # Every page of the group's site into fr, de and es; the clinics' pages only into the
    # languages their websites are in: Madrid's three (home and two clinic pages) into es,
    # London's two (en only) into none.
    english = Page.objects.filter(depth__gt=1, locale=Locale.get_default()).count()
    assert len(rows) == 3 * (english - 5) + 3
    assert {row.status.state for row in rows} == {COMPLETE}
    assert all(row.status.total > 0 and row.status.machine == 0 for row in rows)

    everything = Page.objects.filter(depth__gt=1)
    assert only_complete(everything).count() == everything.count()
    summaries = status_summaries(everything.specific())
    assert all(summary["complete"] for summary in summaries.values())


@pytest.mark.django_db
def test_translator_groups_attach_to_the_demo_library_homes(demo):
    groups = ensure_translator_groups()
    for code, group in groups.items():
        homes = {grant.page for grant in group.page_permissions.all()}
        library_home = Site.objects.get(is_default_site=True).root_page.get_translation(
            Locale.objects.get(language_code=code)
        )
        assert homes == {library_home}  # a clinic's home (Lumen Madrid, es) is its own translators'
    assert (
        not Page.objects.get(depth=2, locale__language_code="es", title="Lumen Madrid")
        .group_permissions.filter(group__name__startswith="Translators")
        .exists()
    )
