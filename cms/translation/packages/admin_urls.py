"""Admin URLs of the translation packages screen (mounted under /admin/translation-packages/)."""

from django.urls import path

from . import admin_views as views

app_name = "translation_packages"
urlpatterns = [
    path("", views.packages, name="index"),
    path("export/", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("import/apply/", views.apply, name="apply"),
]
