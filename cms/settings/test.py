"""Settings for the test suite. Each override says why it differs from dev."""

from .dev import *  # noqa: F403

# schemathesis and the browser tests call the app as http://localhost.
ALLOWED_HOSTS = ["testserver", "localhost", ".localhost", "127.0.0.1"]
# Hashing demo passwords at full strength would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploaded test images go to a throwaway folder, not the developer's media.
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Local folders whatever the developer's environment says; the object storage tests
# point a storage at their own S3 server.
STORAGES = {
    **storages_from_env({}, media_root=MEDIA_ROOT, media_url=MEDIA_URL),  # noqa: F405
    "staticfiles": STORAGES["staticfiles"],  # noqa: F405
}
# The suite (schemathesis above all) makes many requests from one address; the
# throttling tests turn the limits back on for themselves.
API_ANON_THROTTLE_RATE = None
API_KEY_THROTTLE_RATE = None
API_DELIVERY_KEY_THROTTLE_RATE = None
# Tests never call DeepL, even on a machine where DEEPL_API_KEY is set.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = OFFLINE_MACHINE_TRANSLATOR  # noqa: F405
# A test's own process applies its changes as it makes them (cms.api.invalidation);
# reading the log on a timer would add a query at random points of a test. The tests
# of other processes' changes set a short interval themselves.
API_CHANGE_POLL_SECONDS = 3600.0
# The suite reads log lines as production writes them (JSON); request lines only from
# tests that ask for them, to keep the output of failures short.
LOGGING = logging_config(level="WARNING", fmt="json", request_level="WARNING")  # noqa: F405
# /metrics is on in the suite, with a token of its own.
METRICS_TOKEN = "test-metrics-token"
