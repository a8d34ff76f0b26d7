"""
Django's cache backends, with three changes: the Redis cache without the cost of a new client
object for every command, and with a circuit breaker so that a Redis that is down or slow
costs a reader nothing (the page cache serves pages uncached meanwhile); and the cache in a
folder with an `add` that is atomic across the processes sharing the folder.
"""

import fcntl
import functools
import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache.backends import filebased, redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The shared cache cannot be reached just now: carry on without it."""


class Breaker:
    """
    The circuit breaker of one cache server, shared by the threads of a process. When a
    command fails (refused, timed out, connection lost), the breaker opens: for
    NEWSROOM_CACHE_RETRY_SECONDS every command fails at once with CacheUnavailable, without
    waiting on the server. Then one command tries the server again; if it answers, the
    breaker closes and caching resumes by itself. One warning is logged per interval while
    the server is away, and one line when it is back.
    """

    def __init__(self, name):
        self.name = name
        self.open_until = 0.0
        self.warned_at = None
        self.lock = threading.Lock()

    @property
    def retry_seconds(self):
        return settings.NEWSROOM_CACHE_RETRY_SECONDS

    def is_open(self):
        return time.monotonic() < self.open_until

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.open_until = now + self.retry_seconds
            warn = self.warned_at is None or now - self.warned_at >= self.retry_seconds
            if warn:
                self.warned_at = now
        if warn:
            logger.warning(
                "The cache at %s cannot be reached (%s): pages are served uncached; trying "
                "again in %s s.",
                self.name,
                error,
                self.retry_seconds,
            )

    def succeeded(self):
        if self.warned_at is not None:
            with self.lock:
                back, self.warned_at = self.warned_at is not None, None
            if back:
                logger.warning("The cache at %s answers again: caching resumes.", self.name)


_BREAKERS = {}


def breaker_for(servers):
    name = ",".join(servers)
    return _BREAKERS.setdefault(name, Breaker(name))


def _guarded(command):
    @functools.wraps(command)
    def call(self, *args, **kwargs):
        breaker = self._breaker
        if breaker.is_open():
            raise CacheUnavailable(breaker.name)
        try:
            result = command(self, *args, **kwargs)
        except (self._lib.ConnectionError, self._lib.TimeoutError, OSError) as error:
            breaker.failed(error)
            raise CacheUnavailable(breaker.name) from error
        breaker.succeeded()
        return result

    return call


class RedisCacheClient(redis.RedisCacheClient):
    """
    Django's client makes a new `redis.Redis` for every command, and each one builds its
    table of some 170 response handlers: about a tenth of a millisecond, more than the
    command itself takes on a page served from the cache. This one keeps a `redis.Redis` for
    each connection pool (the pool already hands out connections safely across threads and
    after a fork).
    """

    def __init__(self, servers, **options):
        # A short wait for a Redis that does not answer, and no retries: the breaker decides
        # when to try again.
        timeout = settings.NEWSROOM_CACHE_TIMEOUT_MS / 1000
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        options.setdefault("retry", None)
        options.setdefault("retry_on_error", [])
        super().__init__(servers, **options)
        self._clients = {}
        self._breaker = breaker_for(self._servers)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _guarded(redis.RedisCacheClient.add)
    get = _guarded(redis.RedisCacheClient.get)
    set = _guarded(redis.RedisCacheClient.set)
    touch = _guarded(redis.RedisCacheClient.touch)
    delete = _guarded(redis.RedisCacheClient.delete)
    get_many = _guarded(redis.RedisCacheClient.get_many)
    has_key = _guarded(redis.RedisCacheClient.has_key)
    incr = _guarded(redis.RedisCacheClient.incr)
    set_many = _guarded(redis.RedisCacheClient.set_many)
    delete_many = _guarded(redis.RedisCacheClient.delete_many)
    clear = _guarded(redis.RedisCacheClient.clear)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


class FileBasedCache(filebased.FileBasedCache):
    """
    The cache in a folder that the server processes of one machine share when there is no
    Redis (`make serve`). Django's `add` checks for the key and then writes it, so two
    processes can both add the same key; the page cache takes the lock to rebuild an expired
    page with `add` (one request renders, the others serve the stale copy). Here every `add`
    holds an exclusive lock on a file in the folder while it checks and writes, as Redis's
    `SET NX` would. Adds are rare (a page's rebuild lock, a new version key): the one lock
    file costs nothing that matters.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()
        with open(os.path.join(self._dir, "add.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return super().add(key, value, timeout, version)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
