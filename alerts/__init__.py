"""Alerts: tell analysts and admins in time when a confirmed distortion or scam keeps spreading,
a new story grows unusually fast, the review queue waits too long or a feed falls silent.

``check_and_send(session, settings, now)`` evaluates the rules (``alerts.rules``), records each
new alert once per window and delivers it by e-mail (SMTP) and to a JSON webhook
(``alerts.channels``); ``duluan alerts check`` runs it once, the worker once per cycle.
"""

from alerts.service import check_and_send, get_subscription, list_alerts, set_subscription
from core.tables import Alert, AlertDelivery, AlertRule, AlertSubscription

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertRule",
    "AlertSubscription",
    "check_and_send",
    "get_subscription",
    "list_alerts",
    "set_subscription",
]
