"""Real servers a fault test starts, stops and starts again on a loopback port of its own."""

import contextlib
import http.server
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

# Loopback ports for the servers the suite starts (NEWSROOM_TEST_PORTS="first-last"), so that
# test runs side by side on one machine do not take each other's.
FIRST_PORT, LAST_PORT = (
    int(bound) for bound in os.environ.get("NEWSROOM_TEST_PORTS", "8330-8349").split("-")
)


def free_port(*, strict=False):
    """
    A loopback port in the suite's range that nothing listens on; with `strict`, that no
    connection closing holds either (for servers that refuse a port in TIME_WAIT).
    """
    for port in range(FIRST_PORT, LAST_PORT + 1):
        with socket.socket() as probe:
            if not strict:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {FIRST_PORT} and {LAST_PORT}")


def wait_for_port(port, *, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


class RedisServer:
    """A redis-server of the test's own, without persistence."""

    def __init__(self):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def pause(self):
        """Stopped but not gone: connections hang, as with a Redis too busy to answer."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.kill()


class SilentServer:
    """A port that accepts connections and never answers: a server stuck, or far away."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", free_port()))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def close(self):
        self.socket.close()


class StubAPI:
    """
    An HTTP server standing in for an edge's purge API: it records each request (method,
    path, headers, body) and answers with the next of `answers` (status, body), the last one
    again once they run out.
    """

    def __init__(self, answers=((200, b'{"status": "ok"}'),)):
        self.requests = []
        self.answers = list(answers)
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.requests.append((self.command, self.path, self.headers, body))
                status, content = stub.answers.pop(0) if len(stub.answers) > 1 else stub.answers[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_POST = do_PURGE = do_GET = answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"

LOCAL_VCL = """
backend newsroom {{
    .host = "127.0.0.1";
    .port = "{backend_port}";
    .first_byte_timeout = 10s;
    .probe = {{
        .url = "/healthz/";
        .interval = {probe_interval};
        .timeout = 1s;
        .window = 2;
        .threshold = 1;
        .initial = 1;
    }}
}}

acl purgers {{
    {purgers}
}}

sub newsroom_may_purge {{
    if (req.http.X-Purge-Token == "{token}") {{
        return;
    }}
    if (client.ip !~ purgers) {{
        return (synth(403, "Not allowed to purge."));
    }}
}}
"""


class Varnish:
    """
    A varnishd of the test's own on a loopback port, with the repository's VCL and a
    local.vcl that puts `backend_port` behind it.
    """

    def __init__(self, backend_port, *, purgers=("127.0.0.1", "::1"), token="", probe="1s"):
        if shutil.which("varnishd") is None:
            pytest.skip(
                "varnishd is not installed (apt-get install varnish varnish-modules): the "
                "tests of the edge cache need a real one"
            )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="nr-varnish-"))
        (self.folder / "local.vcl").write_text(
            LOCAL_VCL.format(
                backend_port=backend_port,
                purgers="\n    ".join(f'"{address}";' for address in purgers),
                token=token or secrets.token_hex(16),
                probe_interval=probe,
            )
        )
        self.process = subprocess.Popen(
            [
                *("varnishd", "-F", "-j", "none", "-n", str(self.folder / "work")),
                *("-a", f"127.0.0.1:{self.port}", "-T", "none", "-s", "malloc,32m"),
                *("-f", str(VCL), "-p", f"vcl_path={self.folder}:{VCL.parent}"),
                *("-p", "timeout_idle=5", "-p", "thread_pools=1"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_for_port(self.port, seconds=30)
        except RuntimeError:
            self.process.kill()
            raise RuntimeError(f"varnishd did not start:\n{self.process.stdout.read()}") from None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def site_environment(database_url, **extra):
    """What a server of the site started by a test reads: its own database, production-like."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "NEWSROOM_", "GUNICORN_"))
    }
    return {
        **clean,
        "DJANGO_DEBUG": "true",  # static files without collectstatic; errors as in production
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "DATABASE_URL": database_url,
        "GUNICORN_ACCESS_LOG": "",
        **extra,
    }


def migrate(env):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


class Gunicorn:
    """The site served by gunicorn as `make serve` runs it (gunicorn.conf.py), on its own port."""

    def __init__(self, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="nr-gunicorn-", suffix=".log")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(self.port, seconds=60)
        except RuntimeError:
            self.stop()
            raise

    def output(self):
        return Path(self.log.name).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class PostgresCluster:
    """
    A PostgreSQL cluster of the test's own, in a temporary folder, listening on a loopback
    port of its own: stopped and started again without touching anyone else's database.
    """

    def __init__(self):
        self.bin = self._find_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="nr-postgres-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @staticmethod
    def _find_bin():
        for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (candidate / "pg_ctl").exists():
                return candidate
        if shutil.which("pg_ctl"):
            return Path(shutil.which("pg_ctl")).parent
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")

    def _run(self, program, *args):
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", "/dev/null", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
