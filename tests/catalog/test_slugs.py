from oscar.core.utils import slugify


def test_chinese_titles_get_ascii_pinyin_slugs():
    assert slugify("塔山石榴 精品礼盒") == "ta-shan-shi-liu-jing-pin-li-he"


def test_latin_and_digits_are_kept():
    assert slugify("濉溪大米 10kg") == "sui-xi-da-mi-10kg"
