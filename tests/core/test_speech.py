"""The call sentence in Indonesian: numbers, letters and the two readings an office can choose."""

from __future__ import annotations

import pytest

from loket.core.speech import Reading, call_sentence, number_words, ticket_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (345, "tiga ratus empat puluh lima"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (12345, "dua belas ribu tiga ratus empat puluh lima"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("number", "cardinal", "digits"),
    [
        ("A-012", "a nol dua belas", "a nol satu dua"),
        ("A-001", "a nol nol satu", "a nol nol satu"),
        ("B-100", "be seratus", "be satu nol nol"),
        ("C-011", "ce nol sebelas", "ce nol satu satu"),
        ("H-120", "ha seratus dua puluh", "ha satu dua nol"),
        ("Q-1000", "ki seribu", "ki satu nol nol nol"),
        ("Z-000", "zet nol nol nol", "zet nol nol nol"),
    ],
)
def test_ticket_words_in_both_readings(number, cardinal, digits):
    assert ticket_words(number) == cardinal
    assert ticket_words(number, Reading.DIGITS) == digits


def test_every_letter_has_its_indonesian_name():
    assert [ticket_words(f"{ch}-1").split()[0] for ch in "ABCDEFGHJKLMNPRSTWXYZ"] == [
        "a", "be", "ce", "de", "e", "ef", "ge", "ha", "je", "ka", "el", "em", "en", "pe", "er", "es", "te",
        "we", "eks", "ye", "zet",
    ]  # fmt: skip


def test_the_call_sentence_says_silakan_and_antrean():
    sentence = call_sentence("A-012", 3)
    assert sentence == "Nomor antrean a nol dua belas, silakan menuju loket tiga."
    assert "silahkan" not in sentence and "antrian" not in sentence
    assert call_sentence("A-012", 11, Reading.DIGITS, recall=True) == (
        "Panggilan ulang. Nomor antrean a nol satu dua, silakan menuju loket sebelas."
    )


def test_a_bad_number_is_refused():
    with pytest.raises(ValueError):
        ticket_words("loket")
