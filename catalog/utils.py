from django.utils.text import slugify
from pypinyin import lazy_pinyin


def pinyin_slugify(value: str, allow_unicode: bool = False) -> str:
    """ASCII slugs for Chinese titles (Oscar's OSCAR_SLUG_FUNCTION): 塔山石榴 -> ta-shan-shi-liu."""
    return slugify("-".join(lazy_pinyin(str(value))), allow_unicode=allow_unicode)
