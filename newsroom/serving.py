"""
gunicorn's threaded worker with a bound on how long a request may take to arrive, for
`make serve` and any server that faces readers without Varnish in front.

gunicorn reads a request's headers with a blocking read that waits as long as the client
likes: a few connections that send half a request and then nothing hold every worker (with
sync workers) until gunicorn kills it, and the site answers nobody ("slowloris"). Here each
of a worker's threads serves one connection at a time, as before, but a request whose headers
have not all arrived within NEWSROOM_REQUEST_HEADER_SECONDS is dropped, and no read or write
on a client's connection waits longer than NEWSROOM_CLIENT_IDLE_SECONDS. Many more
connections than threads can still make readers wait their turn: production puts Varnish in
front, which reads requests whole before they reach gunicorn (docs/operations.md).
"""

import os
import socket
import time

from gunicorn.workers import gthread

HEADER_SECONDS = float(os.environ.get("NEWSROOM_REQUEST_HEADER_SECONDS", 5))
IDLE_SECONDS = float(os.environ.get("NEWSROOM_CLIENT_IDLE_SECONDS", 30))


class PatientSocket(socket.socket):
    """
    A client's connection whose blocking reads and writes give up after `idle` seconds, and
    whose reads give up altogether once `deadline` (a time.monotonic() moment) has passed.
    """

    __slots__ = ("deadline", "idle")

    @classmethod
    def adopt(cls, sock, *, idle=IDLE_SECONDS):
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.deadline = None
        adopted.idle = idle
        return adopted

    def setblocking(self, flag):
        if flag:
            self.settimeout(self.idle)
        else:
            super().setblocking(False)

    def _within_deadline(self):
        if self.deadline is None or self.gettimeout() == 0.0:
            return
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.settimeout(min(remaining, self.idle))

    def recv(self, *args):
        self._within_deadline()
        return super().recv(*args)

    def recv_into(self, *args):
        self._within_deadline()
        return super().recv_into(*args)


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, with connections that cannot hold a thread for long."""

    def enqueue_req(self, conn):
        if not isinstance(conn.sock, PatientSocket):
            conn.sock = PatientSocket.adopt(conn.sock)
        super().enqueue_req(conn)

    def handle(self, conn):
        conn.sock.deadline = time.monotonic() + HEADER_SECONDS
        return super().handle(conn)

    def handle_request(self, req, conn):
        # The headers are in: the body (a photo uploaded by an editor) may take its time, as
        # long as it keeps coming.
        conn.sock.deadline = None
        conn.sock.settimeout(conn.sock.idle)
        return super().handle_request(req, conn)
