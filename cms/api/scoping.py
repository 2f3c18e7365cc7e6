"""The clinic an endpoint serves, resolved once for every endpoint that serves one.

The page endpoints (``views.ReadView``), the sync feed and the export
(``cms.delivery.views``) all read one clinic: named by ``?site=`` or by the request's
Host (``sites.scope_for_request``), and kept to the clinic of an API key bound to one
(``sites.bound_scope``). :class:`SiteScopedView` holds that scope while the view runs,
so the site index, the served locales and the fallback chains keep to it.
"""

from django.db import DatabaseError

from . import sites
from .errors import PageNotFound


class SiteScopedView:
    """Mixin for a DRF view that serves one clinic's share of the hub.

    ``site_scope`` is the :class:`sites.SiteScope` read (None only on a hub without any
    Site). The view calls :meth:`keep_to_site` in ``initial()``, once the API key is
    known; an unknown ``?site=`` is answered there too, after authentication, so a
    caller without a valid key learns nothing from it.
    """

    site_scope = None
    site_scope_explicit = False

    def dispatch(self, request, *args, **kwargs):
        self._site_problem = None
        try:
            self.site_scope, self.site_scope_explicit = sites.scope_for_request(request)
        except (PageNotFound, DatabaseError) as exc:  # raised where DRF answers it (initial)
            self.site_scope, self.site_scope_explicit, self._site_problem = None, False, exc
        token = sites.activate(self.site_scope)
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            sites.deactivate(token)

    def keep_to_site(self, request):
        """Apply the key's clinic to the scope; True when that changed the scope.

        Raises the site problem found in ``dispatch`` (a 404 or a 503), and a 404 when a
        key bound to one clinic asks for another.
        """
        if self._site_problem is not None:
            raise self._site_problem
        scope = sites.bound_scope(self.site_scope, self.site_scope_explicit, getattr(request.auth, "site_id", None))
        if scope is None:
            # Another clinic's: answered as if nothing were there, so the key learns nothing.
            raise PageNotFound("Nothing is here.")
        if scope is self.site_scope:
            return False
        self.site_scope = scope
        sites.activate(scope)  # reset with the rest when dispatch ends
        return True
