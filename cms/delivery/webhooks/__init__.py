"""Signed webhooks: who to call after a change (``dispatch``) and calling them (``tasks``)."""
