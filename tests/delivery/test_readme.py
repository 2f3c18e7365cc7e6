"""The README's receiver snippet, which verifies with the stock ``standardwebhooks``
library, accepts what webhooks really send and refuses forgeries."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cms.delivery.webhooks.signing import headers, new_secret

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verify():
    text = README.read_text()
    block = re.search(r"<!-- webhook-verify -->\n```python\n(.*?)```\n<!-- /webhook-verify -->", text, re.S)
    namespace = {}
    exec(block.group(1), namespace)  # noqa: S102 - the README's own example
    return namespace["verify"]


def test_the_readme_snippet_accepts_a_real_signature_and_refuses_forgeries():
    verify = readme_verify()
    assert "from standardwebhooks import Webhook" in README.read_text()
    secret = new_secret()
    body = b'{"event":"page.published","key":"6f1f5c1e-8a3a-4c53-9a7e-0d6c4b0f2a11"}'
    signed = headers(secret, "msg_1", body)

    assert verify(secret, body, signed) == {"event": "page.published", "key": "6f1f5c1e-8a3a-4c53-9a7e-0d6c4b0f2a11"}
    assert verify(secret, body.replace(b"published", b"deleted"), signed) is None
    assert verify(new_secret(), body, signed) is None
    assert verify(secret, body, {**signed, "webhook-id": "msg_2"}) is None  # the id is signed
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    assert verify(secret, body, headers(secret, "msg_1", body, when=an_hour_ago)) is None
    assert verify(secret, body, {**signed, "webhook-signature": "garbage"}) is None
    assert verify(secret, body, {"webhook-id": "msg_1"}) is None
