"""Webhooks per clinic: an endpoint bound to a clinic hears only of its pages, library
changes reaching them included, and gets the clinic's merged page in each call."""

import json

import pytest
from standardwebhooks import Webhook
from wagtail.models import Site

from cms.delivery.models import ChangeEvent, WebhookDelivery, WebhookEndpoint
from tests.utils import demo_page, publish_reviewed

from .conftest import Receiver, clinic_key, publish

ALL_EVENTS = [event for event, _label in ChangeEvent.choices]


@pytest.fixture
def receivers(clinics, internal_receivers_allowed):
    """A receiver and an endpoint each for Madrid, London and the whole hub."""
    made = {}
    for name, hostname in (("madrid", "madrid.localhost"), ("london", "london.localhost"), ("hub", None)):
        receiver = Receiver()
        site = Site.objects.get(hostname=hostname) if hostname else None
        endpoint = WebhookEndpoint.objects.create(
            name=f"{name} app", url=receiver.url, events=ALL_EVENTS, locales=[], site=site
        )
        made[name] = (receiver, endpoint)
    yield made
    for receiver, _endpoint in made.values():
        receiver.close()


def received(receivers, name):
    """The payloads ``name``'s receiver got, each verified with its endpoint's secret."""
    receiver, endpoint = receivers[name]
    return [Webhook(endpoint.secret).verify(request["body"], request["headers"]) for request in receiver.requests]


def test_a_library_publish_calls_the_endpoints_of_the_clinics_showing_it_with_their_page(
    client, receivers, django_capture_on_commit_callbacks
):
    safety = demo_page("microneedling-safety", "en")
    safety.summary = "Check the skin before every session, and stop if it is broken."
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(safety)

    [madrid] = received(receivers, "madrid")
    assert (madrid["event"], madrid["key"], madrid["locale"], madrid["site"]) == (
        "page.published",
        clinic_key("clinic-madrid-safety"),
        "en",
        "madrid",
    )
    assert madrid["type"] == "pages.SafetyChecklistPage"
    # The page as Madrid serves it: the library's new text with Madrid's own notice.
    assert madrid["page"]["content"]["summary"] == safety.summary
    assert madrid["page"]["clinic"]["fields"]["regulatory_notice"]["source"] == "clinic"
    detail = client.get(f"/api/v1/pages/{clinic_key('clinic-madrid-safety')}/?site=madrid&locale=en")
    assert madrid["page"] == detail.json()
    # London shows no safety page; the hub's endpoint hears of both pages, without bodies.
    assert received(receivers, "london") == []
    hub = received(receivers, "hub")
    assert sorted((call["key"], call["locale"], call["site"]) for call in hub) == sorted(
        [(clinic_key("microneedling-safety"), "en", "lumen"), (clinic_key("clinic-madrid-safety"), "en", "madrid")]
    )
    assert all("page" not in call for call in hub)
    assert WebhookDelivery.objects.filter(endpoint=receivers["london"][1]).count() == 0


def test_a_library_unpublish_tells_each_clinic_its_pages_are_gone(receivers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_page("microneedling", "en").unpublish()

    madrid = received(receivers, "madrid")
    assert sorted((call["event"], call["key"], call["locale"]) for call in madrid) == sorted(
        [
            ("page.unpublished", clinic_key("clinic-madrid-microneedling"), "en"),
            ("page.unpublished", clinic_key("clinic-madrid-safety"), "en"),
        ]
    )
    assert all(call["page"] is None for call in madrid)
    london = received(receivers, "london")
    assert [(call["event"], call["key"], call["page"]) for call in london] == [
        ("page.unpublished", clinic_key("clinic-london-microneedling"), None)
    ]


def test_a_clinics_own_publish_reaches_only_its_endpoint_and_the_hubs(receivers, django_capture_on_commit_callbacks):
    london_page = demo_page("clinic-london-microneedling", "en")
    london_page.booking_url = "https://london.lumen.example/book-now"
    with django_capture_on_commit_callbacks(execute=True):
        publish(london_page)  # a clinic page's own fields need no medical sign-off

    [london] = received(receivers, "london")
    assert london["key"] == clinic_key("clinic-london-microneedling")
    assert london["page"]["clinic"]["fields"]["booking_url"] == {
        "value": "https://london.lumen.example/book-now",
        "source": "clinic",
    }
    assert received(receivers, "madrid") == []
    assert [call["site"] for call in received(receivers, "hub")] == ["london"]
    assert json.loads(WebhookDelivery.objects.get(endpoint=receivers["london"][1]).body) == london
