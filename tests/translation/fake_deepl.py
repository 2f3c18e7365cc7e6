"""A stand-in for DeepL's API v2, run as its own process by the glossary tests.

It replays the responses in ``recordings/deepl_glossaries.json``, filling in what a
request names (a glossary's name and languages, one translation per text), remembers
the glossaries created, and logs every request as a JSON line, so a test can check
exactly what the product sent.

    python fake_deepl.py <port file> <request log> <auth key>
"""

import copy
import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

RECORDINGS = json.loads((Path(__file__).parent / "recordings" / "deepl_glossaries.json").read_text())
PORT_FILE, LOG_FILE, AUTH_KEY = sys.argv[1:4]
GLOSSARIES = []


class Handler(BaseHTTPRequestHandler):
    def _reply(self, name, body=None):
        recording = RECORDINGS[name]
        body = recording["body"] if body is None else body
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(recording["status"])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {
            key: values if len(values) > 1 else values[0]
            for key, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        with open(LOG_FILE, "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "form": form}) + "\n")
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {AUTH_KEY}":
            return self._reply("wrong_key")
        if self.path == "/v2/glossaries" and self.command == "GET":
            return self._reply("list_glossaries", {"glossaries": GLOSSARIES})
        if self.path == "/v2/glossaries" and self.command == "POST":
            glossary = copy.deepcopy(RECORDINGS["create_glossary"]["body"])
            glossary.update(
                glossary_id=str(uuid.uuid4()),
                name=form["name"],
                source_lang=form["source_lang"],
                target_lang=form["target_lang"],
                entry_count=len(form["entries"].splitlines()),
            )
            GLOSSARIES.append(glossary)
            return self._reply("create_glossary", glossary)
        if self.path.startswith("/v2/glossaries/") and self.command == "DELETE":
            GLOSSARIES[:] = [g for g in GLOSSARIES if g["glossary_id"] != self.path.rsplit("/", 1)[1]]
            return self._reply("delete_glossary")
        if self.path == "/v2/translate" and self.command == "POST":
            texts = form["text"] if isinstance(form["text"], list) else [form["text"]]
            template = RECORDINGS["translate"]["body"]["translations"][0]
            return self._reply("translate", {"translations": [{**template, "text": f"{t} [deepl]"} for t in texts]})
        self.send_error(404)

    do_GET = do_POST = do_DELETE = _handle

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
Path(PORT_FILE).write_text(str(server.server_address[1]))
server.serve_forever()
