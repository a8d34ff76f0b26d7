"""
The connections of `make serve`'s gunicorn workers (newsroom/serving.py): a request that does
not arrive whole in time lets go of its thread. The live server is in test_faults.py.
"""

import socket
import time

import pytest

from newsroom.serving import PatientSocket


@pytest.fixture
def pair():
    server_side, client_side = socket.socketpair()
    adopted = PatientSocket.adopt(server_side, idle=5)
    yield adopted, client_side
    adopted.close()
    client_side.close()


def test_a_request_that_stops_half_way_is_given_up_at_its_deadline(pair):
    connection, client = pair
    connection.setblocking(True)
    connection.deadline = time.monotonic() + 0.3
    client.sendall(b"GET / HTTP/1.1\r\nHost: ")

    assert connection.recv(100).startswith(b"GET /")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        connection.recv(100)
    # Long before the idle limit (5 s), with room for a busy machine.
    assert time.monotonic() - started < 2


def test_a_request_that_keeps_coming_is_read_whole(pair):
    connection, client = pair
    connection.setblocking(True)
    connection.deadline = time.monotonic() + 2
    client.sendall(b"GET / HTTP/1.1\r\n\r\n")

    assert connection.recv(100) == b"GET / HTTP/1.1\r\n\r\n"


def test_without_a_deadline_a_silent_client_is_given_up_after_the_idle_limit():
    server_side, client_side = socket.socketpair()
    connection = PatientSocket.adopt(server_side, idle=0.2)
    try:
        connection.setblocking(True)
        with pytest.raises(TimeoutError):
            connection.recv(100)
    finally:
        connection.close()
        client_side.close()


def test_the_poller_can_still_make_it_non_blocking(pair):
    connection, _client = pair
    connection.setblocking(False)
    assert connection.gettimeout() == 0.0
    with pytest.raises(BlockingIOError):
        connection.recv(100)
