"""Online booking ("antrean online", issue 13): the office's rules, the slots, the bookings and their codes.

- config.py: what the office sets per service and weekday (stored as the setting "booking", audited);
- codes.py: the short code a resident types and the signed codes of the QR (B1.<code>.<mac> in its status URL,
  the older LKB1:...);
- status.py: the booking on the resident's status page (/s/<signed code>), its ticket once checked in;
- operations.py: book, cancel, release no-shows, find a booking, its view, the check-in window;
- challenge.py: the optional proof-of-work (the ALTCHA protocol) against bots.
"""
