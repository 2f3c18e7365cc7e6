"""Template tags of the translation editor override (see ``cms.translation.editor``)."""

from django import template
from wagtail.models import Page

from cms.translation.editor import may_publish, translator_props

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_props(context):
    """wagtail-localize's props for the signed-in user (``cms.translation.editor.translator_props``)."""
    return translator_props(context["props"], context["translation"], context["may_publish"])


@register.simple_tag(takes_context=True)
def user_may_publish(context):
    instance = context["instance"]
    if isinstance(instance, Page):
        return may_publish(context["request"].user, instance)
    return True
