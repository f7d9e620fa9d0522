"""The review queue, one module per job — this module gathers their public names, so that callers
keep one entry point (``from review import queue``; ``queue.claim_next(…)``):

* ``review.triage``: which analysed items become tasks and their ``priority`` (``enqueue_flagged``);
* ``review.leases``: claim, renew, skip and release a task (``claim_next``, ``held_task``, …);
* ``review.verdicts``: decide a held task, the two-person rule, analysts' ``override``;
* ``review.history``: take a verdict back or change it (``undo``, ``change_verdict``, …);
* ``review.given``: what a reviewer has given (``verdicts_given``, ``undo_offer``).

What a decided task means for training is ``review.decisions``'; every step is audited.
"""

from __future__ import annotations

from review.given import GivenVerdict, UndoOffer, undo_offer, verdicts_given
from review.history import (
    UNDO_SLACK_S,
    change_verdict,
    get_verdict,
    send_to_review,
    undo,
    undo_left,
)
from review.leases import (
    TASK_LOADS,
    LeaseError,
    LeaseExpired,
    claim_next,
    claimable_count,
    get_task,
    held_task,
    pending_count,
    release,
    renew,
    skip,
)
from review.triage import ENQUEUE_LOCK_ID, RECENCY_HALF_LIFE_H, enqueue_flagged, priority
from review.verdicts import decide, escalations, override

__all__ = [
    "ENQUEUE_LOCK_ID",
    "RECENCY_HALF_LIFE_H",
    "TASK_LOADS",
    "UNDO_SLACK_S",
    "GivenVerdict",
    "LeaseError",
    "LeaseExpired",
    "UndoOffer",
    "change_verdict",
    "claim_next",
    "claimable_count",
    "decide",
    "enqueue_flagged",
    "escalations",
    "get_task",
    "get_verdict",
    "held_task",
    "override",
    "pending_count",
    "priority",
    "release",
    "renew",
    "send_to_review",
    "skip",
    "undo",
    "undo_left",
    "undo_offer",
    "verdicts_given",
]
