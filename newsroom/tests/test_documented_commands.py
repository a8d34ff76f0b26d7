"""
Every `manage.py` command the README and docs/ show works exactly as printed, for a newcomer:
in a fresh copy of the project, with nothing in the environment but a shell's own, after
`make run`, while the site is being served. A story published from the command line is on
the running site at once (the server and the commands share one cache).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from importers.tests.wxr import post, write_export

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ".venv/bin/python manage.py "
WIRE_STORY = """Harbour pilots strike over night shifts

Washington : Harbour pilots walked out at midnight over plans to cut night crews.

What the pilots want

They say a single pilot cannot bring a tanker in safely in fog.
"""


def documented_commands():
    """The shell lines of README.md and docs/*.md that run manage.py, as printed."""
    commands = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        blocks = re.findall(r"^```(?:sh|bash|console)\n(.*?)^```", page.read_text(), re.M | re.S)
        for block in blocks:
            for line in block.replace("\\\n", " ").splitlines():
                if line.startswith(MANAGE):
                    commands.append(line)
    return commands


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def newcomers_environment():
    """A shell's own variables: none of the test suite's settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        return response.read().decode()


@pytest.fixture(scope="module")
def newcomers_checkout(tmp_path_factory):
    """A copy of the project after `make run`, its server answering, and the files the
    documented commands name."""
    checkout = tmp_path_factory.mktemp("newcomer") / "newsroom"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    (checkout / "story.txt").write_text(WIRE_STORY)
    write_export(checkout, items=[post(101, "Ferry service resumes after the storm")])
    (checkout / "uploads").mkdir()
    (checkout / "authors.csv").write_text("wp_login,username\nana,editor\n")

    port = free_port()
    server = subprocess.Popen(
        # -o: the virtualenv is the one already installed, not made again for the copy.
        ["make", "-o", ".venv/.installed", "run", f"PORT={port}"],
        cwd=checkout,
        env=newcomers_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    site = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            fetch(site + "/")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                os.killpg(server.pid, signal.SIGTERM)
                pytest.fail(f"make run did not serve the site:\n{server.stdout.read()}")
            time.sleep(0.5)
    yield checkout, site
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def test_the_docs_show_the_commands_a_newcomer_needs():
    shown = " ".join(documented_commands())
    for command in ("import_story", "import_wordpress", "send_moderation_digest"):
        assert command in shown


def test_every_documented_command_runs_as_printed_beside_the_running_site(newcomers_checkout):
    checkout, site = newcomers_checkout
    for _twice in range(2):  # the home page is served from the cache
        assert "Harbour pilots strike" not in fetch(site + "/")

    for command in documented_commands():
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=checkout,
            env=newcomers_environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command

    assert "Harbour pilots strike over night shifts" in fetch(site + "/")
