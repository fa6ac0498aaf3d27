"""Messages to residents that are never lost and never sent twice (issue 14): the outbox.

- moments.py: which ticket and booking events make a message (booked, reminder, ahead, called, pending,
  returned, ready), written in the event's own transaction, once per idempotency key;
- texts.py: the moments' texts; their defaults, placeholders and the office's edits live in
  loket.core.contact (beside the office settings, which hold the edits), as does the number's one stored form;
- channels.py: the small `Channel` interface, the HTTP gateway and a recording fake;
- worker.py: claims due messages, sends them in order per resident, retries with backoff, reclaims a
  crashed worker's messages after their lease.
"""
