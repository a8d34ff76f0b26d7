"""The cache in a folder that server processes share when there is no Redis."""

import multiprocessing

from newsroom.cache import FileBasedCache

PROCESSES = 6
ROUNDS = 25


def try_to_add(folder, barrier, key, results):
    cache = FileBasedCache(str(folder), {})
    barrier.wait()
    results.put(cache.add(key, "mine", timeout=60))


def test_one_process_adds_a_key_when_several_add_it_at_the_same_moment(tmp_path):
    context = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(target=try_to_add, args=(tmp_path, barrier, f"lock:{round_}", results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        added = [results.get(timeout=5) for _ in workers]
        assert added.count(True) == 1, f"round {round_}: {added.count(True)} processes added"


def test_an_expired_key_can_be_added_again(tmp_path):
    cache = FileBasedCache(str(tmp_path), {})
    assert cache.add("lock", 1, timeout=60)
    assert not cache.add("lock", 2, timeout=60)
    cache.set("lock", 1, timeout=-1)  # expired

    assert cache.add("lock", 3, timeout=60)
    assert cache.get("lock") == 3
