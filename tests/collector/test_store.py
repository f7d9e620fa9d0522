from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from collector.store import NewItem, canonical_url, content_hash, save_items
from core.tables import Item
from tests.factories import make_feed


def test_canonical_url_strips_tracking_and_sorts_query() -> None:
    assert (
        canonical_url("HTTPS://Tin.Example:443/a/1/?utm_source=x&b=2&fbclid=z&a=1#frag")
        == "https://tin.example/a/1?a=1&b=2"
    )
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url(None) is None


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Tin A", "Nội dung!") == content_hash("tin  a", "nội dung")
    assert content_hash("Tin A", "x") != content_hash("Tin B", "x")


def test_save_items_is_idempotent(session: Session) -> None:
    feed = make_feed(session)
    items = [
        NewItem(source="S", title="A", text="một", url="https://e.org/1?utm_medium=a"),
        NewItem(source="S", title="B", text="hai", url="https://e.org/1"),  # same canonical URL
        NewItem(source="S", title="A", text="một!", url="https://e.org/9"),
    ]  # same content
    first = save_items(session, feed, items)
    again = save_items(session, feed, items)
    session.commit()
    assert (first.new, first.duplicate) == (1, 2)
    assert (again.new, again.duplicate) == (0, 3)
    assert session.scalar(select(func.count(Item.id))) == 1


def test_a_database_that_cannot_write_fails_the_batch_instead_of_skipping_its_rows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock timeout or a lost connection is not a row's fault: the entries must not be
    counted as refused (and so lost); the feed's store fails and the next pass fetches them."""
    feed = make_feed(session)
    real = session.execute

    def locked(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(statement, "is_insert", False):
            raise OperationalError("INSERT INTO item …", {}, Exception("database is locked"))
        return real(statement, *args, **kwargs)

    monkeypatch.setattr(session, "execute", locked)
    with pytest.raises(OperationalError):
        save_items(
            session, feed, [NewItem(source="S", title="A", text="một", url="https://e.org/1")]
        )
