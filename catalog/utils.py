from django.utils.text import slugify
from pypinyin import lazy_pinyin


def pinyin_slugify(value: str) -> str:
    """ASCII slugs for Chinese titles: 塔山石榴 -> ta-shan-shi-liu."""
    return slugify("-".join(lazy_pinyin(str(value))))
