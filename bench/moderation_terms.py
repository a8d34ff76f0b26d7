"""
How fast the moderation engine matches held and spam terms, as the lists grow.

    .venv/bin/python bench/moderation_terms.py

Prints the time to compile each list once and the time per decision on a long comment.
Not part of the test suite.
"""

import random
import string
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from comments.moderation import Candidate, History, Rules, decide, term_list

NOW = datetime(2026, 1, 1, tzinfo=UTC)
WORDS = [
    "the",
    "council",
    "harbour",
    "plan",
    "residents",
    "vote",
    "years",
    "docks",
    "work",
    "starts",
    "agree",
    "point",
]


def made_up_terms(count, seed=1):
    rng = random.Random(seed)
    terms = []
    for n in range(count):
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10)))
        terms.append(f"{word} {WORDS[n % len(WORDS)]}" if n % 5 == 0 else word)
    return "\n".join(terms)


def main():
    rng = random.Random(2)
    body = " ".join(rng.choices(WORDS, k=900))  # about 5,000 characters, the longest allowed
    candidate = Candidate(
        body=body, name="Maria Lopes", email="maria@example.org", ip_address="198.51.100.7"
    )
    print(f"{'terms':>7}  {'compile (ms)':>12}  {'per decision (ms)':>17}")
    for count in (10, 1_000, 5_000, 20_000):
        rules = Rules(hold_terms=made_up_terms(count), spam_terms=made_up_terms(count, seed=9))
        started = time.perf_counter()
        term_list(rules.hold_terms)
        term_list(rules.spam_terms)
        compiled = (time.perf_counter() - started) * 1000
        rounds = 200
        started = time.perf_counter()
        for _ in range(rounds):
            decide(candidate, history=History(approved=1), rules=rules, now=NOW)
        per_decision = (time.perf_counter() - started) * 1000 / rounds
        print(f"{count:>7}  {compiled:>12.1f}  {per_decision:>17.3f}")


if __name__ == "__main__":
    main()
