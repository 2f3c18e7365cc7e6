"""The README's receiver snippet really verifies what webhooks send."""

import re
import time
from pathlib import Path

from cms.delivery.webhooks.signing import sign

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verify():
    text = README.read_text()
    block = re.search(r"<!-- webhook-verify -->\n```python\n(.*?)```\n<!-- /webhook-verify -->", text, re.S)
    namespace = {}
    exec(block.group(1), namespace)  # noqa: S102 - the README's own example
    return namespace["verify"]


def test_the_readme_snippet_accepts_a_real_signature_and_refuses_forgeries():
    verify = readme_verify()
    body = b'{"event":"page.published","key":"6f1f5c1e-8a3a-4c53-9a7e-0d6c4b0f2a11"}'
    header = sign("s3cret", body)

    assert verify("s3cret", body, header)
    assert not verify("s3cret", body.replace(b"published", b"deleted"), header)
    assert not verify("wrong", body, header)
    assert not verify("s3cret", body, sign("s3cret", body, timestamp=time.time() - 3600))
    assert not verify("s3cret", body, "garbage")
