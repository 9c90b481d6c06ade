from frontend.thumbnails import _Memo


def test_the_memo_forgets_the_least_recently_used_entry_beyond_its_size():
    memo = _Memo(size=2, seconds=60)
    memo.set("a", "1")
    memo.set("b", "2")
    assert memo.get("a") == "1"  # a is now the most recent

    memo.set("c", "3")

    assert (memo.get("a"), memo.get("b"), memo.get("c")) == ("1", None, "3")


def test_the_memo_forgets_expired_entries():
    memo = _Memo(size=10, seconds=-1)
    memo.set("a", "1")

    assert memo.get("a") is None


def test_a_deleted_entry_is_gone():
    memo = _Memo(size=10, seconds=60)
    memo.set("a", "1")
    memo.delete("a")

    assert memo.get("a") is None
