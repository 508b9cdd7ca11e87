"""Masks for phone numbers, ID numbers and email addresses (pure functions)."""

from __future__ import annotations

import pytest

from kefu.customers.masking import is_masked, mask_email, mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("008613812345678", "138****5678"),
        ("+862162345678", "021****5678"),
        ("02162345678", "021****5678"),
        ("+442079460958", "+442*****0958"),
        ("62345678", "******78"),
        ("95588", "***88"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_phone_keeps_only_a_recognisable_part(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_mask_phone_never_keeps_most_of_a_short_number() -> None:
    for length in range(1, 11):
        number = "9" * length
        kept = sum(ch.isdigit() for ch in mask_phone(number))
        assert kept <= 2


@pytest.mark.parametrize(
    ("id_number", "masked"),
    [
        ("110101199003071234", "110***********1234"),
        ("11010119900307123X", "110***********123X"),
        ("E12345678", "E12**5678"),
        ("1234567", "*****67"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask_id_number_keeps_region_and_last_four(id_number: str, masked: str) -> None:
    assert mask_id_number(id_number) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("zhang.wei@example.com", "z***@example.com"),
        ("a@b.cn", "a***@b.cn"),
        ("not-an-address", "***"),
        ("", ""),
    ],
)
def test_mask_email_keeps_first_letter_and_domain(email: str, masked: str) -> None:
    assert mask_email(email) == masked


def test_masked_values_are_recognised_as_masked() -> None:
    assert is_masked(mask_phone("13812345678"))
    assert not is_masked("13812345678")
