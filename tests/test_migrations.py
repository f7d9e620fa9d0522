"""Migrations build the schema on an empty database of each kind and match the ORM."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from core.config import ROOT
from core.tables import Base


def _config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def test_upgrade_head_matches_the_orm(empty_db_url: str) -> None:
    cfg = _config(empty_db_url)
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises if autogenerate would find any difference
    engine = create_engine(empty_db_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
    command.downgrade(cfg, "base")
    engine = create_engine(empty_db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_the_text_key_migration_rekeys_existing_rows_and_keeps_twins(empty_db_url: str) -> None:
    """Rows stored before the one text key (NFD, zero-width characters, old tone placement,
    ``ð``) are re-keyed: digest, search text, shingles; a row that becomes the twin of an older
    one is kept, with a note and the older one's cluster."""
    import hashlib
    import unicodedata

    from sqlalchemy import text

    from collector.cluster import pack_signature
    from core.text import content_digest, search_key

    cfg = _config(empty_db_url)
    command.upgrade(cfg, "e41b7d09a3c6")  # the revision before the text key
    nfc = "Người dân được hỗ trợ hòa mạng miễn phí"
    forms = [
        nfc,
        unicodedata.normalize("NFD", nfc),
        "Ngư\u200bời dân ðược hỗ trợ hoà mạng miễn phí",
        "Một tin khác hẳn về khoa học",
    ]
    engine = create_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO cluster (id, item_count, source_count) VALUES (1, 1, 1), (2, 2, 1)")
        )
        for n, body in enumerate(forms, 1):
            conn.execute(
                text(
                    "INSERT INTO item (id, source, title, text, language, content_hash, "
                    "search_text, fetched_at, cluster_id, minhash) VALUES (:id, 'Nguồn', '', :t, "
                    "'vi', :h, 'old', CURRENT_TIMESTAMP, :c, :m)"
                ),
                {
                    "id": n,
                    "t": body,
                    "h": hashlib.sha256(body.encode()).hexdigest(),  # the old keys all differ
                    "c": 1 if n == 1 else 2,
                    "m": b"\x00" * 256,
                },
            )
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, text, content_hash, search_text, minhash, cluster_id, notes FROM item ORDER BY id"
            )
        ).all()
        counts = dict(conn.execute(text("SELECT id, item_count FROM cluster")).all())
    engine.dispose()
    assert len(rows) == 4  # nothing deleted
    first = rows[0]
    assert first.content_hash == content_digest("", nfc)
    assert first.search_text == search_key("", nfc)
    assert bytes(first.minhash) == pack_signature("", nfc)
    for twin in rows[1:3]:
        assert twin.text == nfc
        assert twin.search_text == first.search_text
        assert twin.content_hash != first.content_hash  # unique, but …
        assert twin.cluster_id == first.cluster_id  # … in the older one's cluster, with a note
        notes = twin.notes if isinstance(twin.notes, list) else __import__("json").loads(twin.notes)
        assert notes == [{"code": "duplicate_of", "detail": "1"}]
    assert rows[3].content_hash == content_digest("", forms[3])
    assert rows[3].notes is None
    assert counts == {1: 3, 2: 1}
    command.downgrade(cfg, "base")


def test_analyzed_at_is_backfilled_from_the_oldest_analysis(empty_db_url: str) -> None:
    """Items analysed before ``item.analyzed_at`` existed are not taken for waiting ones: the
    column is filled from their oldest analysis; an item never analysed stays waiting."""
    from sqlalchemy import text

    cfg = _config(empty_db_url)
    command.upgrade(cfg, "7e1b3c5d9a42")  # the revision before item.analyzed_at
    engine = create_engine(empty_db_url)
    with engine.begin() as conn:
        for n in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO item (id, source, title, text, language, content_hash, "
                    "search_text, fetched_at) VALUES (:id, 'Nguồn', '', 'Tin', 'vi', :h, 'tin', "
                    "CURRENT_TIMESTAMP)"
                ),
                {"id": n, "h": f"h{n}"},
            )
        for aid, created in ((1, "2026-11-01 08:00:00"), (2, "2026-11-03 08:00:00")):
            conn.execute(
                text(
                    "INSERT INTO analysis (id, item_id, model_versions, relevance, relevant, "
                    "sentiment, sentiment_scores, misinfo, misinfo_scores, risk, reasons, "
                    "created_at) VALUES (:id, 1, '{}', 0.5, true, 'neutral', '{}', 'none', '{}', "
                    "0.1, '[]', :c)"
                ),
                {"id": aid, "c": created},
            )
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, analyzed_at FROM item ORDER BY id")).all())
    engine.dispose()
    assert rows[2] is None
    assert str(rows[1]).startswith("2026-11-01 08:00:00")
    command.downgrade(cfg, "base")
