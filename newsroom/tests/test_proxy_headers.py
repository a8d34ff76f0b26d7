"""
Which forwarded headers the server believes: one setting decides, DJANGO_TRUST_X_FORWARDED_PROTO,
for Django and for gunicorn alike. With it off, a request's scheme is its connection's, whoever
sends X-Forwarded-Proto (this machine included); with it on, X-Forwarded-Proto from the proxy
in front, the one header Django reads too.
"""

import http.client
import json
import socket
import subprocess
import sys
import time

import pytest

from .test_http_security import BASE_DIR, production_environment, run_python

# gunicorn's own reading of gunicorn.conf.py: the file's values over gunicorn's defaults.
EFFECTIVE_CONFIG = """
import json, runpy
from gunicorn.config import Config
config = Config()
for name, value in runpy.run_path("gunicorn.conf.py").items():
    if name in config.settings:
        config.set(name, value)
print(json.dumps({
    "forwarded_allow_ips": config.forwarded_allow_ips,
    "secure_scheme_headers": config.secure_scheme_headers,
    "forwarder_headers": config.forwarder_headers,
}))
"""


def gunicorn_config(**environment):
    result = run_python(EFFECTIVE_CONFIG, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


TRUSTING_NOBODY = {"forwarded_allow_ips": [], "secure_scheme_headers": {}, "forwarder_headers": []}


def test_without_trust_gunicorn_believes_no_forwarded_header_from_anyone():
    config = gunicorn_config(DJANGO_TRUST_X_FORWARDED_PROTO="false")

    assert config == TRUSTING_NOBODY


def test_without_trust_a_gunicorn_setting_of_its_own_changes_nothing():
    config = gunicorn_config(FORWARDED_ALLOW_IPS="*", GUNICORN_FORWARDED_ALLOW_IPS="*")

    assert config == TRUSTING_NOBODY


def test_with_trust_gunicorn_reads_x_forwarded_proto_as_django_does():
    config = gunicorn_config(DJANGO_TRUST_X_FORWARDED_PROTO="true")

    assert config == {
        "forwarded_allow_ips": ["*"],
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        "forwarder_headers": [],
    }


def test_with_trust_django_reads_x_forwarded_proto():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER)",
        DJANGO_TRUST_X_FORWARDED_PROTO="true",
    )

    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


# A real server -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_without_trust(tmp_path):
    """gunicorn with gunicorn.conf.py, production settings, HTTPS on, proxy headers not trusted."""
    port = free_port()
    environment = production_environment(
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUST_X_FORWARDED_PROTO="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_forged_x_forwarded_proto_from_this_machine_does_not_make_a_request_secure(
    gunicorn_without_trust,
):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_without_trust, timeout=30)
    connection.request("GET", "/comments/form/1/token/", headers={"X-Forwarded-Proto": "https"})
    answer = connection.getresponse()
    connection.close()

    # Plain HTTP, so the HTTPS redirect applies.
    assert answer.status == 301
    assert answer.headers["Location"] == (
        f"https://127.0.0.1:{gunicorn_without_trust}/comments/form/1/token/"
    )
