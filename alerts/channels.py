"""The channels an alert goes out on: e-mail over SMTP and a JSON webhook.

Each ``send_*`` either delivers or raises ``DeliveryError`` (or the library's own error); the
caller (``alerts.service.deliver_due``) records the failure and tries again later.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from core.config import Settings
from core.tables import Alert

CHANNELS = ("email", "webhook")


class DeliveryError(RuntimeError):
    """A channel could not deliver (not configured, refused, unreachable)."""


def payload(alert: Alert, base_url: str) -> dict[str, Any]:
    """The webhook's JSON body: ``text`` (title and text, what chat bots show), ``title``,
    ``rule``, ``subject`` (``kind``, ``id``), ``details`` (the rule's figures), ``alert_id``,
    ``created_at`` (ISO 8601, UTC) and ``url`` (the alerts page)."""
    return {
        "alert_id": alert.id,
        "rule": alert.rule,
        "subject": {"kind": alert.subject_kind, "id": alert.subject_id},
        "title": alert.title,
        "text": f"{alert.title}\n{alert.text}",
        "details": alert.details,
        "created_at": alert.created_at.isoformat(),
        "url": f"{base_url.rstrip('/')}/alerts",
    }


def send_webhook(settings: Settings, alert: Alert) -> None:
    """POST ``payload(alert)`` to ``DULUAN_ALERT_WEBHOOK_URL``; any answer but 2xx is a failure
    (``DeliveryError``), as is a network error (``httpx.HTTPError``)."""
    url = settings.alert_webhook_url.strip()
    if not url:
        raise DeliveryError("no webhook configured (DULUAN_ALERT_WEBHOOK_URL is empty)")
    response = httpx.post(
        url,
        json=payload(alert, settings.public_url),
        timeout=settings.alert_send_timeout_s,
        headers={"User-Agent": settings.user_agent},
    )
    if not response.is_success:
        raise DeliveryError(f"webhook answered HTTP {response.status_code}")


def email_message(settings: Settings, alert: Alert, to: str) -> EmailMessage:
    """The alert as a plain-text UTF-8 e-mail to ``to`` (subject "[Dư luận] <title>")."""
    message = EmailMessage()
    message["Subject"] = f"[Dư luận] {alert.title}"
    message["From"] = settings.alert_smtp_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.alert_smtp_from.rpartition("@")[2] or None)
    message.set_content(
        f"{alert.title}\n\n{alert.text}\n\n"
        f"Mọi cảnh báo: {settings.public_url.rstrip('/')}/alerts\n"
        "(Bạn nhận thư này vì đã đăng ký nhận cảnh báo trên Dư luận.)\n"
    )
    return message


def send_email(settings: Settings, alert: Alert, to: str) -> None:
    """Send the alert to ``to`` through ``DULUAN_ALERT_SMTP_HOST``: plain, STARTTLS or implicit
    TLS (``DULUAN_ALERT_SMTP_TLS``), logging in when a user is set. Raises ``DeliveryError``
    when no host is configured, ``smtplib.SMTPException``/``OSError`` when sending fails."""
    host = settings.alert_smtp_host.strip()
    if not host:
        raise DeliveryError("no SMTP server configured (DULUAN_ALERT_SMTP_HOST is empty)")
    mode = settings.alert_smtp_tls.strip().lower()
    if mode not in {"none", "starttls", "ssl"}:
        raise DeliveryError(f"DULUAN_ALERT_SMTP_TLS must be none, starttls or ssl, not {mode!r}")
    timeout = settings.alert_send_timeout_s
    context = ssl.create_default_context()
    smtp: smtplib.SMTP = (
        smtplib.SMTP_SSL(host, settings.alert_smtp_port, timeout=timeout, context=context)
        if mode == "ssl"
        else smtplib.SMTP(host, settings.alert_smtp_port, timeout=timeout)
    )
    with smtp:
        if mode == "starttls":
            smtp.starttls(context=context)
        if settings.alert_smtp_user:
            password = settings.alert_smtp_password
            smtp.login(settings.alert_smtp_user, password.get_secret_value() if password else "")
        smtp.send_message(email_message(settings, alert, to))
