"""CMS link fields take a path of this site or an absolute http(s) URL, nothing that a browser
reads as another host or a script (issue #14 item 0c); links stored before the check never
reach a page."""

import pytest
from django.template import Context, Template
from wagtail.blocks.struct_block import StructBlockValidationError

from frontend.blocks import CallToActionBlock, link_is_safe

SAFE = ["/", "/news/2026/", "/shop/?q=石榴", "https://www.huaibei.gov.cn/x", "http://example.com"]
UNSAFE = [
    "//evil.example/x",
    "/\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:///nohost",
    "ftp://example.com/file",
    "/news/\x00",
    " //evil.example",
    "/a b",
    "evil.example/x",
]


@pytest.mark.parametrize("url", SAFE)
def test_paths_and_http_urls_are_safe(url):
    assert link_is_safe(url)


@pytest.mark.parametrize("url", UNSAFE)
def test_other_hosts_schemes_and_odd_characters_are_not(url):
    assert not link_is_safe(url)


@pytest.mark.parametrize("url", ["//evil.example/x", "/\\evil.example"])
def test_a_call_to_action_with_such_a_link_is_refused_in_chinese(url):
    block = CallToActionBlock()
    value = block.to_python({"title": "标题", "text": "", "button_text": "去看看", "url": url})
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert "本站路径" in str(refused.value.block_errors["url"])


def test_a_stored_unsafe_link_renders_as_a_dead_anchor():
    template = Template("{% load huinong %}{{ a|safe_link }} {{ b|safe_link }}")
    rendered = template.render(Context({"a": "//evil.example/x", "b": "/news/"}))
    assert rendered == "# /news/"
