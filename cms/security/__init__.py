"""Defences of the admin and the API: the admin's sign-in lockout (``lockout``), the
Content-Security-Policy (``csp``), and the isolation of clinics from each other: each
clinic's groups (``clinic_roles``) and which clinics a user acts for (``clinic_scope``),
which the admin's global screens ask (``wagtail_hooks``, ``admin``)."""
