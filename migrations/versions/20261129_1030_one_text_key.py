"""one text key: re-key every item (text, digest, search text, shingles); ingest notes, title
history, feed warnings

Every stored title and text goes through ``core.text.clean`` and gets the digest, search text
and MinHash signature of the one text key, so rows stored before it (NFD, zero-width
characters, old tone placement, ``ð``…) meet new rows of the same story. Two old rows that are
now the same text both stay (nothing is deleted): the later one gets a digest of its own, a
``duplicate_of`` note naming the earlier, and the earlier one's cluster.

This backfill imports the application's key on purpose: the key is code (Unicode tables, tone
placement, legacy encodings) that SQL cannot express, and a frozen copy here would make the
re-keyed rows disagree with what the collector stores afterwards. Re-running it is harmless.

Revision ID: 3f9b1c7d2a64
Revises: e41b7d09a3c6
Create Date: 2026-11-29 10:30:00
"""

import hashlib
import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f9b1c7d2a64"
down_revision: str | None = "e41b7d09a3c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_warning", sa.Text(), nullable=True))
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("title_history", sa.JSON(), nullable=True))
    rekey(op.get_bind())


def rekey(bind: sa.Connection) -> int:
    """Re-key every item of the database behind ``bind``; returns how many rows changed."""
    from collector.cluster import pack_signature
    from core.text import clean, content_digest, search_key

    item = sa.table(
        "item",
        sa.column("id"),
        sa.column("title"),
        sa.column("text"),
        sa.column("content_hash"),
        sa.column("search_text"),
        sa.column("minhash"),
        sa.column("cluster_id"),
        sa.column("notes", sa.JSON(none_as_null=True)),
    )
    owner: dict[str, int] = {}  # digest -> the earliest item that has it
    changes: list[dict[str, object]] = []
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                item.c.id,
                item.c.title,
                item.c.text,
                item.c.content_hash,
                item.c.search_text,
                item.c.minhash,
                item.c.cluster_id,
                item.c.notes,
            )
            .where(item.c.id > last)
            .order_by(item.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        for r in rows:
            title, text = clean(r.title or ""), clean(r.text or "")
            digest = content_digest(title, text)
            notes = list(r.notes or [])
            cluster_id = r.cluster_id
            first = owner.setdefault(digest, r.id)
            if first != r.id:
                digest = hashlib.sha256(f"{digest}:duplicate:{r.id}".encode()).hexdigest()
                if not any(n.get("code") == "duplicate_of" for n in notes):
                    notes.append({"code": "duplicate_of", "detail": str(first)})
            change = {
                "item_id": r.id,
                "title": title,
                "text": text,
                "digest": digest,
                "key": search_key(title, text),
                "minhash": pack_signature(title, text) if r.minhash is not None else None,
                "notes": notes or None,
                "cluster": cluster_id,
                "first": first,
            }
            if (
                title != r.title
                or text != r.text
                or digest != r.content_hash
                or change["key"] != r.search_text
                or change["minhash"] != r.minhash
                or notes != list(r.notes or [])
            ):
                changes.append(change)
    if not changes:
        return 0
    # A new digest may equal another row's old one: park the changing rows first.
    for start in range(0, len(changes), _BATCH):
        bind.execute(
            item.update()
            .where(item.c.id == sa.bindparam("item_id"))
            .values(content_hash=sa.bindparam("parked")),
            [
                {"item_id": c["item_id"], "parked": f"rekey:{c['item_id']}"}
                for c in changes[start : start + _BATCH]
            ],
        )
    for start in range(0, len(changes), _BATCH):
        bind.execute(
            item.update()
            .where(item.c.id == sa.bindparam("item_id"))
            .values(
                title=sa.bindparam("title"),
                text=sa.bindparam("text"),
                content_hash=sa.bindparam("digest"),
                search_text=sa.bindparam("key"),
                minhash=sa.bindparam("minhash"),
                notes=sa.bindparam("notes", type_=sa.JSON(none_as_null=True)),
            ),
            changes[start : start + _BATCH],
        )
    _join_twins(bind, item, [c for c in changes if c["first"] != c["item_id"]])
    log.info("one text key: %d item(s) re-keyed", len(changes))
    return len(changes)


def _join_twins(bind: sa.Connection, item: sa.TableClause, twins: list[dict[str, object]]) -> None:
    """Put each later twin in its earlier twin's cluster and recount the clusters touched."""
    if not twins:
        return
    firsts = {int(str(c["first"])) for c in twins}
    cluster_of = dict(
        bind.execute(sa.select(item.c.id, item.c.cluster_id).where(item.c.id.in_(firsts))).all()
    )
    touched: set[int] = set()
    for c in twins:
        target = cluster_of.get(c["first"])
        if target is None or target == c["cluster"]:
            continue
        bind.execute(item.update().where(item.c.id == c["item_id"]).values(cluster_id=target))
        touched.update(x for x in (target, c["cluster"]) if isinstance(x, int))
    if not touched:
        return
    cluster = sa.table(
        "cluster", sa.column("id"), sa.column("item_count"), sa.column("source_count")
    )
    full = sa.table("item", sa.column("cluster_id"), sa.column("source"))
    for cid in sorted(touched):
        n, sources = bind.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(full.c.source))).where(
                full.c.cluster_id == cid
            )
        ).one()
        bind.execute(
            cluster.update().where(cluster.c.id == cid).values(item_count=n, source_count=sources)
        )


def downgrade() -> None:
    # The re-keyed text stays cleaned (the old byte forms are not kept).
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("title_history")
        batch_op.drop_column("notes")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.drop_column("last_warning")
