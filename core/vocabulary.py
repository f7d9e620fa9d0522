"""The domain's label vocabulary, named once: the classifiers' classes, the reviewers' verdicts,
the review task's states and the roles, each an enum, and one Vietnamese label for every value.

The web app (``api.web.i18n``) and the weekly report (``report``) read their Vietnamese labels
from the tables here, so a value added to an enum without a label fails
``tests/core/test_vocabulary.py`` instead of disappearing from the dashboard or the report. The enums
are ``StrEnum``: a member equals its string (``Misinfo.scam == "scam"``), which is what the
database, the API and the stored models carry.
"""

from __future__ import annotations

from enum import StrEnum


class Sentiment(StrEnum):
    """The sentiment classifier's classes."""

    negative = "negative"
    neutral = "neutral"
    positive = "positive"


class Misinfo(StrEnum):
    """The misinformation classifier's classes: ``distortion`` (a false or fabricated claim of
    fact about the policy) and ``scam`` (content that itself tries to defraud)."""

    none = "none"
    distortion = "distortion"
    scam = "scam"


class Role(StrEnum):
    """What an account may do (collaborators review; analysts also decide escalations and
    retrain; admins also manage accounts and feeds)."""

    collaborator = "collaborator"
    analyst = "analyst"
    admin = "admin"


class TaskStatus(StrEnum):
    """A review task's state in the queue."""

    pending = "pending"
    claimed = "claimed"
    decided = "decided"
    escalated = "escalated"


class VerdictLabel(StrEnum):
    """What a verdict says about an item (``Verdict.label``)."""

    distortion = "distortion"
    scam = "scam"
    not_misinformation = "not_misinformation"
    escalate = "escalate"


class VerdictKind(StrEnum):
    """Who gave a verdict (``Verdict.kind``): a collaborator's review, or an analyst's override
    (a final decision with a reason)."""

    review = "review"
    override = "override"


# The classes in the order the classifiers, the report and the charts list them (plain strings:
# what the stored models' ``classes_`` hold).
SENTIMENTS: tuple[str, ...] = tuple(m.value for m in Sentiment)
MISINFO_CLASSES: tuple[str, ...] = tuple(m.value for m in Misinfo)
# The misinformation classes that are a flag (and the verdicts that confirm one).
FLAGS: tuple[str, ...] = (Misinfo.distortion.value, Misinfo.scam.value)
VERDICTS: tuple[str, ...] = tuple(m.value for m in VerdictLabel)
# An analyst's final decision on an escalated task: every verdict but passing it on again.
FINAL_VERDICTS: tuple[str, ...] = tuple(v for v in VERDICTS if v != VerdictLabel.escalate)
STATUSES: tuple[str, ...] = tuple(m.value for m in TaskStatus)
# The states of a task that still waits for a decision.
OPEN_STATUSES: tuple[str, ...] = (
    TaskStatus.pending.value,
    TaskStatus.claimed.value,
    TaskStatus.escalated.value,
)
ROLES: tuple[str, ...] = tuple(m.value for m in Role)

# One Vietnamese label per value, keyed by the enum's members (plain strings to the lookups: the
# database and the API hand these values over as ``str``). Wording: the guideline's "xuyên tạc, sai lệch" for a
# distortion the machine suspects; the reviewers' buttons are shorter ("Sai lệch"), being
# read on a phone under the card that explains them.
SENTIMENT_VI: dict[str, str] = {
    Sentiment.negative: "Tiêu cực",
    Sentiment.neutral: "Trung tính",
    Sentiment.positive: "Tích cực",
}
MISINFO_VI: dict[str, str] = {
    Misinfo.none: "Không",
    Misinfo.distortion: "Xuyên tạc, sai lệch",
    Misinfo.scam: "Lừa đảo",
}
ROLE_VI: dict[str, str] = {
    Role.collaborator: "cộng tác viên",
    Role.analyst: "chuyên viên phân tích",
    Role.admin: "quản trị",
}
STATUS_VI: dict[str, str] = {
    TaskStatus.pending: "chờ xử lý",
    TaskStatus.claimed: "đang xem",
    TaskStatus.decided: "đã kết luận",
    TaskStatus.escalated: "chuyển cấp trên",
}
VERDICT_VI: dict[str, str] = {
    VerdictLabel.distortion: "Sai lệch",
    VerdictLabel.scam: "Lừa đảo",
    VerdictLabel.not_misinformation: "Không có vấn đề",
    VerdictLabel.escalate: "Chưa chắc – chuyển cấp trên",
}

# Every table with the enum it labels (tests/core/test_vocabulary.py checks each is complete).
TABLES: tuple[tuple[type[StrEnum], dict[str, str]], ...] = (
    (Sentiment, SENTIMENT_VI),
    (Misinfo, MISINFO_VI),
    (Role, ROLE_VI),
    (TaskStatus, STATUS_VI),
    (VerdictLabel, VERDICT_VI),
)


def web_labels() -> dict[str, str]:
    """The tables as the web app's message keys: ``sentiment_<value>``, ``misinfo_<value>``,
    ``role_<value>``, ``status_<value>``, ``verdict_<value>`` → the Vietnamese label."""
    prefixes = {
        Sentiment: "sentiment",
        Misinfo: "misinfo",
        Role: "role",
        TaskStatus: "status",
        VerdictLabel: "verdict",
    }
    return {
        f"{prefixes[enum]}_{value}": label
        for enum, table in TABLES
        for value, label in table.items()
    }
