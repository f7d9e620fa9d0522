from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.importer import ImportFormatError, import_file
from core.tables import Feed, Item
from tests.conftest import cp1258, shared_case


def test_jsonl_import_keeps_good_rows_and_reports_bad_ones(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        {
            "id": "p1",
            "url": "https://fb.example/p/1",
            "text": "Cổng dịch vụ công chậm quá",
            "published_at": "2026-11-24T08:00:00",
            "source": "Nhóm A",
        },
        {"id": "p2", "text": ""},
        "not json",
        {"id": "p3", "text": "Bài không có nguồn"},
        {"id": "p4", "text": "Ngày sai", "published_at": "hôm qua", "source": "Nhóm A"},
    ]
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    stats = import_file(session, path)
    assert (stats.rows, stats.new) == (5, 2)
    assert [line for line, _ in stats.errors] == [2, 3, 4]
    # An unreadable date keeps the row, without a date (the fetch time is used), and warns.
    assert stats.warnings == [
        (
            5,
            "date 'hôm qua' not read; the fetch time is used "
            "(relative date 'hôm qua': the time it is relative to is unknown)",
        )
    ]
    item = session.scalars(select(Item).where(Item.external_id == "p1")).one()
    assert item.published_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # naive = Vietnam time
    assert session.scalar(select(Feed.kind).where(Feed.id == item.feed_id)) == "import"
    assert session.scalar(select(Item.published_at).where(Item.external_id == "p4")) is None
    again = import_file(session, path)
    assert (again.new, again.duplicate) == (0, 2)


def test_csv_import_uses_default_source(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,url,title,text,published_at\n1,,Tiêu đề,Nội dung bài,2026-11-25T10:00:00+07:00\n",
        encoding="utf-8",
    )
    stats = import_file(session, path, default_source="Kênh B")
    assert stats.new == 1
    assert not stats.errors
    assert session.scalar(select(Item.source)) == "Kênh B"


# --- files as Excel and real exports write them ------------------------------------------------

HEADER = "id,url,title,text,published_at,source"
POSTS = [
    ("fb-1", "Cảnh báo lừa đảo", "Mọi người cẩn thận, đừng bấm vào đường link lạ!"),
    ("fb-2", "", "Thủ tục cấp đổi giấy phép lái xe trên cổng dịch vụ công nhanh thật."),
]


def case_file(name: str) -> Path:
    return shared_case(f"import/{name}")


def table(sep: str = ",", posts: list[tuple[str, str, str]] = POSTS) -> str:
    lines = [HEADER.replace(",", sep)]
    for pid, title, text in posts:
        fields = [pid, f"https://fb.example/{pid}", title, text, "27/11/2026 08:15", "Nhóm A"]
        lines.append(sep.join(f'"{f}"' if sep in f else f for f in fields))
    return "\r\n".join(lines) + "\r\n"


def texts(session: Session) -> dict[str, str]:
    return {
        str(row.external_id): row.text
        for row in session.execute(select(Item.external_id, Item.text)).all()
    }


def test_c12b_excel_semicolon_csv(session: Session) -> None:
    stats = import_file(session, case_file("c12b-excel-semicolon.csv"), default_source="Nhóm A")
    assert (stats.rows, stats.new, stats.errors) == (2, 2, [])
    assert (stats.encoding, stats.separator) == ("utf-8", ";")
    got = texts(session)
    assert got["fb-2001"] == (
        "Cảnh báo: nhóm lừa đảo giả danh cán bộ thuế yêu cầu cài ứng dụng lạ để "
        '"cập nhật mã số thuế".\nMọi người cẩn thận nhé!'
    )
    assert got["fb-2002"] == (
        "Thủ tục cấp đổi giấy phép lái xe trên cổng dịch vụ công nhanh thật, "
        "chỉ mất 10 phút; rất tiện!"
    )
    published = session.scalar(select(Item.published_at).where(Item.external_id == "fb-2002"))
    assert published == datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


def test_c12c_excel_ansi_windows_1258_csv(session: Session) -> None:
    path = case_file("c12c-excel-ansi-cp1258.csv")
    expected = unicodedata.normalize("NFC", path.read_bytes().decode("cp1258"))
    stats = import_file(session, path, default_source="Nhóm A")
    assert (stats.rows, stats.new, stats.errors) == (2, 2, [])
    assert (stats.encoding, stats.separator) == ("cp1258", ",")
    got = texts(session)
    assert got["fb-3001"].startswith("Cảnh báo: nhóm lừa đảo giả danh cán bộ thuế")
    assert got["fb-3001"].endswith("Mọi người cẩn thận nhé!")
    assert got["fb-3002"] == (
        "Thủ tục cấp đổi giấy phép lái xe trên cổng dịch vụ công nhanh thật, "
        "chỉ mất 10 phút; rất tiện!"
    )
    for text in got.values():
        assert unicodedata.is_normalized("NFC", text)
        assert text.replace('"', '""') in expected


def test_utf16_tab_separated_unicode_text(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_bytes(table("\t").encode("utf-16"))  # BOM + UTF-16 LE, as Excel writes it
    stats = import_file(session, path)
    assert (stats.new, stats.errors, stats.warnings) == (2, [], [])
    assert (stats.encoding, stats.separator) == ("utf-16-le", "\t")
    assert texts(session) == {pid: text for pid, _, text in POSTS}
    assert session.scalar(select(Item.title).where(Item.external_id == "fb-1")) == POSTS[0][1]


def test_windows_1252_csv(session: Session, tmp_path: Path) -> None:
    posts = [("w-1", "Café", "Le café – « très » cher, 5 €; l’été à Hà Nội")]
    path = tmp_path / "posts.csv"
    path.write_bytes(table(",", posts).encode("cp1252", "replace"))
    stats = import_file(session, path)
    assert (stats.new, stats.errors) == (1, [])
    assert stats.encoding == "cp1252"
    assert texts(session) == {"w-1": "Le café – « très » cher, 5 €; l’été à Hà N?i"}


def test_windows_1258_csv_without_the_case_file(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(cp1258(table(";")))
    stats = import_file(session, path)
    assert (stats.new, stats.errors, stats.encoding, stats.separator) == (2, [], "cp1258", ";")
    assert texts(session) == {pid: text for pid, _, text in POSTS}


def test_utf8_without_bom_semicolons_and_capitalised_header(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "posts.csv"
    body = table(";").replace("text;published_at", "Text ; Published_At", 1)
    path.write_bytes(body.encode("utf-8") + b";;;;;\r\n")  # an empty row Excel leaves
    stats = import_file(session, path)
    assert (stats.rows, stats.new, stats.errors, stats.separator) == (2, 2, [], ";")
    assert texts(session) == {pid: text for pid, _, text in POSTS}


def test_pipe_separated(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(table("|"), encoding="utf-8")
    assert import_file(session, path).new == 2


def test_no_text_or_title_column_is_one_line_error(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id;noi_dung;ngay\n1;Bài một;27/11/2026\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as exc:
        import_file(session, path)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith("posts.csv: no `text` or `title` column in the header")
    assert "'id;noi_dung;ngay'" in message
    assert "separator ';' detected" in message


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (bytes(range(256)) * 8, "cannot tell the encoding of posts.csv"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "posts.csv is an Excel workbook"),
        (b"text\n" + b"\x00\x01\x02\x03" * 50, "posts.csv does not look like a text file"),
    ],
)
def test_binary_or_undeterminable_file_is_one_line_error(
    session: Session, tmp_path: Path, data: bytes, found: str
) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as exc:
        import_file(session, path)
    assert str(exc.value).startswith(found)
    assert "\n" not in str(exc.value)
    assert "save it as CSV UTF-8" in str(exc.value)


def test_few_invalid_bytes_in_a_utf8_csv_are_replaced_with_a_warning(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "posts.csv"
    good = table(",", POSTS * 3).encode("utf-8")
    path.write_bytes(good.replace("đừng".encode(), b"\xe1\xba", 1))
    stats = import_file(session, path)
    assert stats.encoding == "utf-8"
    assert stats.warnings == [(2, "1 invalid UTF-8 byte sequence(s) replaced")]
    assert "Mọi người cẩn thận, \ufffd bấm" in texts(session)["fb-1"]


def test_jsonl_keeps_the_good_lines_around_bad_bytes_and_deep_nesting(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    good = [
        json.dumps({"id": pid, "text": text, "source": "Nhóm A"}, ensure_ascii=False).encode()
        for pid, _, text in POSTS
    ]
    bad_utf8 = b'{"id": "x", "text": "Ng\xff\xfei d\xf9ng", "source": "Nh\xf3m A"}'
    deep = b"[" * 100_000 + b"]" * 100_000
    # U+2028 inside a JSON string is valid JSON and must not split the line.
    separator = json.dumps({"id": "ls", "text": "a\u2028b", "source": "A"}, ensure_ascii=False)
    path.write_bytes(
        b"\xef\xbb\xbf"
        + b"\n".join([good[0], bad_utf8, deep, separator.encode(), b"", good[1]])
        + b"\n"
    )
    stats = import_file(session, path)
    assert (stats.rows, stats.new) == (5, 3)
    assert stats.errors == [
        (2, "not valid UTF-8 (byte 0xff at column 24)"),
        (3, "invalid JSON: nested too deeply"),
    ]
    assert set(texts(session)) == {"fb-1", "fb-2", "ls"}


def test_dates_vietnamese_shapes_and_unreadable_ones(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        {"id": "d1", "text": "Một", "published_at": "Thứ sáu, 27/11/2026, 08:15 (GMT+7)"},
        {"id": "d2", "text": "Hai", "published_at": "11/27/2026 08:15"},
        {"id": "d3", "text": "Ba", "published_at": 1764206100},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    stats = import_file(session, path, default_source="Nhóm A")
    assert (stats.new, stats.errors) == (3, [])
    assert [line for line, _ in stats.warnings] == [2, 3]
    assert stats.warnings[0][1].startswith("date '11/27/2026 08:15' not read; the fetch time")
    dates = dict(session.execute(select(Item.external_id, Item.published_at)).all())
    assert dates == {"d1": datetime(2026, 11, 27, 1, 15, tzinfo=UTC), "d2": None, "d3": None}


@pytest.mark.parametrize(
    "data",
    [
        b"id,text\r\n1,\xf0\xe3 l\xe8 n\xe8 \xf0\xe3 b\xe8\r\n",  # "đă" in windows-1250 and -1258
        b"id,text\r\n1,S\xe3o Paulo\r\n",  # one non-ASCII byte: "São", "Săo" or Big5 "S緌"
    ],
)
def test_undecidable_code_page_is_one_line_error(
    session: Session, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as exc:
        import_file(session, path)
    message = str(exc.value)
    assert message.startswith("cannot tell the encoding of posts.csv (looks like windows-125")
    assert "windows-1258" in message
    assert message.endswith("); save it as CSV UTF-8")
