"""What collaborators hand in ("Phản ánh tin"): text, a link, screenshots — taken in as items.

A report becomes an item of the source ``REPORT_SOURCE`` (a feed of kind ``report``, never
polled) through the collector's own steps — the one text key, dedup (``collector.store``) and
near-duplicate clusters (``collector.cluster``) — so a report of a story already collected joins
its cluster and raises its source count. Links are read through the guarded fetcher, screenshots are
checked and read by OCR (``collector.screenshot``) and stored without metadata. What happens
next — analysis and the review queue (``review.reports.enqueue_report``) — is the caller's
(``api.submissions``). Who sent a report is kept in ``report_submitter`` only, never on the item.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collector import screenshot
from collector.cluster import cluster_pending
from collector.extract import extract_text
from collector.fetch import FetchError, FetchPolicy, fetch, make_client
from collector.store import NewItem, canonical_url, save_items
from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.errors import DomainError, NotFound
from core.tables import (
    REPORT_SOURCE,
    Feed,
    FeedKind,
    Item,
    Report,
    ReportImage,
    ReportSubmitter,
    User,
)
from core.text import clean, content_digest

log = logging.getLogger(__name__)

REPORT_FEED_URL = "duluan:reports"  # not a URL anyone fetches: the feed is never enabled
MAX_TEXT = 100_000
MAX_PLACE = 200
MAX_NOTE = 2_000


class ImageNotFound(NotFound):
    """No stored image has this id."""

    code = "image_not_found"


class ReportRefused(DomainError):
    """A collaborator's report that cannot be taken as sent (HTTP 422)."""

    status_code = 422
    code = "report_refused"


class ImageRejected(ReportRefused):
    """A report's image the screenshot check refused (``collector.screenshot.check_image``); its
    ``code`` is the check's: image_too_large, image_type, image_bomb, image_metadata,
    image_truncated…"""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class ReportTooLong(ReportRefused):
    """A report (or one of its fields) longer than allowed."""

    code = "report_too_long"


class ReportEmpty(ReportRefused):
    """A report with no text, link or image to review."""

    code = "report_empty"


class ReportUnstorable(ReportRefused):
    """A report's image that cannot be read or stored (not an image, or hostile)."""

    code = "report_unstorable"


class ImageTooLarge(ReportRefused):
    """A report's image larger than allowed."""

    code = "image_too_large"


class TooManyImages(ReportRefused):
    """A report with more images than a report may carry."""

    code = "too_many_images"


@dataclass(frozen=True)
class LinkResult:
    """A link as read: ``text`` its main text ('' when it could not be read) and ``error``
    why not (Vietnamese, with English), else None."""

    url: str
    text: str
    error: str | None


def report_feed(session: Session) -> Feed:
    """The one source of every report (created on first use; a simultaneous creation by
    another process is taken instead)."""
    feed = session.scalar(select(Feed).where(Feed.url == REPORT_FEED_URL))
    if feed is not None:
        return feed
    try:
        with session.begin_nested():
            feed = Feed(
                url=REPORT_FEED_URL, name=REPORT_SOURCE, kind=FeedKind.report, enabled=False
            )
            session.add(feed)
        return feed
    except IntegrityError:
        found = session.scalar(select(Feed).where(Feed.url == REPORT_FEED_URL))
        assert found is not None
        return found


def _why(exc: FetchError) -> str:
    """A failed fetch in words a collaborator reads (Vietnamese, the cause in English after)."""
    message = str(exc)
    if message.startswith("refused"):
        said = "Địa chỉ này không được phép truy cập (mạng nội bộ hoặc địa chỉ đặc biệt)"
    elif exc.status is not None:
        said = f"Trang trả về lỗi HTTP {exc.status}"
    elif "cap" in message:
        said = "Trang quá lớn để tải về"
    elif "timed out" in message or "longer than" in message:
        said = "Trang không trả lời kịp"
    else:
        said = "Không tải được trang"
    return f"{said}; đã giữ lại địa chỉ. ({message})"


def read_link(url: str, settings: Settings) -> LinkResult:
    """Fetch ``url`` through the collector's guarded fetcher (SSRF rules on every hop,
    ``extract_max_bytes`` and ``http_total_timeout_s`` caps) and extract its main text
    (trafilatura). Never raises for the page's sake: a link that cannot be read keeps its URL
    and says why in ``error``."""
    if canonical_url(url) is None:
        return LinkResult(
            url, "", "Địa chỉ không hợp lệ (cần http:// hoặc https://). (invalid URL)"
        )
    policy = FetchPolicy.from_settings(settings, max_bytes=settings.extract_max_bytes)
    try:
        with make_client(settings) as client:
            page = fetch(client, url, policy)
    except FetchError as exc:
        return LinkResult(url, "", _why(exc))
    try:
        text = extract_text(page.body)
    except Exception as exc:  # noqa: BLE001 - a page trafilatura chokes on is still a report
        log.info("extraction of %s failed: %s", url, exc)
        text = ""
    if not text:
        return LinkResult(
            url, "", "Không tìm thấy nội dung chính trên trang; đã giữ lại địa chỉ. (no main text)"
        )
    return LinkResult(url, text, None)


@dataclass(frozen=True)
class CheckedImage:
    clean: screenshot.CleanImage
    ocr_text: str | None
    ocr_error: str | None


def check_images(uploads: list[bytes], settings: Settings) -> list[CheckedImage]:
    """Every upload checked (``collector.screenshot.check_image``) and read by OCR; the first
    refusal raises ``ReportRefused`` naming which image (1-based) and why."""
    if len(uploads) > settings.report_max_images:
        raise TooManyImages(
            f"Tối đa {settings.report_max_images} ảnh mỗi lần phản ánh. (Too many images.)",
        )
    missing = screenshot.tesseract_missing(settings.ocr_lang) if uploads else None
    checked = []
    for n, data in enumerate(uploads, start=1):
        try:
            image = screenshot.check_image(
                data,
                max_bytes=settings.report_image_max_bytes,
                max_pixels=settings.report_image_max_pixels,
            )
        except screenshot.ImageRefused as exc:
            raise ImageRejected(f"Ảnh {n}: {exc.message}", exc.code) from exc
        text: str | None = None
        error = missing
        if missing is None:
            try:
                text = screenshot.ocr(image.image, settings.ocr_lang)
            except RuntimeError as exc:
                log.warning("OCR of an uploaded image failed: %s", exc)
                error = "Không đọc được chữ trong ảnh. (OCR failed)"
        checked.append(CheckedImage(image, text, error))
    return checked


def compose(text: str, link: LinkResult | None, images: list[CheckedImage]) -> str:
    """A report's item text: the typed text, the link's text (or its address) and each image's
    OCR text, one paragraph each, empty parts left out."""
    parts = [text.strip()]
    if link is not None:
        parts.append(link.text or link.url)
    parts.extend((i.ocr_text or "").strip() for i in images)
    return "\n\n".join(p for p in parts if p)


def store_file(settings: Settings, png: bytes) -> str:
    """Write ``png`` under ``report_image_dir`` with a random name; the name."""
    folder = Path(settings.report_image_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.png"
    path = folder / name
    with open(path, "xb") as out:  # never over an existing file
        out.write(png)
    return name


def image_path(settings: Settings, image: ReportImage) -> Path | None:
    """Where a stored screenshot's file is (None once retention deleted it)."""
    if image.purged_at is not None:
        return None
    path = Path(settings.report_image_dir) / image.stored_name
    return path if path.is_file() else None


def the_item(session: Session, feed: Feed, title: str, body: str, url: str | None) -> Item:
    """The item a report's content is: its own new one, or the one already stored with the
    same digest (the same story word for word) or canonical URL."""
    stats = save_items(
        session, feed, [NewItem(source=REPORT_SOURCE, title=title, text=body, url=url)]
    )
    if stats.refused:
        raise ReportUnstorable(
            "Không lưu được nội dung phản ánh. (The database refused the item.)",
        )
    digest = content_digest(clean(title)[:1000], clean(body))
    found = session.scalar(select(Item).where(Item.content_hash == digest))
    canonical = canonical_url(url)
    if found is None and canonical is not None:
        found = session.scalar(select(Item).where(Item.canonical_url == canonical))
    if found is None:
        raise ReportUnstorable(
            "Không lưu được nội dung phản ánh. (The stored item was not found.)",
        )
    return found


@dataclass(frozen=True)
class Submission:
    """What a collaborator hands in, as typed: ``text`` they saw, a ``link``, where they saw it
    (``place``), a ``note`` for the reviewer, and screenshots (``images``, the uploaded bytes)."""

    text: str = ""
    link: str = ""
    place: str = ""
    note: str = ""
    images: tuple[bytes, ...] = ()

    @classmethod
    def from_fields(cls, fields: Mapping[str, str], images: Sequence[bytes] = ()) -> Submission:
        """A submission from form or JSON fields (``text``, ``link``, ``place``, ``note``; a
        missing one is empty) and the uploaded images' bytes. Raises nothing: ``take_in``
        checks the limits."""
        return cls(
            text=fields.get("text", ""),
            link=fields.get("link", ""),
            place=fields.get("place", ""),
            note=fields.get("note", ""),
            images=tuple(images),
        )


def take_in(
    session: Session,
    settings: Settings,
    submitter: User,
    submission: Submission,
    now: datetime | None = None,
) -> tuple[Report, Item, int]:
    """Store one report as an item: ``(report, item, n_images)``; flushes, the caller commits.

    Needs text, a link or an image (``ReportRefused`` 422 otherwise; also for an image refused
    by ``check_images``, text over 100,000 characters, a place over 200 or a note over 2,000).
    The link is read by ``read_link`` (a failure is kept on the report, not raised). The item
    gets the typed text, the link's text (or its address) and the images' OCR text, one
    paragraph each, through the collector's own steps (one text key, dedup, near-duplicate
    clusters): a report of a story already stored is that story's item. ``submitter`` is kept
    in ``report_submitter`` only, never on the item.
    """
    now = now or utcnow()
    text, link = submission.text.strip(), submission.link.strip()
    place, note = submission.place.strip(), submission.note.strip()
    uploads = list(submission.images)
    if not (text or link or uploads):
        raise ReportEmpty(
            "Hãy dán nội dung, một đường link hoặc ảnh chụp màn hình. (Nothing to report.)",
        )
    if len(text) > MAX_TEXT:
        raise ReportTooLong(f"Nội dung quá dài (tối đa {MAX_TEXT} ký tự). (Text too long.)")
    if len(place) > MAX_PLACE or len(note) > MAX_NOTE:
        raise ReportTooLong(
            f"Nơi thấy tin tối đa {MAX_PLACE} ký tự, ghi chú tối đa {MAX_NOTE} ký tự. "
            "(Place or note too long.)",
        )
    if len(link) > 2048:
        raise ReportTooLong("Đường link quá dài. (Link too long.)")
    checked = check_images(uploads, settings)  # refusals come before any fetch or write
    read = read_link(link, settings) if link else None
    body = compose(text, read, checked)
    if not body:
        raise ReportEmpty("Không đọc được chữ nào trong phản ánh. (No text in the report.)")
    feed = report_feed(session)
    item = the_item(
        session, feed, "", body, read.url if read is not None and not read.error else None
    )
    report = Report(
        item_id=item.id,
        place=clean(place),
        note=clean(note),
        link_url=link or None,
        link_error=read.error if read is not None else None,
        created_at=now,
    )
    session.add(report)
    session.flush()
    session.add(ReportSubmitter(report_id=report.id, user_id=submitter.id))
    for n, image in enumerate(checked):
        session.add(
            ReportImage(
                report_id=report.id,
                position=n,
                stored_name=store_file(settings, image.clean.png),
                width=image.clean.width,
                height=image.clean.height,
                size_bytes=len(image.clean.png),
                ocr_text=image.ocr_text,
                ocr_error=image.ocr_error,
                created_at=now,
            )
        )
    session.flush()
    cluster_pending(
        session, threshold=settings.cluster_threshold, window_days=settings.cluster_window_days
    )
    session.refresh(item)
    return report, item, len(checked)


def get_image(session: Session, image_id: int) -> ReportImage:
    """A screenshot's row (``NotFound`` if none)."""
    image = session.get(ReportImage, image_id)
    if image is None:
        raise ImageNotFound(f"Không có ảnh số {image_id}. (no image {image_id})")
    return image


def purge_images(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Delete the files of screenshots older than ``report_image_days`` (their rows stay, marked
    ``purged_at``, with the OCR text); the number deleted. Audited once per run."""
    now = now or utcnow()
    cutoff = now - timedelta(days=settings.report_image_days)
    old = session.scalars(
        select(ReportImage).where(ReportImage.purged_at.is_(None), ReportImage.created_at < cutoff)
    ).all()
    for image in old:
        path = Path(settings.report_image_dir) / image.stored_name
        path.unlink(missing_ok=True)
        image.purged_at = now
    if old:
        record(
            session,
            None,
            "report.images_purged",
            "report_image",
            None,
            after={"count": len(old), "older_than_days": settings.report_image_days},
        )
    session.flush()
    return len(old)


def reports_of_item(session: Session, item: Item) -> list[Report]:
    """The reports that became ``item`` (place, note, link, screenshots), oldest first — what a
    reviewer reads beside the item; never who sent them."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.item_id == item.id)
            .options(selectinload(Report.images))
            .order_by(Report.id)
        )
    )
