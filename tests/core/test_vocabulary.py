"""One vocabulary: every domain value has its Vietnamese label, and the web app, the report and
the classifiers read the same names (core.vocabulary)."""

from __future__ import annotations

import pytest

from api.web.i18n import VI
from core import tables, vocabulary
from core.vocabulary import TABLES, web_labels
from nlp.pipeline import CLASSIFIERS
from report import document, formats


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=[e.__name__ for e, _ in TABLES])
def test_every_value_has_one_vietnamese_label(enum: type, table: dict[str, str]) -> None:
    assert set(table) == {m.value for m in enum}  # type: ignore[attr-defined]
    assert all(label.strip() for label in table.values())


def test_the_web_app_shows_the_vocabulary_s_labels() -> None:
    for key, label in web_labels().items():
        assert VI[key] == label
    assert VI["misinfo_distortion"] == vocabulary.MISINFO_VI["distortion"]


def test_the_report_and_the_classifiers_use_the_same_names() -> None:
    assert document.MISINFO_VI is formats.MISINFO_VI is vocabulary.MISINFO_VI
    assert document.SENTIMENT_VI is vocabulary.SENTIMENT_VI
    assert CLASSIFIERS["sentiment"] == tuple(vocabulary.Sentiment)
    assert CLASSIFIERS["misinfo"] == tuple(vocabulary.Misinfo)
    # the database's enums are the vocabulary's
    assert tables.VerdictLabel is vocabulary.VerdictLabel
    assert tables.TaskStatus is vocabulary.TaskStatus
    assert tables.Role is vocabulary.Role
