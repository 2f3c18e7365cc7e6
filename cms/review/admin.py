"""Admin screens to edit markets, reviewer profiles and claims rules (Settings › Medical sign-off)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.review.models import ClaimRule, Market, ReviewerProfile


class MarketViewSet(ModelViewSet):
    model = Market
    icon = "globe"
    form_fields = ["code", "name", "locale"]
    list_display = ["code", "name", "locale"]


class ReviewerProfileViewSet(ModelViewSet):
    model = ReviewerProfile
    icon = "user"
    form_fields = ["user", "full_name", "qualification", "registration_number", "markets"]
    list_display = ["full_name", "qualification", "registration_number", "user"]


class ClaimRuleViewSet(ModelViewSet):
    model = ClaimRule
    icon = "warning"
    form_fields = ["market", "kind", "name", "pattern", "source", "active"]
    list_display = ["name", "market", "kind", "pattern", "source", "active"]
    list_filter = ["market", "kind", "active"]


class SignoffViewSetGroup(ModelViewSetGroup):
    menu_label = _("Medical sign-off")
    menu_icon = "tick-inverse"
    menu_order = 220
    items = (MarketViewSet, ReviewerProfileViewSet, ClaimRuleViewSet)


signoff_viewset_group = SignoffViewSetGroup()
