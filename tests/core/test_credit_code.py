import pytest
from django.core.exceptions import ValidationError

from core.validators import credit_code_check_char, validate_credit_code

# Published codes of real organisations (public registers); their check digits are known-good.
VALID_CODES = [
    "91110000100006485K",
    "91350100M000100Y43",
    "91330100716105852F",
    "914403001922038216",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_a_published_credit_code_passes(code):
    assert credit_code_check_char(code[:17]) == code[17]
    validate_credit_code(code)


def test_a_wrong_check_character_is_refused_with_a_chinese_message():
    code = VALID_CODES[1]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(wrong)
    assert exc.value.code == "checksum"
    assert "校验位" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "problem"),
    [("9134060", "length"), ("91330100716105852FX", "length"), ("91330100716I05852F", "charset")],
)
def test_malformed_credit_codes_are_refused(code, problem):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == problem
