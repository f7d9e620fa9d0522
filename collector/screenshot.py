"""Screenshots handed in by collaborators: untrusted bytes checked, re-encoded, read by OCR.

An upload is refused (``ImageRefused``, a Vietnamese message with the English after it) unless
it is a PNG, JPEG or WebP file of at most ``max_bytes`` whose declared size stays under
``max_pixels`` (checked from the header, before any pixel is decoded: a decompression bomb never
reaches memory), that decodes completely (a truncated file is refused, never padded), carries no
second file behind or inside it (a polyglot: bytes after the image's end, or an HTML/script/ZIP/
PDF signature) and no oversized metadata (EXIF over ``MAX_EXIF_BYTES``). What is kept is a fresh
PNG made from the pixels alone: EXIF (GPS position included), ICC profiles, comments and text
chunks are gone. OCR runs Tesseract (``pytesseract``, a subprocess with an argument list, never
a shell) on a pre-processed copy: scaled so that phone text is ~30 px high, grey, thresholded
(dark mode inverted), then lines that are interface chrome (times, reaction counts, buttons)
are dropped.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_EXIF_BYTES = 60_000  # a phone's EXIF is a few KB; one with a thumbnail stays under 60 KB
MAX_METADATA_BYTES = 256 * 1024  # every text chunk, comment and ICC profile together
# A second file hidden in or behind the image (HTML/script, ZIP/JAR/Office, PDF, ELF, PE).
_FOREIGN = re.compile(
    rb"<script|<html|<svg|<\?php|<iframe|PK\x03\x04|%PDF-|\x7fELF|MZ\x90\x00", re.I
)
# Slack allowed after the image's end (some encoders pad a few bytes).
TRAILING_SLACK = 16


class ImageRefused(ValueError):
    """An upload that is not a safe PNG/JPEG/WebP image; ``message`` is Vietnamese (English in
    parentheses) and shown to the person who sent it."""

    def __init__(self, message: str, code: str = "image_refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanImage:
    """A checked screenshot: ``png`` is the re-encoded file (no metadata); pixels ``width`` ×
    ``height``; ``image`` the decoded RGB pixels (for OCR)."""

    png: bytes
    width: int
    height: int
    image: Image.Image


def _png_end(data: bytes) -> int | None:
    """Offset just past the IEND chunk, walking the chunks (None if the walk fails)."""
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return int(pos)
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the last EOI marker (None if there is none)."""
    end = data.rfind(b"\xff\xd9")
    return end + 2 if end >= 0 else None


def _webp_end(data: bytes) -> int | None:
    """Offset past the RIFF container its header declares."""
    if len(data) < 12:
        return None
    (size,) = struct.unpack("<I", data[4:8])
    return int(8 + size + (size & 1))


def _jpeg_metadata(data: bytes) -> int:
    """Bytes in a JPEG's APPn and COM segments (EXIF, XMP, ICC, comments), up to its scan."""
    pos, total = 2, 0
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: metadata comes before it
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            total += length
        pos += 2 + length
    return total


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _metadata_size(image: Image.Image) -> tuple[int, int]:
    """(EXIF bytes, all metadata bytes) as Pillow read them from the header."""
    exif = image.info.get("exif") or b""
    total = 0
    for value in image.info.values():
        if isinstance(value, bytes | str):
            total += len(value)
    if hasattr(image, "text"):  # PNG text chunks (read up to the image data)
        total += sum(len(k) + len(v) for k, v in image.text.items())
    return len(exif) if isinstance(exif, bytes | str) else 0, total


def check_image(data: bytes, *, max_bytes: int, max_pixels: int) -> CleanImage:
    """Check an uploaded image and re-encode it without metadata.

    Raises ``ImageRefused`` (Vietnamese message) for: more than ``max_bytes``; not PNG/JPEG/WebP
    by its bytes (the name and declared type are not believed); a declared size over
    ``max_pixels`` or whose decoding Pillow flags as a bomb; a truncated or corrupt file; bytes
    after the image's end or a foreign file's signature inside it (polyglot); EXIF over
    ``MAX_EXIF_BYTES`` or metadata over ``MAX_METADATA_BYTES``. Returns the PNG of the pixels
    (EXIF orientation applied first, then dropped with everything else).
    """
    if len(data) > max_bytes:
        raise ImageRefused(
            f"Ảnh quá lớn: tối đa {max_bytes // 1_000_000} MB mỗi ảnh. (Image over {max_bytes} bytes.)",
            "image_too_large",
        )
    kind = _sniff(data)
    if kind is None:
        raise ImageRefused(
            "Chỉ nhận ảnh PNG, JPEG hoặc WebP. (Only PNG, JPEG or WebP images.)", "image_type"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
            width, height = image.size
            if width * height > max_pixels or width <= 0 or height <= 0:
                raise ImageRefused(
                    f"Ảnh có kích thước quá lớn ({width} × {height} điểm ảnh), không được nhận. "
                    "(Too many pixels: a decompression bomb?)",
                    "image_bomb",
                )
            exif_bytes, meta_bytes = _metadata_size(image)
            if kind == "JPEG":
                meta_bytes = max(meta_bytes, _jpeg_metadata(data))
            if exif_bytes > MAX_EXIF_BYTES or meta_bytes > MAX_METADATA_BYTES:
                raise ImageRefused(
                    "Ảnh chứa quá nhiều siêu dữ liệu (EXIF), không được nhận. "
                    "(Oversized EXIF/metadata.)",
                    "image_metadata",
                )
            image.load()  # truncated data raises here (LOAD_TRUNCATED_IMAGES stays off)
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)
            oriented = ImageOps.exif_transpose(image)
            rgb = _flatten(oriented)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(
            "Ảnh có kích thước quá lớn, không được nhận. (Decompression bomb.)", "image_bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ImageRefused(
            "Ảnh bị cắt cụt hoặc hỏng, không đọc được. (Truncated or corrupt image.)",
            "image_truncated",
        ) from exc
    end = {"PNG": _png_end, "JPEG": _jpeg_end, "WEBP": _webp_end}[kind](data)
    if end is None or end > len(data):
        raise ImageRefused(
            "Ảnh bị cắt cụt hoặc hỏng, không đọc được. (Truncated image.)", "image_truncated"
        )
    if len(data) - end > TRAILING_SLACK or _FOREIGN.search(data):
        raise ImageRefused(
            "Tệp ảnh có chứa dữ liệu khác ngoài ảnh nên không được nhận. "
            "(Another file behind or inside the image: a polyglot file.)",
            "image_polyglot",
        )
    out = io.BytesIO()
    rgb.save(out, format="PNG", optimize=False)  # a fresh file: pixels only
    return CleanImage(out.getvalue(), rgb.width, rgb.height, rgb)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency composed over white (as the screenshot was seen)."""
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


# --- OCR -------------------------------------------------------------------------------------

# Interface chrome of phone screenshots: a line that is only one of these is dropped.
_CHROME = [
    re.compile(p, re.I)
    for p in (
        r"^\W*\d{1,2}[:.]\d{2}(\s*(SA|CH|AM|PM))?\W*$",  # a clock: 9:41, 14:05 CH
        r"^\W*(\d+\s*(giây|phút|giờ|ngày|tuần|tháng|năm|g|p|ph|h|d)\s*(trước)?|vừa xong|hôm qua"
        r"(\s+lúc\s+\d{1,2}[:.]\d{2})?)\W*$",
        r"^\W*(\d+([.,]\d+)?\s*[KkNnTr]?\s*)?(lượt thích|lượt chia sẻ|bình luận|chia sẻ|thích"
        r"|trả lời|phản hồi|lượt xem|lượt bày tỏ cảm xúc)(\W+(\d+([.,]\d+)?\s*[KkNn]?\s*)?"
        r"(lượt thích|lượt chia sẻ|bình luận|chia sẻ|thích|trả lời|phản hồi|lượt xem))*\W*$",
        r"^\W*\d+([.,]\d+)?\s*[KkNn]?\W*$",  # a bare count: 1,2K · 35
        # a status bar: clock, battery, network, in any order ("9:41 87% 4G")
        r"^\W*(\d{1,2}[:.]\d{2}|\d{1,3}\s*%|LTE|4G|5G|Wi-?Fi|VoLTE)"
        r"(\W+(\d{1,2}[:.]\d{2}|\d{1,3}\s*%|LTE|4G|5G|Wi-?Fi|VoLTE))*\W*$",
        r"^\W*(Viết bình luận|Nhập tin nhắn|Soạn tin nhắn|Aa)\W*\.*$",
    )
]


def drop_chrome(text: str) -> str:
    """``text`` without the lines that are only interface chrome (times, "2 giờ", "Thích ·
    Bình luận · Chia sẻ", reaction counts, status-bar items, the message box), and with the
    lines a screen wrapped joined again: one line per paragraph (Tesseract ends a paragraph
    with a blank line; a dropped chrome line ends one too)."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or any(p.match(stripped) for p in _CHROME):
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(stripped)
    return "\n".join(" ".join(p) for p in paragraphs if p)


def tesseract_missing(lang: str = "vie") -> str | None:
    """Why OCR cannot run here (Vietnamese, with English), or None when Tesseract and the
    ``lang`` data are installed (Debian: ``make ocr`` installs tesseract-ocr and -vie)."""
    if shutil.which("tesseract") is None:
        return (
            "Máy chủ chưa cài Tesseract nên chưa đọc được chữ trong ảnh. (tesseract not installed)"
        )
    try:
        import pytesseract

        langs = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # noqa: BLE001 - any failure to ask means OCR is unavailable
        return f"Không gọi được Tesseract. (tesseract failed: {type(exc).__name__})"
    wanted = set(lang.split("+"))
    if not wanted <= langs:
        return (
            "Máy chủ chưa cài dữ liệu tiếng Việt cho Tesseract (tesseract-ocr-vie). "
            f"(missing language data: {', '.join(sorted(wanted - langs))})"
        )
    return None


TARGET_WIDTH = 1600  # pixels the OCR works at: phone text then stands ~30 px high


def prepare_for_ocr(image: Image.Image) -> Image.Image:
    """A copy for Tesseract: grey, scaled to about ``TARGET_WIDTH`` pixels wide (a 360-720 px
    phone screenshot is enlarged; a large one reduced), inverted when dark mode (mean < 128),
    contrast stretched and thresholded at the midpoint (Tesseract reads black on white best)."""
    grey = ImageOps.grayscale(image)
    scale = TARGET_WIDTH / grey.width
    if scale > 1.1 or scale < 0.9:
        scale = min(scale, 4.0)
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    histogram = grey.histogram()
    mean = sum(i * n for i, n in enumerate(histogram)) / max(1, sum(histogram))
    if mean < 128:
        grey = ImageOps.invert(grey)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    return grey.point(lambda v: 255 if v > 150 else 0)


def ocr(image: Image.Image, lang: str = "vie", timeout_s: float = 30.0) -> str:
    """The text of a screenshot: Tesseract on ``prepare_for_ocr(image)`` (page segmentation 4,
    one column of lines of varying size), interface chrome dropped (``drop_chrome``).

    Raises ``RuntimeError`` when Tesseract is missing or fails, or takes over ``timeout_s``."""
    import pytesseract

    try:
        raw = pytesseract.image_to_string(
            prepare_for_ocr(image), lang=lang, config="--psm 4", timeout=timeout_s
        )
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError) as exc:
        raise RuntimeError(f"tesseract failed: {exc}") from exc
    return drop_chrome(raw)
