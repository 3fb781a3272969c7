from pathlib import Path

import pytest

from perspectief.contrib.bankformaten import BankbestandGeweigerd, parse_statement

REPOSITORY = Path(__file__).resolve().parents[3]
FIXTURES = REPOSITORY.parent / "shared" / "fixtures" / "huishoudboekje-utrecht"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"fixture folder {FIXTURES} is not here (it sits beside the repository in CI)")
    return FIXTURES


def read_fixture(relative: str) -> bytes:
    path = FIXTURES / relative
    if not path.is_file():
        pytest.skip(f"fixture {relative} is not here")
    return path.read_bytes()


def refusal(data, **kwargs) -> BankbestandGeweigerd:
    """The refusal ``parse_statement`` raises for ``data`` (fails when it reads the file)."""
    with pytest.raises(BankbestandGeweigerd) as caught:
        parse_statement(data, **kwargs)
    return caught.value
