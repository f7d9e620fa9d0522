"""Bad input in an import costs only its own line (issue 13): the good rows are stored, each bad
line is reported with its number and a plain cause."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from collector import store
from collector.importer import MAX_TEXT, _csv, _jsonl, import_file
from core.tables import Item
from core.text import clean


def _stored(session: Session) -> dict[str, Item]:
    return {str(i.external_id): i for i in session.scalars(select(Item))}


def _jsonl_file(tmp_path: Path, lines: list[bytes]) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _good(pid: str) -> bytes:
    row = {"id": pid, "text": f"Bài {pid} về chuyển đổi số ở xã", "source": "Nhóm A"}
    return json.dumps(row, ensure_ascii=False).encode()


def test_a_number_too_long_to_read_costs_only_its_line(session: Session, tmp_path: Path) -> None:
    path = _jsonl_file(
        tmp_path,
        [_good("a"), b'{"id": ' + b"9" * 5000 + b', "text": "x", "source": "A"}', _good("b")],
    )
    stats = import_file(session, path)
    assert stats.errors == [(2, "invalid JSON: a number too long to read")]
    assert set(_stored(session)) == {"a", "b"}


def test_a_link_too_long_once_canonical_costs_nothing(session: Session, tmp_path: Path) -> None:
    # 2,048 characters as sent; the canonical form gains a "/" (2,049) and cannot be stored: the
    # row is kept without a link (as one that is not http(s) is).
    link = "http://a.vn?a=" + "x" * (2048 - 14)
    row = {"id": "long", "text": "Đường link rất dài", "source": "A", "url": link}
    path = _jsonl_file(tmp_path, [_good("a"), json.dumps(row).encode(), _good("b")])
    stats = import_file(session, path)
    assert (stats.new, stats.errors) == (3, [])
    item = _stored(session)["long"]
    assert (item.url, item.canonical_url) == (None, None)


def test_a_row_the_database_refuses_costs_only_itself(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store._values

    def refuse_one(*args: Any) -> dict[str, object]:
        values = real(*args)
        if values["external_id"] == "bad":
            values["title"] = {"not": "bindable"}  # no driver can bind a dict to a text column
        return values

    monkeypatch.setattr(store, "_values", refuse_one)
    path = _jsonl_file(tmp_path, [_good("a"), _good("bad"), _good("b")])
    stats = import_file(session, path)
    assert stats.errors == [(2, "refused by the database (see the log)")]
    assert (stats.new, set(_stored(session))) == (2, {"a", "b"})


def test_one_nul_in_a_csv_costs_nothing(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(b"id,text,source\nc1,good\x00one,S\nc2,good two,S\n")
    stats = import_file(session, path)
    assert (stats.new, stats.errors) == (2, [])
    assert stats.warnings == [(2, "1 NUL character(s) removed")]
    assert _stored(session)["c1"].text == "goodone"


UNCLOSED = "a quote opened on this line is not closed (the row ran on to {}); " + (
    "this line is skipped and the lines after it are read as rows"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "errors", "kept"),
    [
        # An open quote runs to the end of the file: every row after it was swallowed.
        (
            'u1,một,S\nu2,"hai không đóng,S\nu3,ba,S\nu4,bốn,S\n',
            [(3, UNCLOSED.format("the end of the file"))],
            {"u1", "u3", "u4"},
        ),
        # ... in the last column too.
        (
            'u1,một,S\nu2,hai,"S không đóng\nu3,ba,S\n',
            [(3, UNCLOSED.format("the end of the file"))],
            {"u1", "u3"},
        ),
        # An open quote closed by the next quoted field: the rows between were swallowed.
        (
            'u1,một,S\nu2,"hai,S\nu3,ba,S\nu4,"bốn, năm",S\nu5,sáu,S\n',
            [(3, UNCLOSED.format("line 5"))],
            {"u1", "u3", "u4", "u5"},
        ),
        # A quoted field with line breaks and doubled quotes is one row, not an error.
        ('u1,"một\nhai ""ba""\nbốn",S\nu2,năm,S\n', [], {"u1", "u2"}),
    ],
    ids=["to-the-end", "last-column", "closed-later", "multi-line-field"],
)
def test_an_unclosed_csv_quote_is_reported_and_swallows_no_row(
    session: Session, tmp_path: Path, body: str, errors: list[tuple[int, str]], kept: set[str]
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,source\n" + body, encoding="utf-8")
    stats = import_file(session, path)
    assert stats.errors == errors
    assert set(_stored(session)) == kept
    assert all('"' not in item.text or "ba" in item.text for item in _stored(session).values())


def test_import_command_reports_each_bad_line_and_stores_the_good_ones(
    cli_env: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    dated = {"id": "y1", "text": "Năm một", "source": "A", "published_at": "0001-01-01T00:00:00"}
    path = _jsonl_file(
        tmp_path,
        [
            _good("a"),
            b'{"id": "u", "text": "Ng\xff\xfei d\xf9ng", "source": "A"}',
            json.dumps(dated).encode(),
            b"[" * 100_000,
            b'{"id": ' + b"9" * 5000 + b"}",
            json.dumps({"id": "n", "text": "NUL \u0000 ở đây", "source": "A\u0000"}).encode(),
            _good("b"),
        ],
    )
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "7 rows: 4 new, 0 already stored, 3 bad." in result.output
    for line in ("line 2: not valid UTF-8", "line 3: date", "line 4: invalid JSON: nested"):
        assert line in result.output
    assert "line 5: invalid JSON: a number too long to read" in result.output


# --- properties of the readers (no database) -----------------------------------------------

HOSTILE = st.one_of(
    st.binary(min_size=1, max_size=80),
    st.sampled_from(
        [
            b"[" * 100_000,
            b'{"a": ' + b"[" * 5000 + b"}",
            b'{"id": ' + b"1" * 5000 + b"}",
            b'{"text": "\\ud800"}',
            b"\xff\xfe\x00",
            b"null",
        ]
    ),
)
GOOD_ROW = st.fixed_dictionaries(
    {"id": st.text(max_size=10), "text": st.text(max_size=40), "published_at": st.text(max_size=8)}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(GOOD_ROW, HOSTILE), max_size=12))
@example([b"\xef\xbb\xbf", {"id": "1", "text": "x", "published_at": ""}])
@example([b"", b"[1]", {"id": "1", "text": "x", "published_at": ""}])
def test_jsonl_reader_keeps_every_good_line_whatever_the_others_hold(
    lines: list[dict[str, str] | bytes],
) -> None:
    raw = [
        json.dumps(x, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if isinstance(x, dict)
        else x.replace(b"\n", b" ")
        for x in lines
    ]
    if raw and (
        b"\n".join(raw).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["
        or raw[0].startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        # By design a file opening with "[" (after blanks and blank lines: hypothesis found a
        # blank first line before one) is refused as a JSON array, one opening with a UTF-16/32
        # byte order mark is read in that encoding.
        raw.insert(0, b"{}")
        lines.insert(0, {})
    read = _jsonl(b"\n".join(raw))
    by_line = {n: (row, error) for n, row, error in read.rows}
    for n, (x, r) in enumerate(zip(lines, raw, strict=True), 1):
        # the file's UTF-8 byte order mark is not part of its first line: a line of a BOM and
        # blanks is blank (hypothesis found b"\xef\xbb\xbf" as a first line)
        if not (r.removeprefix(b"\xef\xbb\xbf") if n == 1 else r).strip():
            assert n not in by_line
            continue
        row, error = by_line[n]
        assert (row is None) != (error is None)
        if isinstance(x, dict) and "\ud800" not in json.dumps(x, ensure_ascii=False):
            assert row == x


FIELD = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs")),
        st.sampled_from('",;|\t\n\r\x00'),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FIELD, min_size=1, max_size=8))
def test_a_csv_as_csv_writer_writes_it_reads_back_row_for_row(texts: list[str]) -> None:
    # More than 16 NULs (and 1 % of the file) is a binary file, refused as a whole by design.
    assume(sum(t.count("\x00") for t in texts) <= 16)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "text"])
    for k, text in enumerate(texts):
        writer.writerow([f"r{k}", f"Tiêu đề {k}", text])
    read = _csv(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), "posts.csv")
    assert [error for _, _, error in read.rows] == [None] * len(texts)
    rows = [row for _, row, _ in read.rows]
    assert [r["id"] for r in rows if r] == [f"r{k}" for k in range(len(texts))]
    for row, text in zip(rows, texts, strict=True):
        assert row is not None
        assert clean(row["text"][:MAX_TEXT]) == clean(text)
