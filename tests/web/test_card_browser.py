"""The review card in Chromium at 360 × 740: a known false claim reads "Tin nói / Sự thật" with
the fact's source, and a long article's flagged passage is one tap away. Its own served app
(the fixtures of ``test_browser``), so the queue order of the other browser tests is untouched."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from core.tables import ReviewTask, TaskStatus
from tests.factories import make_analysis, make_item
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    _login,
    _phone,
    browser,
    output_dir,
    pytestmark,
    served,
)

CLAIM = "Nghị quyết 57 bắt buộc mỗi hộ dân phải nộp phí chuyển đổi số hằng năm."
CORRECTION = "không quy định bất kỳ khoản phí chuyển đổi số nào đối với người dân"
FILLER = (
    "Sáng nay tại hội trường xã diễn ra hội nghị tổng kết công tác năm với sự tham gia của "
    "đông đảo cán bộ và người dân địa phương. "
) * 8


def test_a_known_false_claim_card_says_tin_noi_su_that_and_the_source(
    served: tuple[str, sessionmaker[Session]],  # noqa: F811
    browser,  # noqa: F811
    output_dir: Path,  # noqa: F811
    analyzer,
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, factory = served
    title, text = "Người dân phải nộp phí chuyển đổi số", FILLER + CLAIM + " Chia sẻ ngay!"
    result = analyzer.analyze([f"{title}. {text}"])[0]  # the reasons as the analyser stores them
    assert any(r["kind"] == "known_false_claim" for r in result["reasons"])
    with factory() as s:
        item = make_item(s, title=title, text=text)
        analysis = make_analysis(
            s,
            item,
            misinfo=result["misinfo"],
            misinfo_scores=result["misinfo_scores"],
            risk=result["risk"],
            reasons=result["reasons"],
        )
        s.add(
            ReviewTask(
                item_id=item.id,
                analysis_id=analysis.id,
                status=TaskStatus.pending,
                reason="risk",
                priority=1.0,  # the next one a collaborator gets
            )
        )
        s.commit()
        item_id = item.id

    context, page = _phone(browser)
    _login(page, base, "ctv1")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    card = page.locator("article.card")
    expect(card.locator("h2")).to_have_text(title)
    expect(card.locator(".suspect")).to_contain_text("Máy nghi: xuyên tạc, sai lệch thông tin")
    fact = card.locator(".facts .fact").first
    expect(fact.locator(".said")).to_contain_text("Tin nói:")
    expect(fact.locator(".said")).to_contain_text(CLAIM)
    expect(fact.locator(".truth")).to_contain_text("Sự thật:")
    expect(fact.locator(".truth")).to_contain_text(CORRECTION)
    expect(fact.locator(".fact-source")).to_contain_text(
        "Nguồn: Hướng dẫn tuyên truyền Nghị quyết 06-NQ/TU"
    )
    assert not re.search(r"\.\s*:", card.locator(".why").inner_text())  # no stray ".:"
    page.screenshot(path=str(output_dir / "card-top-360x740.png"))

    # the flagged passage sits below eight paragraphs: the header's link brings it into view
    flagged = card.locator(f"mark#flagged-{item_id}")
    expect(flagged).to_contain_text(CLAIM)
    expect(flagged).not_to_be_in_viewport()
    card.get_by_role("link", name=re.compile("Xem đoạn bị gắn cờ")).click()
    expect(flagged).to_be_in_viewport()
    mark, lease = flagged.bounding_box(), page.locator(".lease").bounding_box()
    assert mark is not None
    assert lease is not None
    assert mark["y"] >= lease["y"] + lease["height"]  # not under the sticky lease bar
    page.screenshot(path=str(output_dir / "card-flagged-360x740.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
