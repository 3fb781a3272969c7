"""Benchmark: the parts of `manage.py demo_genereren` that need no database.

Run from the repository root:

    .venv/bin/python benchmarks/demo_genereren.py [--huishoudens 100000] [--seed 2026]

Prints, for N households of the demo generator:

1. pure generation (`demo.generator.huishoudens_genereren`, no database), with the number
   of people and incomes it made;
2. the BSN of every person encrypted (Fernet) and its blind index (HMAC) computed, as
   `demo.services` does before the bulk insert.

The whole run with the database is timed by the command itself (`Klaar in ... s`), see
docs/demo.md. It prints figures and asserts nothing; it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huishoudens", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")
    import django

    django.setup()
    from perspectief.demo.generator import huishoudens_genereren
    from perspectief.huishoudens.bsn import bsn_blind_index, bsn_encrypt

    started = time.perf_counter()
    households = list(huishoudens_genereren(aantal=args.huishoudens, seed=args.seed))
    generation = time.perf_counter() - started
    people = [person for household in households for person in household.personen]
    incomes = sum(len(person.inkomsten) for person in people)
    print(f"generation: {len(households):,} households, {len(people):,} people, {incomes:,} incomes in {generation:.1f} s")

    started = time.perf_counter()
    for person in people:
        bsn_encrypt(person.bsn)
        bsn_blind_index(person.bsn)
    print(f"BSN encrypt + blind index: {len(people):,} people in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
