import pytest

from gongkai.privacy.screen import clear_word_cache, id_check_digit


@pytest.fixture(autouse=True)
def _fresh_word_list():
    # The word list is cached per process; a test's rolled-back edits must not linger.
    clear_word_cache()
    yield
    clear_word_cache()


def make_id(first17: str) -> str:
    return first17 + id_check_digit(first17)
