"""The committed TypeScript client (``clients/typescript/``) is the live document's, and compiles.

openapi-typescript and TypeScript come from ``package-lock.json`` (``make node-deps``).
The types are regenerated from ``/api/v1/schema/`` and must equal the committed file
(``make ts-client`` rewrites it); the example type-checks with ``tsc --strict``; and a
file of deliberate mistakes must fail on each of them, so the types are not ``any``.
"""

import re

from .test_document_lint import ROOT, document_file, run  # noqa: F401 (document_file is a fixture)

CLIENT = ROOT / "clients" / "typescript"


def test_committed_types_are_generated_from_the_live_document(document_file, tmp_path):  # noqa: F811
    generated = tmp_path / "schema.d.ts"
    result = run("openapi-typescript", str(document_file), "--output", str(generated))
    assert result.returncode == 0, result.stderr
    committed = (CLIENT / "schema.d.ts").read_text()
    assert generated.read_text() == committed, "clients/typescript/schema.d.ts is out of date: run `make ts-client`."


def test_the_example_compiles_with_strict_checks():
    result = run("tsc", "-p", str(CLIENT / "tsconfig.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\bstrict\b.*true", (CLIENT / "tsconfig.json").read_text())
    source = re.sub(r"//[^\n]*|/\*.*?\*/", "", (CLIENT / "example.ts").read_text(), flags=re.S)
    assert not re.search(r"\bas\s+(?!const\b)\w|:\s*any\b|<any>", source), "the example uses a cast or any"


def test_wrong_usage_fails_on_every_mistake():
    wrong = CLIENT / "checks" / "wrong-usage.ts"
    mistakes = {number for number, line in enumerate(wrong.read_text().splitlines(), 1) if "// mistake:" in line}
    result = run("tsc", "-p", str(CLIENT / "checks" / "tsconfig.json"))
    failed = {int(match) for match in re.findall(r"wrong-usage\.ts\((\d+),\d+\): error TS", result.stdout)}
    assert result.returncode != 0
    assert mistakes and failed == mistakes, result.stdout
