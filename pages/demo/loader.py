"""Builds the microneedling demo in every configured locale, idempotently.

Pages and devices get fixed translation keys, so a second run finds what the first
made and changes nothing. Translations go through wagtail-localize's own models
(TranslationSource, String, StringTranslation), so the admin lists each one as a real
translation at 100% and translator packages and status see them like any other.
"""

import io
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue

from . import clinics, devices, microneedling, microneedling_children, site
from .text import Prose, T, collect

KEY_NAMESPACE = uuid.UUID("6f1c3d2e-5b7a-4c38-9a51-0d7e2f4b8c61")
HERO_IMAGE_TITLE = "Microneedling treatment (demo)"
DEMO_TOOL_NAME = "demo content"

TREE = [
    (site.HOME, None),
    (site.TREATMENTS, "home"),
    (microneedling.PROCEDURE, "treatments"),
    *[(child, "microneedling") for child in microneedling_children.CHILDREN],
]


def demo_key(name):
    """The translation key of a demo page or device: the same on every machine."""
    return uuid.uuid5(KEY_NAMESPACE, name)


class MissingDemoTranslation(Exception):
    pass


@dataclass
class Summary:
    created: list = field(default_factory=list)
    translated: list = field(default_factory=list)

    def __str__(self):
        if not self.created and not self.translated:
            return "Demo content is already loaded; nothing changed."
        return f"Created {len(self.created)} objects and {len(self.translated)} translations."


def _translation_table():
    specs = [spec for spec, _parent in TREE] + devices.DEVICES + clinics.CLINICS
    table = {}
    for text in collect(specs):
        table[text.en] = text
    return table


def _raw(value, device_ids):
    """Demo data in the raw form Wagtail stores: English text, device ids."""
    if isinstance(value, T):
        return value.en
    if isinstance(value, Prose):
        return value.html()
    if isinstance(value, dict):
        return {k: device_ids[v] if k == "device" else _raw(v, device_ids) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return [{"type": kind, "value": _raw(item, device_ids)} for kind, item in value]
    return value


def _hero_image():
    image_model = get_image_model()
    existing = image_model.objects.filter(title=HERO_IMAGE_TITLE).first()
    if existing:
        return existing, False
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (1600, 900), (236, 222, 214))
    draw = ImageDraw.Draw(canvas)
    for x in range(0, 1600, 40):
        for y in range(0, 900, 40):
            draw.ellipse((x + 18, y + 18, x + 22, y + 22), fill=(196, 150, 140))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    image = image_model(title=HERO_IMAGE_TITLE)
    image.file = ImageFile(buffer, name="microneedling-demo.jpg")
    image.save()
    return image, True


class DemoLoader:
    def __init__(self):
        self.default_locale = Locale.get_default()
        self.summary = Summary()
        self.table = _translation_table()

    @transaction.atomic
    def load(self):
        from .accounts import ensure_clinic_groups, ensure_demo_reviewers

        self._remove_welcome_page()
        # Medical review governs the demo from its first page: each page goes live
        # approved by the reviewer of its market.
        self.reviewers = ensure_demo_reviewers()
        image, created = _hero_image()
        if created:
            self.summary.created.append(image)
        device_objects = {spec["key"]: self._device(spec) for spec in devices.DEVICES}
        device_ids = {key: device.pk for key, device in device_objects.items()}
        pages = {}
        for spec, parent_key in TREE:
            parent = pages[parent_key] if parent_key else Page.get_first_root_node()
            pages[spec["key"]] = self._page(spec, parent, device_ids, image)
        self._point_site_at(pages["home"])
        for locale in Locale.objects.exclude(pk=self.default_locale.pk).order_by("language_code"):
            for device in device_objects.values():
                self._translate(device, locale)
            for spec, _parent in TREE:
                self._translate(pages[spec["key"]], locale)
        self._clinics(pages, device_objects)
        ensure_clinic_groups()
        return self.summary

    # --- Clinics (pages.demo.clinics) ------------------------------------------------------

    def _clinics(self, library, device_objects):
        from pages.models import Clinic
        from pages.models.clinic import hub_locales

        hub = hub_locales()  # in the hub's order: the first is the default
        group_site = Site.objects.get(is_default_site=True)
        if not Clinic.objects.filter(site=group_site).exists():
            Clinic.objects.create(site=group_site, locales=hub, **clinics.GROUP_CLINIC)
        specs = {spec["key"]: spec for spec, _parent in TREE}
        for spec in clinics.CLINICS:
            if any(code not in hub for code in spec["locales"]):
                continue  # a deployment without this clinic's languages (CMS_LOCALES)
            made = {"home": self._page(self._clinic_home_spec(spec), Page.get_first_root_node(), {}, None)}
            site_obj = Site.objects.filter(hostname=spec["hostname"]).first()
            if site_obj is None:
                site_obj = Site.objects.create(
                    hostname=spec["hostname"], port=80, root_page=made["home"], site_name=spec["name"]
                )
            if not Clinic.objects.filter(site=site_obj).exists():
                Clinic.objects.create(
                    site=site_obj,
                    slug=spec["slug"],
                    name=spec["name"],
                    locales=spec["locales"],
                    frontend_url=spec["frontend_url"],
                    collection=_collection(spec["name"]),
                )
            for page_spec in spec["pages"]:
                library_page = library[page_spec["library"]]
                made[page_spec["key"]] = self._clinic_page(
                    page_spec, specs[page_spec["library"]], made[page_spec["parent"]], library_page, device_objects
                )
            for code in spec["locales"]:
                locale = Locale.objects.get(language_code=code)
                if locale == self.default_locale:
                    continue
                for page in made.values():
                    self._translate(page, locale)

    @staticmethod
    def _clinic_home_spec(spec):
        return {"key": spec["home"]["key"], "model": "pages.HomePage", "fields": {}, **spec["home"]}

    def _clinic_page(self, spec, library_spec, parent, library_page, device_objects):
        from pages.models import ClinicPage

        key = demo_key(spec["key"])
        existing = ClinicPage.objects.filter(translation_key=key, locale=self.default_locale).first()
        if existing:
            return existing
        stream = ClinicPage._meta.get_field
        low, high, currency = spec.get("price", (None, None, ""))
        page = ClinicPage(
            title=library_spec["title"].en,
            slug=library_spec["slug"].en,
            translation_key=key,
            locale=self.default_locale,
            library_page=library_page,
            practitioners=stream("practitioners").stream_block.to_python(
                [
                    {
                        "type": "practitioner",
                        "value": {
                            "name": name.en,
                            "qualification": qualification.en,
                            "registration_number": registration.en if registration else "",
                        },
                    }
                    for name, qualification, registration in spec.get("practitioners", [])
                ]
            ),
            price_min=low,
            price_max=high,
            price_currency=currency,
            devices=stream("devices").stream_block.to_python(
                [{"type": "device", "value": {"device": device_objects[name].pk}} for name in spec.get("devices", [])]
            ),
            booking_url=spec.get("booking_url", ""),
            regulatory_notice=spec["regulatory_notice"].en if spec.get("regulatory_notice") else "",
        )
        parent.add_child(instance=page)
        page.full_clean()
        self._publish_reviewed(page)
        self.summary.created.append(page)
        return page

    def _device(self, spec):
        model = apps.get_model("pages", "Device")
        key = demo_key(spec["key"])
        existing = model.objects.filter(translation_key=key, locale=self.default_locale).first()
        if existing:
            return existing
        values = {name: _raw(value, {}) for name, value in spec.items() if name != "key"}
        device = model(translation_key=key, locale=self.default_locale, **values)
        device.full_clean()
        device.save()
        self.summary.created.append(device)
        return device

    def _page(self, spec, parent, device_ids, image):
        model = apps.get_model(spec["model"])
        key = demo_key(spec["key"])
        existing = model.objects.filter(translation_key=key, locale=self.default_locale).first()
        if existing:
            return existing
        values = {name: _raw(value, device_ids) for name, value in spec["fields"].items()}
        for name, value in list(values.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict) and "type" in value[0]:
                values[name] = model._meta.get_field(name).stream_block.to_python(value)
        if spec.get("hero_image"):
            values["hero_image"] = image
        page = model(
            title=spec["title"].en, slug=spec["slug"].en, translation_key=key, locale=self.default_locale, **values
        )
        parent.add_child(instance=page)
        self._publish_reviewed(page)
        self.summary.created.append(page)
        return page

    def _publish_reviewed(self, page):
        """Publish ``page``'s latest revision, approved first by its market's demo reviewer when it needs it."""
        from cms.review.approvals import approve
        from cms.review.gate import is_gated

        revision = page.get_latest_revision() or page.save_revision()
        if is_gated(page):
            _approval, revision = approve(page, self.reviewers[page.locale.market.code])
        revision.publish()

    def _point_site_at(self, home):
        site_obj = Site.objects.filter(is_default_site=True).first()
        if site_obj is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Lumen Skin Clinic"
            )
            return
        if site_obj.root_page_id != home.pk:
            site_obj.root_page = home
            site_obj.save()

    def _remove_welcome_page(self):
        """Wagtail's installer leaves an empty "Welcome" page as the site root, taking the
        slug the demo home wants; it has no place in a clinic site."""
        for page in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
            if page.get_children_count() == 0:
                Site.objects.filter(root_page=page).delete()
                page.delete()

    def _translate(self, instance, locale):
        source, _created = TranslationSource.get_or_create_from_instance(instance)
        translation, translation_created = Translation.objects.get_or_create(source=source, target_locale=locale)
        new_strings = 0
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            english = StringValue(segment.string.data).render_text()
            try:
                text = getattr(self.table[english], locale.language_code)
            except (KeyError, AttributeError) as exc:
                raise MissingDemoTranslation(
                    f"The demo has no {locale.language_code} translation for {english!r} "
                    f"({segment.context.path} of {instance})."
                ) from exc
            _string_translation, created = StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": StringValue.from_plaintext(text).data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": DEMO_TOOL_NAME,
                },
            )
            new_strings += created
        if translation_created or new_strings or not _has_translation(instance, locale):
            is_page = isinstance(instance, Page)
            translation.save_target(publish=not is_page)
            if is_page:
                # wagtail-localize would publish on commit from the page object it held in
                # memory, writing back stale tree counts for pages that gained children
                # since. Publishing now, from the database, keeps the tree sound.
                target = Page.objects.get(translation_key=instance.translation_key, locale=locale).specific
                self._publish_reviewed(target)
            self.summary.translated.append((instance, locale.language_code))


def _collection(name):
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _has_translation(instance, locale):
    return type(instance)._default_manager.filter(translation_key=instance.translation_key, locale=locale).exists()


def load_demo():
    """Load the demo and return a Summary of what changed."""
    return DemoLoader().load()
