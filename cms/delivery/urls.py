"""Routes of the delivery app, mounted under /api/v1/ beside the API's own."""

from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("sync/", views.SyncView.as_view(), name="sync"),
    path("export/", views.ExportView.as_view(), name="export"),
]
