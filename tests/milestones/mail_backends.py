"""Mail backends for the reminder tests: the outbox of Django's locmem backend, with an SMTP
server that refuses some addresses, or that takes its time."""

from __future__ import annotations

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses mail to the addresses in ``refused``, as an SMTP server would."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if self.refused & set(message.to):
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"no") for address in message.to}
                )
        return super().send_messages(messages)


class SlowBackend(EmailBackend):
    """Takes a moment per message, so that two scans running at once overlap."""

    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)
