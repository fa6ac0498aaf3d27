"""Messages to residents that are never lost and never sent twice (issue 14): the outbox.

<<<<<<< HEAD
- moments.py: which ticket events make a message, written in the event's own transaction;
- texts.py: the default texts (Indonesian, then English), one per moment;
- channels.py: the small `Channel` interface, the HTTP gateway, SMS by gammu-smsd's files, SMTP, a recording
  fake, and `Routes` (which channel takes which kind of row);
- limits.py: each channel's daily cap (counted at the claim), its health, their staff alerts;
=======
- moments.py: which ticket and booking events make a message (booked, reminder, ahead, called, pending,
  returned, ready), written in the event's own transaction, once per idempotency key;
- texts.py: the moments' texts; their defaults, placeholders and the office's edits live in
  loket.core.contact (beside the office settings, which hold the edits), as does the number's one stored form;
- channels.py: the small `Channel` interface, the HTTP gateway and a recording fake;
>>>>>>> notify
- worker.py: claims due messages, sends them in order per resident, retries with backoff, reclaims a
  crashed worker's messages after their lease.
"""
