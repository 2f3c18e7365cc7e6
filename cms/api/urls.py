"""Routes of the delivery API, mounted at /api/v1/."""

from django.urls import path

from cms.review.api import PreviewView

app_name = "api"
urlpatterns = [
    # A draft named by a signed preview link (cms.review), for keys with the preview scope.
    path("preview/<str:token>/", PreviewView.as_view(), name="preview"),
]
