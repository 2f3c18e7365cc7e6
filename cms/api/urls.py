"""Routes of the delivery API, mounted at /api/v1/."""

from django.urls import path

from cms.translation.api import TranslationStatusView

app_name = "api"
urlpatterns = []

# Translation status, for API keys with the "translation" scope (built in cms.translation).
urlpatterns += [path("translation-status/", TranslationStatusView.as_view(), name="translation-status")]
