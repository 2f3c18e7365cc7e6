"""The committed TypeScript client (``clients/typescript/``) is the live document's, and compiles.

openapi-typescript and TypeScript come from ``package-lock.json`` (``make node-deps``).
The types are regenerated from ``/api/v1/schema/`` and must equal the committed file
(``make ts-client`` rewrites it); the example type-checks with ``tsc --strict`` and,
compiled, reads a live demo server; and a file of deliberate mistakes must fail on
each of them, so the types are not ``any``.
"""

import json
import re
import subprocess

from tests.processes import demo_database, start_server

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


def test_the_example_reads_a_live_demo_server(tmp_path):
    """The example, compiled to JavaScript by tsc, run by node against ``runserver`` on a demo database."""
    out = tmp_path / "js"
    result = run("tsc", "-p", str(CLIENT / "tsconfig.json"), "--noEmit", "false", "--outDir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    (out / "package.json").write_text('{"type": "module"}')
    database = demo_database(tmp_path)
    server = start_server(database, "runserver", tmp_path)
    try:
        script = f"import('{(out / 'example.js').as_uri()}').then((m) => m.main('http://127.0.0.1:{server.port}'))"
        script += ".then((lines) => console.log(JSON.stringify(lines)))"
        node = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=120, check=False)
    finally:
        server.stop()
        if database.drop:
            database.drop()
    assert node.returncode == 0, node.stderr
    lines = json.loads(node.stdout)
    text = "\n".join(lines)
    assert "Dermatologue" in text  # a procedure's practitioners, in French labels
    assert "Cadre d’utilisation |" in text  # a comparison row, attribute then cells
    assert "Avant le traitement" in text  # a checklist item's phase
    assert any(line.startswith("(revision ") for line in lines)
