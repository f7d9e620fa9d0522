"""The `duluan` command line: help everywhere, the predict contract, and the demo end to end."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from cli import DEMO_USERS, app
from core.config import get_settings
from nlp import lifecycle
from nlp.evaluate import load_rows
from nlp.retrain import seed_held_out
from tests.apps import Apps, login

runner = CliRunner()


def _commands(cmd: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    if hasattr(cmd, "commands"):  # a group (Typer ships its own click, so no isinstance)
        for name, sub in cmd.commands.items():
            out += _commands(sub, (*prefix, name))
    return out


@pytest.mark.parametrize("path", _commands(get_command(app)), ids=lambda p: " ".join(p) or "duluan")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    assert len(_commands(get_command(app))) > 12
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert len(result.output) > 100


def _predict(lines: list[str] | list[bytes], exit_code: int = 0) -> tuple[list[dict], str]:
    data: str | bytes = (
        b"\n".join(lines) + b"\n"  # type: ignore[arg-type]
        if lines and isinstance(lines[0], bytes)
        else "\n".join(lines) + "\n"  # type: ignore[arg-type]
    )
    result = runner.invoke(app, ["predict"], input=data)
    assert result.exit_code == exit_code, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return rows, result.stderr


CONTRACT = {
    "id",
    "relevant",
    "relevance",
    "sentiment",
    "sentiment_scores",
    "misinfo",
    "misinfo_scores",
    "risk",
    "reasons",
    "model_versions",
}


def test_predict_contract_with_and_without_diacritics() -> None:
    texts = {
        "scam": "Tài khoản VNeID của bạn sắp bị khóa, vui lòng cung cấp mã OTP tại http://vneid-gov.xyz/xt ngay",
        "scam_nodiac": "tai khoan vneid cua ban sap bi khoa, vui long cung cap ma otp tai http://vneid-gov.xyz/xt ngay",
        "distortion": "Thực chất nghị quyết 57 bắt buộc mỗi hộ dân nộp phí chuyển đổi số, báo chí không dám đăng",
        "distortion_nodiac": "thuc chat nghi quyet 57 bat buoc moi ho dan nop phi chuyen doi so, bao chi khong dam dang",
        "criticism": "Cổng dịch vụ công chậm quá, nộp hồ sơ cả buổi sáng không được",
        "warning": "Cảnh báo: tuyệt đối không cung cấp mã OTP cho người lạ tự xưng cán bộ VNeID",
    }
    rows, stderr = _predict(
        [json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in texts.items()]
    )
    by_id = {r["id"]: r for r in rows}
    assert list(by_id) == list(texts)
    for r in rows:
        assert set(r) >= CONTRACT
        assert isinstance(r["relevant"], bool)
        assert 0 <= r["relevance"] <= 1
        assert 0 <= r["risk"] <= 1
        assert r["sentiment"] in {"negative", "neutral", "positive"}
        assert set(r["sentiment_scores"]) == {"negative", "neutral", "positive"}
        assert abs(sum(r["sentiment_scores"].values()) - 1) < 0.01
        assert set(r["misinfo_scores"]) == {"distortion", "scam"}
        assert set(r["model_versions"]) >= {"relevance", "sentiment", "misinfo"}
        for reason in r["reasons"]:
            assert {"kind", "evidence", "message", "weight"} <= set(reason)
        if r["misinfo"] != "none":
            assert any(reason["evidence"] and reason["weight"] > 0 for reason in r["reasons"])
    assert by_id["scam"]["misinfo"] == by_id["scam_nodiac"]["misinfo"] == "scam"
    assert by_id["distortion"]["misinfo"] == by_id["distortion_nodiac"]["misinfo"] == "distortion"
    assert by_id["criticism"]["misinfo"] == "none"
    assert by_id["criticism"]["sentiment"] == "negative"
    assert by_id["warning"]["misinfo"] == "none"
    assert "6 scored, 0 errors" in stderr


def test_predict_bad_lines_yield_errors_and_processing_goes_on() -> None:
    rows, stderr = _predict(
        [
            '{"id": 1, "text": "Dịch vụ công nhanh"}',
            "not json",
            '{"id": 3}',
            "[1, 2]",
            '{"id": 5, "text": "Cảm ơn tổ công nghệ số"}',
        ],
        exit_code=1,  # any failed line: the exit status says so
    )
    assert [r["id"] for r in rows] == [1, None, 3, None, 5]
    assert "error" in rows[1]
    assert "text" in rows[2]["error"]
    assert "sentiment" in rows[4]
    assert "2 scored, 3 errors" in stderr


def test_predict_unreadable_bytes_deep_nesting_and_huge_numbers_cost_only_their_line() -> None:
    good = [
        json.dumps({"id": i, "text": t}, ensure_ascii=False).encode()
        for i, t in enumerate(["Dịch vụ công nhanh", "Cảm ơn tổ công nghệ số", "Cổng chậm quá"])
    ]
    rows, stderr = _predict(
        [
            b"\xef\xbb\xbf" + good[0],  # a BOM on the first line is allowed
            b'{"id": 9, "text": "Ng\xff\xfei d\xf9ng"}',
            b"[" * 100_000,
            b'{"id": 8, "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            good[1],
            b'{"id": ' + b"7" * 5000 + b', "text": "x"}',
            b'{"id": "\\ud800", "text": "Mot \\udc00 hai"}',  # lone surrogates (JSON escapes)
            good[2],
        ],
        exit_code=1,
    )
    assert [r.get("error") for r in rows] == [
        None,
        "line 2: not valid UTF-8 (byte 0xff at column 22)",
        "line 3: invalid JSON: nested too deeply",
        "line 4: invalid JSON: nested too deeply",
        None,
        "line 6: invalid JSON: a number too long to read",
        None,
        None,
    ]
    assert [r["id"] for r in rows] == [0, None, None, None, 1, None, "\ud800", 2]
    assert all("sentiment" in rows[i] for i in (0, 4, 6, 7))
    assert "4 scored, 4 errors" in stderr


def test_predict_a_text_that_breaks_the_scorer_costs_only_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nlp.analyze import Analyzer

    real = Analyzer.analyze

    def breaks_on_boom(self: Analyzer, texts: list[str]) -> list[dict]:
        if "BOOM" in texts:
            raise RuntimeError("scorer bug")
        return real(self, texts)

    monkeypatch.setattr(Analyzer, "analyze", breaks_on_boom)
    rows, stderr = _predict(
        ['{"id": 1, "text": "Một"}', '{"id": 2, "text": "BOOM"}', '{"id": 3, "text": "Ba"}'],
        exit_code=1,
    )
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[1] == {"id": 2, "error": "line 2: not scored (RuntimeError)"}
    assert "sentiment" in rows[0]
    assert "sentiment" in rows[2]
    assert "2 scored, 1 errors" in stderr


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries({"id": st.integers() | st.text(), "text": st.text()}).map(
            lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")
        ),
    )
)
def test_read_predict_line_never_raises_and_keeps_every_readable_text(raw: bytes) -> None:
    from cli.nlp import read_predict_line

    raw = raw.replace(b"\n", b" ")
    id_, text, why = read_predict_line(2, raw)
    assert (text is None) != (why is None)
    if why is not None:
        assert why.startswith("line 2: ")
    try:
        row = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return
    if isinstance(row, dict) and isinstance(row.get("text"), str):
        assert (id_, text) == (row.get("id"), row["text"])


def test_predict_files(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        '{"id": "a", "text": "Ninh Bình vào nhóm 10 tỉnh dẫn đầu về DTI"}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["predict", "--input", str(src), "--output", str(dst)])
    assert result.exit_code == 0
    assert json.loads(dst.read_text(encoding="utf-8"))["id"] == "a"


def test_the_live_demo_feed_gains_an_entry_every_interval() -> None:
    from datetime import UTC, datetime, timedelta

    from cli.serve import live_feed_xml

    entries = [{"id": f"e{i}", "title": f"Tin <{i}>", "text": "x & y"} for i in range(3)]
    start = datetime(2026, 11, 30, tzinfo=UTC)
    counts = [
        live_feed_xml(entries, start, start + timedelta(seconds=s), 60).count("<item>")
        for s in (0, 59, 60, 130, 10_000)
    ]
    assert counts == [1, 1, 2, 3, 3]
    assert "Tin &lt;1&gt;" in live_feed_xml(entries, start, start + timedelta(seconds=61), 60)


@pytest.mark.slow
def test_the_demo_worker_brings_new_items_while_the_demo_serves(cli_env: Path) -> None:
    """What a newcomer sees after `make run`: the worker collects the live feed's new posts,
    analyses them, and they appear among the items."""
    import time

    from sqlalchemy import func, select, update

    from cli.app import make_factory
    from cli.serve import LIVE_FEED, start_demo_worker
    from core.tables import Analysis, Feed, Item

    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    settings = get_settings()
    factory = make_factory(settings)
    with factory() as s:
        before = s.scalar(select(func.count(Item.id)))
        # the live feed is due now, not 30 s after the demo's collection
        s.execute(update(Feed).where(Feed.name == LIVE_FEED[1]).values(next_check_at=None))
        s.commit()

    def counts() -> tuple[int, int]:
        """(items gained since the start, items still without an analysis)."""
        with factory() as s:
            grown = (s.scalar(select(func.count(Item.id))) or 0) - (before or 0)
            waiting = s.scalar(
                select(func.count(Item.id)).where(
                    ~select(Analysis.id).where(Analysis.item_id == Item.id).exists()
                )
            )
        return grown, waiting or 0

    # a new post every second, polled every second here (every minute and 30 s in the demo)
    stop = start_demo_worker(
        settings.model_copy(update={"min_interval_s": 1}), every=1.0, live_poll_s=1
    )
    try:
        # Until the worker has brought at least two items and analysed them: stopping as soon as
        # they are stored would stop it between its collection and its analysis, which is
        # allowed (what is stored and not yet analysed waits for the next run).
        deadline = time.monotonic() + 90
        grown, waiting = 0, 0
        while time.monotonic() < deadline and not (grown >= 2 and waiting <= 1):
            time.sleep(0.5)
            grown, waiting = counts()
    finally:
        stop()
    assert grown >= 2
    assert waiting <= 1  # the worker analysed them (at most the newest is in between)


@pytest.mark.slow
def test_demo_then_a_collaborator_decides_through_the_api(cli_env: Path, apps: Apps) -> None:
    """The foundation's promise: fresh database → demo → log in, claim, read reasons, decide."""
    result = runner.invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    for username, _, password in DEMO_USERS:
        assert f"{username} / {password}" in result.output
    again = runner.invoke(app, ["demo", "--no-serve"])  # re-running stores nothing twice
    assert again.exit_code == 0
    assert "0 tin mới" in again.output

    client = apps(get_settings())
    headers = login(client, "ctv1", "ctv1-demo-2026")
    seen = []
    while (r := client.post("/api/v1/queue/claim", headers=headers)).status_code == 200:
        task = r.json()
        misinfo = task["analysis"]["misinfo"]
        if task["reason"] == "risk":  # flagged: a distortion or scam, with evidence
            flagged = [x for x in task["analysis"]["reasons"] if x["weight"] > 0 and x["evidence"]]
            assert misinfo in {"distortion", "scam"}
            assert flagged
            seen.append(task["item"]["title"])
        else:  # the uncertain or audit share: shown so reviewers also check the unflagged
            assert task["reason"] in {"uncertain", "audit"}
        assert task["source_count"] >= 1
        verdict = misinfo if misinfo != "none" else "not_misinformation"
        r = client.post(
            f"/api/v1/tasks/{task['id']}/verdict",
            headers=headers,
            json={"verdict": verdict, "note": "demo"},
        )
        assert r.status_code == 200
    assert r.status_code == 204
    assert len(seen) >= 4
    assert not any("Cảnh báo" in t or "Bác bỏ" in t or "Đính chính" in t for t in seen)

    out = cli_env.parent / "w48.md"
    result = runner.invoke(app, ["report", "weekly", "--week", "2026-W48", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = out.read_text(encoding="utf-8")
    assert "Tổng hợp dư luận tuần 2026-W48" in report
    assert "| Lừa đảo | " in report


def test_users_add_reads_password_from_stdin(cli_env: Path) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    result = runner.invoke(
        app,
        ["users", "add", "Lan", "--role", "analyst", "--password-stdin"],
        input="mat-khau-dai\n",
    )
    assert result.exit_code == 0
    assert "lan (analyst)" in result.output
    dup = runner.invoke(
        app,
        ["users", "add", "lan", "--role", "analyst", "--password-stdin"],
        input="mat-khau-dai\n",
    )
    assert dup.exit_code == 1
    assert "already exists" in dup.output
    assert "lan" in runner.invoke(app, ["users", "list"]).output
    assert runner.invoke(app, ["users", "disable", "lan"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["users", "list"]).output
    assert runner.invoke(app, ["users", "disable", "nobody"]).exit_code == 1
    short = runner.invoke(
        app, ["users", "add", "hoa", "--role", "analyst", "--password-stdin"], input="ngan\n"
    )
    assert short.exit_code == 1
    # a wrong role is refused before the password is asked for (none is given here)
    boss = runner.invoke(app, ["users", "add", "hoa", "--role", "boss"], input="")
    assert boss.exit_code == 1
    assert "Password" not in boss.output
    assert "Vai trò không hợp lệ" in boss.output


def test_the_commands_a_person_mistypes_answer_vietnamese_first(cli_env: Path) -> None:
    """Found trying the README as a new user: these printed English after "Lỗi / error:"."""
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    for args, vietnamese in [
        (["models", "show", "topic"], "Không có bộ phân loại 'topic'"),
        (["train", "--classifier", "topic"], "Không có bộ phân loại 'topic'"),
        (["report", "weekly", "--week", "2026-W99"], "Tuần '2026-W99' không hợp lệ"),
        (["report", "weekly", "--format", "pdf"], "Định dạng phải là một trong"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert f"Lỗi / error: {vietnamese}" in result.output, result.output


def test_import_reports_bad_lines(cli_env: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": 1, "text": "Bài một", "source": "Nhóm A"}\n{oops\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0
    assert "line 2" in result.output
    assert "1 new" in result.output


@pytest.mark.slow  # trains
def test_retrain_loop_from_the_command_line(
    cli_env: Path, tmp_path: Path, tiny_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """demo → decide → labels export → train --include-reviews → promote → analyze --since
    records the new version → rollback."""
    import shutil

    from sqlalchemy import func, select

    from cli.app import make_factory
    from core.config import ROOT
    from core.tables import Analysis, ReviewTask, TaskStatus, User, Verdict

    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models, ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.setenv("DULUAN_MODELS_DIR", str(models))
    monkeypatch.setenv(
        "DULUAN_DATA_DIR", str(tiny_data)
    )  # trains on a tiny seed: the loop, not the quality
    get_settings.cache_clear()
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0
    factory = make_factory(get_settings())
    with factory() as s:
        tasks = s.scalars(select(ReviewTask)).all()
        reviewer = s.scalar(select(User).where(User.username == "ctv1"))
        for task in tasks:
            s.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label="not_misinformation"))
            task.status = TaskStatus.decided
        s.commit()
    out = tmp_path / "labels.jsonl"
    result = runner.invoke(app, ["labels", "export", "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(tasks)
    assert {"text", "misinfo", "decided_at"} <= set(rows[0])

    result = runner.invoke(
        app, ["train", "--classifier", "sentiment", "--include-reviews", "--C", "1"]
    )
    assert result.exit_code == 0, result.output
    # the seed's fixed held-out tenth and the check set, counted from the files
    held = sum(seed_held_out(str(r["id"])) for r in load_rows(lifecycle.seed_file(get_settings())))
    checks = len(load_rows(lifecycle.check_file(get_settings())))
    assert f"evaluation set: {held + checks} rows ({held} held-out seed + {checks} check set" in (
        result.output
    )
    version = re.search(r"sentiment (\S+): ", result.output).group(1)
    before = json.loads(runner.invoke(app, ["models", "show", "sentiment"]).output)["version"]
    result = runner.invoke(
        app, ["models", "promote", "sentiment", version, "--force", "--reason", "kiểm thử"]
    )
    assert result.exit_code == 0, result.output
    assert "*" in next(
        line
        for line in runner.invoke(app, ["models", "list"]).output.splitlines()
        if version in line
    )
    assert runner.invoke(app, ["analyze", "--since", "2000-01-01"]).exit_code == 0
    with factory() as s:
        latest = s.scalar(select(Analysis).order_by(Analysis.id.desc()).limit(1))
        assert latest.model_versions["sentiment"] == version
        assert s.scalar(select(func.count(Analysis.id))) >= 2 * len(tasks)
    result = runner.invoke(app, ["models", "rollback", "sentiment"])
    assert result.exit_code == 0, result.output
    assert (
        json.loads(runner.invoke(app, ["models", "show", "sentiment"]).output)["version"] == before
    )
    get_settings.cache_clear()


def test_commands_on_a_database_without_the_schema_say_to_migrate(cli_env: Path) -> None:
    result = runner.invoke(app, ["feeds", "list"])  # nothing migrated yet
    assert result.exit_code == 1
    assert "no duluan tables yet: run `duluan migrate` first" in result.output
    assert "Lỗi / error: cơ sở dữ liệu" in result.output  # Vietnamese first
    assert "chưa có bảng của duluan: hãy chạy `duluan migrate` trước" in result.output
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    empty = runner.invoke(app, ["feeds", "list"])
    assert empty.exit_code == 0
    assert empty.output.startswith("Chưa có nguồn tin nào")  # not silence
    from sqlalchemy import create_engine, text

    engine = create_engine(get_settings().database_url)
    with engine.begin() as conn:  # as if the code were newer than the schema
        conn.execute(text("UPDATE alembic_version SET version_num = '82febb28cfbc'"))
    engine.dispose()
    result = runner.invoke(app, ["train", "--task", "sentiment"])
    assert result.exit_code == 1
    assert "is at schema revision 82febb28cfbc" in result.output
    assert "đang ở phiên bản lược đồ 82febb28cfbc" in result.output
    assert "run `duluan migrate`" in result.output


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://duluan@127.0.0.1:1/duluan",  # nothing listens on port 1
        "bogus://x",  # no such driver
    ],
)
@pytest.mark.parametrize("command", [["feeds", "list"], ["migrate"]])
def test_a_database_that_cannot_be_opened_is_one_line_vietnamese_first(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, url: str, command: list[str]
) -> None:
    monkeypatch.setenv("DULUAN_DATABASE_URL", url)
    get_settings.cache_clear()
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi / error: không mở được cơ sở dữ liệu")
    assert "(cannot open the database" in result.output
    assert result.output.count("\n") == 1  # one line, the driver's words included
    assert "Traceback" not in result.output


def test_collecting_an_unknown_feed_is_an_error_not_an_empty_pass(cli_env: Path) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    result = runner.invoke(app, ["collect", "--feed-id", "99999"])
    assert result.exit_code == 1
    assert "no feed 99999" in result.output


def test_serve_refuses_a_database_that_is_not_migrated(cli_env: Path) -> None:
    result = runner.invoke(app, ["serve", "--port", "8799"])
    assert result.exit_code == 1
    assert "run `duluan migrate` first" in result.output


def test_feeds_add_and_import_refuse_non_public_addresses(cli_env: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    result = runner.invoke(app, ["feeds", "add", "http://[2002:7f00:1::]/rss", "--name", "X"])
    assert result.exit_code != 0
    assert "Not a public address" in result.output
    opml = tmp_path / "f.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="L" xmlUrl="http://192.168.1.1/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["feeds", "import-opml", str(opml)])
    assert result.exit_code != 0
    assert "non-public" in result.output
    assert "192.168.1.1" not in runner.invoke(app, ["feeds", "list"]).output


def test_a_domain_refusal_is_one_error_line_and_exit_code_1_for_every_command() -> None:
    """``cli.app.convert_refusals`` wraps every command of every sub-app once: a DomainError
    becomes the one-line message and exit 1; any other exception still propagates."""
    import typer

    from cli.app import convert_refusals
    from core.errors import NotFound

    toy, sub = typer.Typer(), typer.Typer()
    toy.add_typer(sub, name="sub")

    @toy.command("top")
    def top() -> None:
        raise NotFound("Không có gì. (nothing)")

    @sub.command("deep")
    def deep() -> None:
        raise NotFound("Không có tin. (no item)")

    @sub.command("bug")
    def bug() -> None:
        raise RuntimeError("a bug")

    convert_refusals(toy)
    convert_refusals(toy)  # idempotent: wrapped once
    out = runner.invoke(toy, ["top"])
    assert out.exit_code == 1
    assert "Lỗi / error: Không có gì. (nothing)" in out.output
    out = runner.invoke(toy, ["sub", "deep"])
    assert out.exit_code == 1
    assert "Không có tin" in out.output
    assert isinstance(runner.invoke(toy, ["sub", "bug"]).exception, RuntimeError)
    wrapped = [c.callback for c in app.registered_commands if c.callback is not None]
    assert wrapped
    assert all(getattr(f, "_converts_refusals", False) for f in wrapped)


def test_predict_files_with_a_failed_line_exit_non_zero_and_keep_the_good_lines(
    tmp_path: Path,
) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "text": "Dịch vụ công nhanh"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["predict", "--input", str(src), "--output", str(dst)])
    assert result.exit_code == 1
    assert "1 scored, 1 errors" in result.stderr
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", None]
    assert "sentiment" in rows[0]
    assert "error" in rows[1]


def test_help_is_reflowed_to_the_terminal_not_broken_where_the_source_breaks() -> None:
    """The source breaks docstrings at 100 columns; the help must wrap at the terminal's."""
    import typer

    def commands(group: Any) -> Iterator[tuple[str, Any]]:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):  # a group (typer's own click)
                yield from ((f"{name} {sub}", c) for sub, c in commands(command))
            else:
                yield name, command

    found = dict(commands(typer.main.get_command(app)))
    assert {"train", "purge", "demo", "feeds list"} <= set(found)
    for name, command in found.items():
        first = (command.help or "").split("\n\n")[0]
        assert "\n" not in first, name
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    assert "same evaluation set, save it under" in result.output


@given(
    st.lists(
        st.lists(st.text(alphabet="abc ,.đ", min_size=1, max_size=20).map(str.strip), min_size=1),
        min_size=1,
        max_size=4,
    )
)
def test_reflow_joins_the_lines_of_each_paragraph_and_keeps_the_paragraphs(
    paragraphs: list[list[str]],
) -> None:
    from cli.app import reflow

    lines = [[line for line in p if line] or ["x"] for p in paragraphs]
    doc = "\n\n".join("\n".join(p) for p in lines)
    out = reflow(doc).split("\n\n")
    assert len(out) == len(lines)
    for got, want in zip(out, lines, strict=True):
        assert "\n" not in got
        assert got.split() == " ".join(want).split()


def test_feeds_list_shows_times_in_vietnam_time_as_the_pages_do(cli_env: Path) -> None:
    from datetime import UTC, datetime

    from cli.app import make_factory
    from tests.factories import make_feed

    assert runner.invoke(app, ["migrate"]).exit_code == 0
    with make_factory(get_settings())() as s:
        feed = make_feed(s, url="https://feed.example/rss", name="Báo thử")
        feed.last_success_at = datetime(2026, 11, 30, 17, 9, tzinfo=UTC)
        s.commit()
    result = runner.invoke(app, ["feeds", "list"])
    assert result.exit_code == 0
    assert "last ok: 00:09 01/12/2026" in result.output  # 17:09 UTC is past midnight in Hà Nội
