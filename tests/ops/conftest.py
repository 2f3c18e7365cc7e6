"""Fixtures of the operations tests: a private redis-server that a test may stop, and
the log output as production writes it (JSON lines through the project's formatter)."""

import io
import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis

from tests.delivery.conftest import home, locales, treatments  # noqa: F401 - small sites for these tests
from tests.processes import free_port


class PrivateRedis:
    """A redis-server of the test's own on a free port: stopping it harms nobody else."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed (apt-get install redis-server)")
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a hung service."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


@pytest.fixture
def log_output():
    """What the log handler writes while the test runs (request lines included), as text."""
    root = logging.getLogger()
    formatter = next(handler.formatter for handler in root.handlers if type(handler) is logging.StreamHandler)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    requests_logger = logging.getLogger("cms.requests")
    level = requests_logger.level
    requests_logger.setLevel(logging.INFO)
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    requests_logger.setLevel(level)


@pytest.fixture(autouse=True)
def readiness_not_remembered():
    """Each test starts as if no earlier probe had failed (readiness changes are logged once)."""
    from cms.ops import probes

    probes._last_failed["names"] = ()
    yield
    probes._last_failed["names"] = ()
