"""Every message a person can see is Vietnamese first, with the English in parentheses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "collector", "review", "nlp", "api", "cli", "alerts")


def _shown() -> set[str]:
    """The errors whose message reaches a person (the API's JSON ``message``, the web app's
    error page and flash, the CLI's ``fail(exc.message)``): ``core.errors.DomainError`` and every
    class that derives from it, found by walking the class definitions of the packages."""
    bases: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases.setdefault(node.name, set()).update(
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    )
    shown = {"DomainError"}
    while True:
        more = {name for name, of in bases.items() if of & shown} - shown
        if not more:
            return shown
        shown |= more


SHOWN = _shown()
VIETNAMESE = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I
)


def _literal_text(node: ast.expr) -> str | None:
    """The constant text of a message argument (f-string parts joined), ``None`` if it is not
    a literal (a variable passed through)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def _raises() -> list[tuple[str, int, str, ast.Call]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                    continue
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in SHOWN:
                    found.append((str(path.relative_to(ROOT)), node.lineno, name, node.exc))
    return found


def test_the_scan_finds_the_raises() -> None:
    # the scan itself works: the known raises are seen (a broken walk would pass everything)
    places = {(p, n) for p, _, n, _ in _raises()}
    assert ("core/accounts.py", "UserExists") in places  # a Conflict
    assert ("collector/feeds.py", "BadUrl") in places  # an Invalid
    assert ("review/leases.py", "LeaseExpired") in places  # a LeaseError, a Conflict
    assert {"NotFound", "Conflict", "Invalid", "AccountLocked", "GateRefused"} <= SHOWN
    assert len(places) > 40


@pytest.mark.parametrize(
    ("path", "line", "name", "call"),
    [pytest.param(*r, id=f"{r[0]}:{r[1]}") for r in _raises()],
)
def test_every_shown_error_is_vietnamese_with_english(
    path: str, line: int, name: str, call: ast.Call
) -> None:
    assert call.args, f"{path}:{line}: {name} without a message"
    text = _literal_text(call.args[0])
    assert text is not None, f"{path}:{line}: {name} message is not a literal"
    assert VIETNAMESE.search(text), f"{path}:{line}: {name} message has no Vietnamese: {text!r}"
    vietnamese = text.split("(", 1)[0]
    assert VIETNAMESE.search(vietnamese), f"{path}:{line}: Vietnamese must come first: {text!r}"
    interpolated = any(
        isinstance(v, ast.FormattedValue) for v in getattr(call.args[0], "values", [])
    )
    if not interpolated:  # a value put in (a reason) may carry the parentheses itself
        assert re.search(r"\(.+\)", text), f"{path}:{line}: English goes in parentheses: {text!r}"
