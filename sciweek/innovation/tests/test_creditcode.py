"""统一社会信用代码: GB 32100-2015 check character, as a property over random codes."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sciweek.innovation.creditcode import ALPHABET, check_character, credit_code_error, is_valid, normalize

bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@pytest.fixture(autouse=True)
def _chinese():
    """The messages are gettext'd: read them in Chinese whatever an earlier test's request left active."""
    with translation.override("zh-hans"):
        yield


@given(bodies)
def test_it_accepts_every_code_with_its_check_character(body):
    assert is_valid(body + check_character(body))


@given(bodies, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_it_refuses_a_code_with_one_character_changed(body, position, shift):
    code = body + check_character(body)
    changed = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    typo = code[:position] + changed + code[position + 1 :]
    assert typo != code
    assert not is_valid(typo)
    assert "统一社会信用代码" in credit_code_error(typo)


def test_it_knows_a_real_code_and_names_the_field_when_wrong():
    assert is_valid("91350100M000100Y43")  # a published example of the standard
    assert "校验" in credit_code_error("91350100M000100Y44")
    assert "18位" in credit_code_error("9135010")
    assert "不允许的字符" in credit_code_error("91350100M0001O0Y43")


def test_it_normalizes_full_width_and_spaces():
    assert normalize(" ９１３５０１００ｍ000100Y43 ") == "91350100M000100Y43"
