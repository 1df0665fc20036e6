"""What both local identity providers need: key pairs, a port, and a process to run in."""

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
# The ports this checkout's tests and development may use for identity providers.
PORTS = range(
    int(os.environ.get("IDP_PORT_FIRST", "8160")), int(os.environ.get("IDP_PORT_LAST", "8169")) + 1
)


def key_pair(common_name: str, directory: Path) -> tuple[Path, Path]:
    """A fresh RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file = directory / f"{common_name}.key"
    cert_file = directory / f"{common_name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def free_port() -> int:
    """The first port of PORTS nobody listens on (parallel test processes each get one)."""
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for an identity provider")


class Provider:
    """An identity provider running as ``python -m <module> --port N ...`` until stopped."""

    def __init__(self, module: str, args: list[str], log: Path):
        self.module, self.args, self.log_path = module, args, log
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/health") -> "Provider":
        for _attempt in range(5):  # another process may take the port between probe and bind
            self.port = free_port()
            self.log = self.log_path.open("a")
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.module, "--port", str(self.port), *self.args],
                cwd=ROOT,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    with urllib.request.urlopen(self.url + ready_path, timeout=1):
                        return self
                except OSError:
                    time.sleep(0.1)
            self.stop()
        raise RuntimeError(f"{self.module} did not start; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
            self.log.close()
