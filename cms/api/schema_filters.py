"""drf-spectacular hooks: the public schema documents the delivery API and nothing else."""


def only_delivery_api(endpoints, **kwargs):
    """Drop endpoints outside /api/v1/ (e.g. wagtail-localize's admin-only API views)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
