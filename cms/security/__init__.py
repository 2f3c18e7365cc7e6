"""Defences of the admin and the API that are not about content: the admin's sign-in
lockout (``lockout``) and the Content-Security-Policy (``csp``)."""
