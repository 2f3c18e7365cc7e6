"""A clinic added in the admin gets its editors, reviewers and translators at once."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="pages.Clinic")
def _roles_for_new_clinic(sender, instance, created, **kwargs):
    if created and not kwargs.get("raw"):
        from cms.security.clinic_roles import ensure_clinic_roles

        transaction.on_commit(ensure_clinic_roles)
