"""How well the screenshot path reads Vietnamese posts: character error rate, same misinfo label,
seconds per screenshot.

Thirty posts written for this project (scams, rumours, ordinary posts; below) are drawn as phone
screenshots — a status-bar clock, the post wrapped to the screen, a reaction row — with Debian's
fonts (Noto Sans, DejaVu Sans) at two phone widths (720 and 1080 px; text ~28/42 px high),
saved as PNG (clean), JPEG quality 90 and JPEG quality 60. Each goes through the path a
report takes (``collector.screenshot.check_image`` then ``ocr``: pre-processing, Tesseract
``vie``, interface chrome dropped). Printed: the character error rate (Levenshtein distance /
length of the post, whitespace folded; rapidfuzz) by format, the share whose misinfo label
(``nlp.analyze``, models in service) equals the original text's, and seconds per screenshot.
Targets (issue 16): CER ≤ 3 % clean, ≤ 8 % at JPEG 60, same label ≥ 95 %, ≤ 2 s each.

    .venv/bin/python bench/ocr.py [--quick]   # --quick: 10 posts, one font
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from collector.screenshot import check_image, ocr, tesseract_missing  # noqa: E402

FONTS = {
    "Noto Sans": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}
# (screen width px, font size px): a 360-dp phone at 2× and 3×
SIZES = [(720, 28), (1080, 42)]
FORMATS = [("PNG", None), ("JPEG", 90), ("JPEG", 60)]

POSTS = [
    # scams
    "Chúc mừng bạn được nhận gói hỗ trợ chuyển đổi số 3 triệu đồng. Bấm vào link và nhập mã OTP "
    "để nhận tiền trong hôm nay.",
    "Tài khoản định danh điện tử của bạn sắp bị khóa. Gọi ngay 0987654321 và đọc mã OTP cho "
    "cán bộ để giữ tài khoản.",
    "Thông báo từ ngân hàng: cập nhật sinh trắc học tại đường link vcb-capnhat.top trước 17 giờ, "
    "nếu không tài khoản sẽ bị đóng.",
    "Cơ quan thuế hoàn tiền thuế thu nhập cá nhân năm nay. Cài ứng dụng theo đường link để nhận "
    "tiền hoàn về tài khoản.",
    "Bạn trúng thưởng điện thoại thông minh trong chương trình tri ân khách hàng. Chuyển phí vận "
    "chuyển 500 nghìn đồng để nhận quà.",
    "Tuyển cộng tác viên làm việc tại nhà, mỗi ngày kiếm 2 triệu đồng. Nạp 300 nghìn đồng để kích "
    "hoạt nhiệm vụ đầu tiên.",
    "Điện lực thông báo cắt điện tối nay do nợ tiền điện. Thanh toán ngay qua đường link để "
    "tránh bị cắt.",
    "Công an phường đang điều tra vụ án liên quan đến số căn cước của bạn. Chuyển tiền vào tài "
    "khoản tạm giữ để được minh oan.",
    "Nhận trợ cấp người cao tuổi qua ứng dụng mới. Gửi ảnh căn cước hai mặt và mã OTP cho tổng "
    "đài viên.",
    "Vé máy bay giá rẻ chỉ 99 nghìn đồng, số lượng có hạn. Chuyển khoản đặt cọc ngay vào số tài "
    "khoản cá nhân bên dưới.",
    # rumours and distortions
    "Nghe nói từ tháng sau thẻ căn cước gắn chip cũ hết giá trị, ai chưa đổi sẽ bị phạt 5 triệu "
    "đồng.",
    "Tin nóng: dữ liệu của toàn bộ người dân trên ứng dụng định danh đã bị bán ra nước ngoài, mọi "
    "người xóa ứng dụng ngay.",
    "Sóng 5G gây bệnh cho người già và trẻ nhỏ, xã đã lắp trạm phát sóng cạnh trường học mà không "
    "hỏi ý kiến dân.",
    "Chuyển đổi số là cái cớ để thu thêm phí, từ năm sau làm thủ tục trực tuyến phải trả tiền "
    "mỗi lần đăng nhập.",
    "Người không có điện thoại thông minh sẽ không được nhận lương hưu từ tháng tới, ai cũng phải "
    "mua máy mới.",
    "Trí tuệ nhân tạo sẽ thay thế toàn bộ giáo viên trong hai năm tới, các trường sư phạm sắp "
    "đóng cửa hết.",
    "Tiền mặt sẽ bị cấm hoàn toàn từ đầu năm sau, ai còn giữ tiền mặt sẽ bị tịch thu.",
    "Chính quyền theo dõi mọi tin nhắn Zalo của người dân qua ứng dụng dịch vụ công.",
    "Nghe đồn mạng 2G tắt thì điện thoại cũ sẽ phát nổ, mọi người vứt điện thoại cũ đi.",
    "Học sinh phải nộp 2 triệu đồng mỗi năm cho học bạ số, trường nào cũng bắt buộc.",
    # ordinary posts
    "Sáng nay xã tổ chức buổi hướng dẫn người cao tuổi dùng ứng dụng dịch vụ công trên điện "
    "thoại, ai cần thì đến nhà văn hóa.",
    "Cảm ơn đoàn thanh niên đã giúp bà con cài ứng dụng định danh điện tử, làm thủ tục nhanh hơn "
    "hẳn.",
    "Trường tiểu học của thôn vừa được trang bị phòng học thông minh, các cháu rất thích.",
    "Chợ xã đã có mã QR thanh toán ở hầu hết các sạp, đi chợ không cần mang nhiều tiền lẻ.",
    "Trạm y tế bắt đầu dùng hồ sơ sức khỏe điện tử, khám bệnh không phải mang sổ giấy nữa.",
    "Hợp tác xã bán nông sản qua sàn thương mại điện tử, giá bưởi năm nay tốt hơn năm ngoái.",
    "Thư viện huyện mở lớp tin học miễn phí vào tối thứ bảy cho người lớn tuổi.",
    "Đường truyền internet cáp quang đã kéo về tận thôn, các cháu học trực tuyến thuận tiện hơn.",
    "Ủy ban xã nhắc bà con không cung cấp mã OTP cho bất kỳ ai, kể cả người tự xưng là cán bộ.",
    "Cuối tuần này có hội chợ sản phẩm nông nghiệp công nghệ cao ở trung tâm huyện.",
]


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def render(text: str, font_path: str, width: int, size: int) -> Image.Image:
    """A phone-like screenshot: status-bar clock, a post header, the text, a reaction row."""
    font = ImageFont.truetype(font_path, size)
    small = ImageFont.truetype(font_path, round(size * 0.8))
    margin = round(width * 0.05)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    lines = _wrap(probe, text, font, width - 2 * margin)
    step = round(size * 1.45)
    height = step * (len(lines) + 6)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, step), fill=(240, 240, 240))
    draw.text((margin, round(step * 0.15)), "9:41", fill=(0, 0, 0), font=small)
    draw.text((width - margin - size * 2, round(step * 0.15)), "87%", fill=(0, 0, 0), font=small)
    draw.text((margin, round(step * 1.4)), "2 giờ", fill=(110, 110, 110), font=small)
    y = step * 3
    for line in lines:
        draw.text((margin, y), line, fill=(20, 20, 20), font=font)
        y += step
    draw.line((margin, y + step // 3, width - margin, y + step // 3), fill=(220, 220, 220), width=2)
    draw.text((margin, y + step // 2), "Thích   Bình luận   Chia sẻ", fill=(90, 90, 90), font=small)
    return image


def encode(image: Image.Image, fmt: str, quality: int | None) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": quality} if quality else {}))
    return out.getvalue()


def folded(text: str) -> str:
    return " ".join(text.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 posts, one font")
    args = parser.parse_args()
    missing = tesseract_missing()
    if missing:
        print(f"OCR unavailable: {missing} (make ocr)", file=sys.stderr)
        return 2
    posts = POSTS[::3] if args.quick else POSTS
    fonts = dict(list(FONTS.items())[:1]) if args.quick else FONTS
    from nlp.analyze import Analyzer

    analyzer = Analyzer.load(ROOT / "models", ROOT / "data" / "facts")
    original = [r["misinfo"] for r in analyzer.analyze(posts)]
    rows = []  # (format label, cer, same label, seconds)
    for (font_name, font_path), (width, size), (fmt, quality) in (
        (f, s, q) for f in fonts.items() for s in SIZES for q in FORMATS
    ):
        label = fmt if quality is None else f"{fmt} q{quality}"
        texts, timing = [], []
        for post in posts:
            data = encode(render(post, font_path, width, size), fmt, quality)
            started = time.perf_counter()
            clean = check_image(data, max_bytes=5_000_000, max_pixels=40_000_000)
            read = ocr(clean.image)
            timing.append(time.perf_counter() - started)
            texts.append(read)
        labels = [r["misinfo"] for r in analyzer.analyze(texts)]
        for post, read, seconds, was, now in zip(
            posts, texts, timing, original, labels, strict=True
        ):
            cer = Levenshtein.distance(folded(post), folded(read)) / len(folded(post))
            rows.append((label, font_name, width, cer, was == now, seconds))
        print(
            f"{font_name:12} {width:5} px  {label:9}  CER {statistics.mean(r[3] for r in rows[-len(posts) :]):6.2%}"
            f"  same label {sum(r[4] for r in rows[-len(posts) :]) / len(posts):6.1%}"
            f"  {statistics.mean(timing):.2f} s/shot (max {max(timing):.2f})",
            flush=True,
        )
    print()
    for label in ("PNG", "JPEG q90", "JPEG q60"):
        part = [r for r in rows if r[0] == label]
        print(
            f"{label:9} CER mean {statistics.mean(r[3] for r in part):6.2%}  "
            f"median {statistics.median(r[3] for r in part):6.2%}  "
            f"same misinfo label {sum(r[4] for r in part) / len(part):6.1%}  (n={len(part)})"
        )
    seconds = [r[5] for r in rows]
    print(
        f"all       same misinfo label {sum(r[4] for r in rows) / len(rows):6.1%}  "
        f"{statistics.mean(seconds):.2f} s per screenshot (p95 "
        f"{sorted(seconds)[int(0.95 * (len(seconds) - 1))]:.2f}, max {max(seconds):.2f}); "
        f"{len(posts)} posts, labels of the originals: "
        f"{', '.join(f'{k} {original.count(k)}' for k in sorted(set(original)))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
