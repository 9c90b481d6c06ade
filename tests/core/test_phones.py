"""Phone numbers read one way on every page: 138 1234 5678 and 0561-3012345."""

import pytest
from django.template import Context, Template
from phonenumber_field.phonenumber import PhoneNumber

from core.phones import is_callable_number, phone_display, phone_tel


@pytest.mark.parametrize(
    ("value", "shown", "dialled"),
    [
        ("13812345678", "138 1234 5678", "13812345678"),
        ("+8613812345678", "138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "138 1234 5678", "13812345678"),
        (PhoneNumber.from_string("13812345678", region="CN"), "138 1234 5678", "13812345678"),
        ("0561-3012345", "0561-3012345", "05613012345"),
        ("05613012345", "0561-3012345", "05613012345"),
        ("010 12345678", "010-12345678", "01012345678"),
        ("021-87654321", "021-87654321", "02187654321"),
        ("前台转 8001", "前台转 8001", ""),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_numbers_are_shown_and_dialled_one_way(value, shown, dialled):
    assert phone_display(value) == shown
    assert phone_tel(value) == dialled


def test_callable_numbers():
    assert is_callable_number("0561-3012345")
    assert is_callable_number("+86 13812345678")
    assert not is_callable_number("12345")
    assert not is_callable_number("1381234567")


def test_the_filters_link_a_known_number_and_escape_anything_else():
    template = Template("{% load phones %}{{ a|phone_link }}|{{ b|phone_link }}|{{ a|phone }}")
    html = template.render(Context({"a": "+8613812345678", "b": "<b>8001</b>"}))
    assert html == (
        '<a href="tel:13812345678" class="hn-tel">138 1234 5678</a>|'
        "&lt;b&gt;8001&lt;/b&gt;|138 1234 5678"
    )
