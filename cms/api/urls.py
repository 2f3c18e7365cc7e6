"""Routes of the delivery API, mounted at /api/v1/."""

app_name = "api"
urlpatterns = []
