"""Codes that travel (issue 16): each site signs with its own Ed25519 key; any site that knows the site's public key
verifies its codes, none can make them; an office's HMAC codes still verify; every altered code is refused."""

from __future__ import annotations

import os
import stat
import string
import threading
from datetime import date

import pytest

from loket.core.booking.codes import BookingSigner
from loket.core.errors import InvalidCode
from loket.core.qr import CodeSigner
from loket.core.sites import keys
from loket.core.sites.keys import KnownSite, SiteKeys

DAY = date(2026, 12, 1)
TICKET_ID = 1_000_000_000_123  # site number 1's first range
FORGED = "Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."
BOOKING_FORGED = "Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."
#: What is put in place of each character: the base64url alphabet's edges, the separators, and others.
CHARACTERS = "AZaz09-_.:=+/ " + string.ascii_letters[::5]


@pytest.fixture(scope="module")
def site_keys(tmp_path_factory):
    """Site A's, B's and C's private keys, each made in its own instance folder."""
    folder = tmp_path_factory.mktemp("keys")
    return {code: keys.private_key(folder / code) for code in ("kec-a", "kec-b", "kec-c")}


def register(site_keys, *codes):
    """The sites' register as replication brings it: these sites' public keys."""
    return {c: KnownSite(c, f"Kecamatan {c[-1].upper()}", site_keys[c].public_key()) for c in codes}


def signer_at(site_keys, site: str, *known: str) -> CodeSigner:
    """The code signer of site `site` (its private key) knowing the public keys of `known`."""
    ring = SiteKeys(site, site_keys[site], lambda: register(site_keys, *known))
    return CodeSigner("secret-of-" + site, "dukcapil", ring)


def refusal(verify, payload: str) -> str | None:
    try:
        verify(payload)
    except InvalidCode as exc:
        return str(exc)
    return None


# ---- the key ------------------------------------------------------------------------------


def test_the_private_key_is_made_once_owner_only_and_read_back(tmp_path):
    first = keys.private_key(tmp_path / "instance")
    path = tmp_path / "instance" / keys.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    again = keys.private_key(tmp_path / "instance")
    assert keys.public_text(again) == keys.public_text(first)
    assert len(keys.public_text(first)) == keys.PUBLIC_KEY_CHARS
    assert [p.name for p in (tmp_path / "instance").iterdir()] == [keys.KEY_FILE]  # no draft left behind


def test_processes_starting_together_end_with_one_key(tmp_path):
    folder = tmp_path / "instance"
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(keys.public_text(keys.private_key(folder)))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(found)) == 1 and len(found) == 8


def test_a_key_readable_by_others_is_narrowed(tmp_path):
    keys.private_key(tmp_path)
    os.chmod(tmp_path / keys.KEY_FILE, 0o644)
    keys.private_key(tmp_path)
    assert stat.S_IMODE((tmp_path / keys.KEY_FILE).stat().st_mode) == 0o600


def test_a_public_key_is_32_bytes_of_canonical_base64url(site_keys):
    text = keys.public_text(site_keys["kec-a"])
    assert keys.public_text(keys.parse_public(text)) == text
    assert keys.public_text(keys.parse_public(f" {text}=\n")) == text  # padding and white space a paste adds
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    same_bytes = text[:-1] + alphabet[alphabet.index(text[-1]) | 1]  # 43 characters: the last one's 2 unused bits
    assert same_bytes != text
    for bad in (text[:-1], text + "A", text[:-1] + "!", "", "x" * 44, same_bytes):
        with pytest.raises(keys.BadKey):
            keys.parse_public(bad)


# ---- tickets --------------------------------------------------------------------------------


def test_a_site_signs_its_codes_naming_itself_and_verifies_them_without_the_register(site_keys):
    a = signer_at(site_keys, "kec-a")  # an empty register: its own key is its own
    short, plain = a.short(TICKET_ID, DAY, "A-012"), a.sign(TICKET_ID, DAY, "A-012")
    assert short.startswith(f"T2.kec-a.20261201.{TICKET_ID}.A-012.") and len(short) == 124
    assert plain.startswith(f"LKT2:kec-a:20261201:{TICKET_ID}:A-012.")
    assert short.rsplit(".", 1)[1] == plain.rsplit(".", 1)[1]  # one signature behind both
    for code in (short, plain, short + "\r\n"):
        claimed = a.verify(code)
        assert (claimed.site, claimed.ticket_id, claimed.day, claimed.number) == ("kec-a", TICKET_ID, DAY, "A-012")
    assert a.verify_short(short, lambda _id: None).site == "kec-a"  # needs no row


def test_another_site_verifies_a_site_s_code_by_its_public_key(site_keys):
    code = signer_at(site_keys, "kec-a").short(TICKET_ID, DAY, "A-012")
    claimed = signer_at(site_keys, "kec-b", "kec-a", "kec-b").verify(code)
    assert (claimed.site, claimed.number, claimed.day) == ("kec-a", "A-012", DAY)
    hub = CodeSigner("hub-secret", "dukcapil", SiteKeys("", None, lambda: register(site_keys, "kec-a")))
    assert hub.verify(code).site == "kec-a" and hub.site == ""  # the hub verifies, signs nothing of a site's


def test_a_site_cannot_make_another_site_s_code(site_keys):
    """Site B, with its own key, writes a code naming site A: every site refuses it, plainly, as forged."""
    b = signer_at(site_keys, "kec-b")
    own = b.short(TICKET_ID, DAY, "A-012")
    as_a = own.replace("T2.kec-b.", "T2.kec-a.")
    b_as_a = SiteKeys("kec-a", site_keys["kec-b"])  # B's key used to sign in A's name
    signed_as_a = CodeSigner("x", "dukcapil", b_as_a).short(TICKET_ID, DAY, "A-012")
    for verifier in ("kec-a", "kec-b", "kec-c"):
        signer = signer_at(site_keys, verifier, "kec-a", "kec-b", "kec-c")
        assert refusal(signer.verify, as_a) == FORGED
        assert refusal(signer.verify, signed_as_a) == FORGED


def test_a_code_of_a_site_whose_key_is_not_known_is_refused_saying_so(site_keys):
    code = signer_at(site_keys, "kec-c").short(TICKET_ID, DAY, "C-001")
    said = refusal(signer_at(site_keys, "kec-a", "kec-b").verify, code)
    assert said is not None and "kec-c" in said and "kunci" in said
    office = CodeSigner("test-secret", "dukcapil")  # a single office: no register at all
    assert refusal(office.verify, code) == "Tiket ini dari kantor lain."


def test_a_malformed_key_in_the_register_counts_as_none(site_keys):
    ring = SiteKeys("kec-b", site_keys["kec-b"], lambda: {})
    assert ring.known_site("kec-a") is None
    code = signer_at(site_keys, "kec-a").short(TICKET_ID, DAY, "A-012")
    assert refusal(CodeSigner("s", "dukcapil", ring).verify, code) is not None


@pytest.mark.parametrize("kind", ["short", "plain"])
def test_every_character_changed_removed_or_added_is_refused(site_keys, kind):
    a = signer_at(site_keys, "kec-a")
    code = getattr(a, "short" if kind == "short" else "sign")(TICKET_ID, DAY, "A-012")
    verifier = signer_at(site_keys, "kec-b", "kec-a")
    accepted = [
        variant
        for i in range(len(code))
        for variant in (
            *(code[:i] + c + code[i + 1 :] for c in CHARACTERS if c != code[i]),
            code[:i] + code[i + 1 :],
            code[:i] + "A" + code[i:],
        )
        if refusal(verifier.verify, variant) is None
    ]
    assert accepted == []
    assert refusal(verifier.verify, code + "A") is not None


def test_the_same_signature_spelled_otherwise_is_refused(site_keys):
    """64 bytes are 86 base64url characters whose last has 4 unused bits: setting them decodes to the same bytes."""
    code = signer_at(site_keys, "kec-a").short(TICKET_ID, DAY, "A-012")
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    last = alphabet.index(code[-1])
    same_bytes = [code[:-1] + alphabet[last | bits] for bits in range(1, 16) if last | bits != last]
    verifier = signer_at(site_keys, "kec-b", "kec-a")
    assert same_bytes and all(refusal(verifier.verify, c) == FORGED for c in same_bytes)
    for other in (
        code.replace(".20261201.", ".2026121."),
        code.replace(f".{TICKET_ID}.", f".0{TICKET_ID}."),
        code.replace(".A-012.", ".a-012."),
        code.replace("T2.", "t2."),
    ):
        assert refusal(verifier.verify, other) is not None


def test_an_office_s_hmac_codes_still_verify_after_it_became_a_site(site_keys):
    """Tickets printed before the move (LKT1, T1) scan at the site: same SECRET_KEY, same office id."""
    before = CodeSigner("secret-of-kec-a", "dukcapil")
    plain, short = before.sign(17, DAY, "B-001"), before.short(17, DAY, "B-001")
    now = signer_at(site_keys, "kec-a", "kec-a", "kec-b")
    assert now.verify(plain).ticket_id == 17 and now.verify(plain).site == ""
    assert now.verify_short(short, lambda i: (DAY, "B-001") if i == 17 else None).ticket_id == 17
    assert refusal(lambda c: now.verify_short(c, lambda i: (DAY, "B-002")), short) == FORGED
    # another site's secret does not open them
    assert refusal(signer_at(site_keys, "kec-b", "kec-a").verify, plain) == FORGED


def test_the_codes_are_signed_once_per_ticket(site_keys, monkeypatch):
    a = signer_at(site_keys, "kec-a")
    calls = []
    real = a.keys.sign
    monkeypatch.setattr(a.keys, "sign", lambda message: calls.append(message) or real(message))
    for _ in range(3):
        a.sign(5, DAY, "A-005")
        a.short(5, DAY, "A-005")
    assert len(calls) == 1


# ---- bookings -------------------------------------------------------------------------------


def booking_signer(site_keys, site: str, *known: str) -> BookingSigner:
    return BookingSigner(
        "secret-of-" + site, "dukcapil", SiteKeys(site, site_keys[site], lambda: register(site_keys, *known))
    )


def test_a_site_s_booking_codes_verify_at_another_site_and_cannot_be_made_there(site_keys):
    a = booking_signer(site_keys, "kec-a")
    short, plain = a.short("ABCD2345", DAY), a.sign(DAY, "ABCD2345")
    assert short.startswith("B2.kec-a.20261201.ABCD2345.") and plain.startswith("LKB2:kec-a:20261201:ABCD2345.")
    with pytest.raises(ValueError):
        a.short("ABCD2345")  # a site's compact code carries the day
    b = booking_signer(site_keys, "kec-b", "kec-a")
    for code in (short, plain):
        claimed = b.claim(code)
        assert (claimed.site, claimed.day, claimed.code) == ("kec-a", DAY, "ABCD2345")
        assert b.code_of(code) == "ABCD2345"
    forged = booking_signer(site_keys, "kec-b").short("ABCD2345", DAY).replace("B2.kec-b.", "B2.kec-a.")
    assert refusal(b.claim, forged) == BOOKING_FORGED
    changed = [short[:i] + ("B" if short[i] != "B" else "C") + short[i + 1 :] for i in range(len(short))]
    assert [c for c in changed if refusal(b.claim, c) is None] == []
    assert "kunci" in (refusal(booking_signer(site_keys, "kec-c").claim, short) or "")
    assert refusal(BookingSigner("s", "dukcapil").claim, short) == "Booking ini dari kantor lain."


def test_an_office_s_booking_codes_still_verify_at_the_site(site_keys):
    before = BookingSigner("secret-of-kec-a", "dukcapil")
    now = booking_signer(site_keys, "kec-a")
    assert now.claim(before.short("ABCD2345")).code == "ABCD2345"
    assert now.claim(before.sign(DAY, "ABCD2345")).day == DAY
    assert refusal(booking_signer(site_keys, "kec-b").claim, before.short("ABCD2345")) == BOOKING_FORGED
