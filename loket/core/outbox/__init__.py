"""Messages to residents that are never lost and never sent twice (issue 14): the outbox.

- moments.py: which ticket events make a message, written in the event's own transaction;
- texts.py: the default texts (Indonesian, then English), one per moment;
- channels.py: the small `Channel` interface, the HTTP gateway, SMS by gammu-smsd's files, SMTP, a recording
  fake, and `Routes` (which channel takes which kind of row);
- limits.py: each channel's daily cap (counted at the claim), its health, their staff alerts;
- worker.py: claims due messages, sends them in order per resident, retries with backoff, reclaims a
  crashed worker's messages after their lease.
"""
