from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from collector.cluster import cluster_pending, shingles
from core.tables import Cluster, ClusterBand, Item
from tests.factories import make_item

STORY = (
    "Công an tỉnh cảnh báo thủ đoạn giả danh cán bộ thuế gọi điện yêu cầu người dân cài ứng dụng "
    "qua đường link lạ để quyết toán thuế, người dân tuyệt đối không cài và không cung cấp mã OTP"
)


def test_shingles_ignore_accents_and_case() -> None:
    assert shingles("Chuyển Đổi Số", "") == shingles("chuyen doi so", "")


def test_near_duplicates_from_several_sources_share_a_cluster(session: Session) -> None:
    a = make_item(session, title="Cảnh báo giả danh cán bộ thuế", text=STORY, source="Báo A")
    b = make_item(
        session, title="Cảnh báo giả danh cán bộ thuế", text=STORY + " (theo Báo A)", source="Báo B"
    )
    c = make_item(
        session,
        title="Cảnh báo giả danh cán bộ thuế",
        text=STORY.replace("tỉnh", "tinh"),
        source="Báo B",
    )
    other = make_item(
        session, title="Giá lúa tăng", text="Giá lúa tươi tại các huyện phía Nam tăng 200 đồng/kg"
    )
    assert cluster_pending(session) == 4
    assert a.cluster_id == b.cluster_id == c.cluster_id != other.cluster_id
    cluster = session.get(Cluster, a.cluster_id)
    assert (cluster.first_item_id, cluster.item_count, cluster.source_count) == (a.id, 3, 2)
    late = make_item(
        session,
        title="Cảnh báo giả danh cán bộ thuế",
        text=STORY + " Nguồn: Báo C.",
        source="Báo C",
    )
    assert cluster_pending(session) == 1  # a later run joins the existing cluster
    assert late.cluster_id == a.cluster_id
    assert cluster.source_count == 3
    assert cluster_pending(session) == 0
    assert session.scalar(select(Item.id).where(Item.minhash.is_(None))) is None


def test_clustering_in_chunks_joins_twins_across_chunk_boundaries(session: Session) -> None:
    """What waits is read a chunk at a time; a twin in a later chunk still joins the cluster a
    leader of an earlier chunk created, and the counts cover every chunk."""
    twins = [
        make_item(session, title="Cảnh báo", text=STORY + f" Nguồn: Báo {n}.", source=f"Báo {n}")
        for n in range(5)
    ]
    other = make_item(session, title="Giá lúa", text="Giá lúa tươi tại các huyện phía Nam tăng")
    assert cluster_pending(session, chunk=2) == 6
    assert len({t.cluster_id for t in twins}) == 1
    assert other.cluster_id not in {None, twins[0].cluster_id}
    cluster = session.get(Cluster, twins[0].cluster_id)
    assert (cluster.first_item_id, cluster.item_count, cluster.source_count) == (twins[0].id, 5, 5)
    assert session.scalar(select(Item.id).where(Item.cluster_id.is_(None))) is None


def test_counts_are_added_pass_by_pass_as_a_recount_would_give_them(session: Session) -> None:
    """Each pass adds its items to the counts (no recount of the cluster): a source that already
    carries the cluster, in an earlier pass or an earlier chunk, is not counted twice; a source
    new to it is; an item published earlier moves ``first_seen_at`` back. Checked against the
    counts read from the items themselves after every pass."""

    def recounted(cluster_id: int) -> tuple[int, int, datetime]:
        rows = session.execute(
            select(Item.source, Item.published_at, Item.fetched_at).where(
                Item.cluster_id == cluster_id
            )
        ).all()
        return len(rows), len({r[0] for r in rows}), min(r[1] or r[2] for r in rows)

    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    first = make_item(session, title="Cảnh báo", text=STORY, source="Báo A", published_at=start)
    make_item(session, title="Cảnh báo", text=STORY + " (theo Báo A)", source="Báo B")
    assert cluster_pending(session) == 2
    cluster = session.get(Cluster, first.cluster_id)
    assert (
        (cluster.item_count, cluster.source_count, cluster.first_seen_at)
        == recounted(cluster.id)
        == (2, 2, start)
    )
    passes = [
        [("Báo A", None), ("Báo B", None)],  # both sources already carry it
        [("Báo C", start - timedelta(days=1)), ("Báo C", None), ("Báo A", None)],  # one new
    ]
    for n, rows in enumerate(passes):
        for k, (source, published) in enumerate(rows):
            make_item(
                session,
                title="Cảnh báo",
                text=STORY + f" Nguồn: {source} {n}.{k}",
                source=source,
                published_at=published,
            )
        assert cluster_pending(session, chunk=2) == len(rows)
        cluster = session.get(Cluster, first.cluster_id)
        assert (cluster.item_count, cluster.source_count, cluster.first_seen_at) == recounted(
            cluster.id
        )
    assert (cluster.item_count, cluster.source_count) == (7, 3)
    assert cluster.first_seen_at == start - timedelta(days=1)


def test_earlier_leaders_are_found_through_the_band_table_within_the_window(
    session: Session,
) -> None:
    """A pass finds earlier clusters through ``cluster_band``: a twin joins a leader of an
    earlier pass; once that leader is older than the window its band rows are deleted and a
    twin starts a cluster of its own."""
    now = datetime(2026, 11, 30, 8, tzinfo=UTC)
    leader = make_item(session, title="Cảnh báo", text=STORY, fetched_at=now - timedelta(days=3))
    assert cluster_pending(session, now=now) == 1
    assert (
        session.scalar(
            select(func.count())
            .select_from(ClusterBand)
            .where(ClusterBand.cluster_id == leader.cluster_id)
        )
        == 8
    )  # one key per band (8 bands of 8 rows at the 0.7 threshold)
    twin = make_item(session, title="Cảnh báo", text=STORY + " (theo Báo A)", source="Báo B")
    assert cluster_pending(session, now=now) == 1
    assert twin.cluster_id == leader.cluster_id
    later = now + timedelta(days=12)  # the leader is 15 days old: outside the 14-day window
    late = make_item(session, title="Cảnh báo", text=STORY + " Nguồn: Báo C.", source="Báo C")
    assert cluster_pending(session, now=later) == 1
    assert late.cluster_id != leader.cluster_id
    assert (
        session.scalar(
            select(func.count())
            .select_from(ClusterBand)
            .where(ClusterBand.cluster_id == leader.cluster_id)
        )
        == 0
    )


def test_leaders_from_before_the_band_table_are_indexed_by_the_first_pass(
    session: Session,
) -> None:
    """Clusters made before ``cluster_band`` existed (an upgraded database: the table starts
    empty) are indexed by the next pass, so their twins still join them."""
    leader = make_item(session, title="Cảnh báo", text=STORY)
    old = make_item(session, title="Giá lúa", text="Giá lúa tươi tại các huyện phía Nam tăng")
    assert cluster_pending(session) == 2
    session.execute(delete(ClusterBand))  # as the migration leaves it
    twin = make_item(session, title="Cảnh báo", text=STORY + " (theo Báo A)", source="Báo B")
    assert cluster_pending(session) == 1
    assert twin.cluster_id == leader.cluster_id
    indexed = set(session.scalars(select(ClusterBand.cluster_id).distinct()))
    assert indexed == {leader.cluster_id, old.cluster_id}
