"""The password rule: at least MIN_PASSWORD characters, not the username, not a common password;
a refusal is one `weak_password` detail on `password` whose `reason_code` says why."""

from __future__ import annotations

import pytest

from signage import wording
from signage.services import accounts
from signage.services.errors import ValidationFailed
from signage.services.secrets import new_password

FIXTURE_PASSWORD = "mat-khau-thu-nghiem"  # tests/conftest.py's users


def _reason(password: str, username: str = "lan.nguyen") -> str | None:
    problem = accounts.password_problem(password, username)
    if problem is None:
        return None
    assert problem["field"] == "password"
    assert problem["code"] == "weak_password"
    assert problem["limit"] == accounts.MIN_PASSWORD
    return problem["reason_code"]


@pytest.mark.parametrize("password", ["", "a", "ngan-qua", "x" * (accounts.MIN_PASSWORD - 1)])
def test_a_short_password_is_refused(password):
    assert accounts.MIN_PASSWORD == 10
    assert _reason(password) == "password_too_short"


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("nguyenvana", "nguyenvana"),
        ("nguyenvana", "NguyenVanA"),
        ("NGUYENVANA", "nguyenvana"),
        ("lan.nguyen", "Lan.Nguyen2024"),  # the username with a few characters more
        ("bientapvien", "1bientapvien"),
    ],
)
def test_the_username_in_any_case_is_refused(username, password):
    assert _reason(password, username) == "password_is_username"


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("lan", "lan-la-bien-tap-vien"),  # short names are not looked for inside
        ("lan.nguyen", "lan.nguyen+cay-thong-xanh"),  # the username and plenty more
    ],
)
def test_a_password_that_merely_holds_the_username_passes(username, password):
    assert _reason(password, username) is None


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "qwertyuiop",
        "password123",
        "123456789a",
        "matkhau123",
        "MatKhau123",  # case does not help
        "anhyeuem123",
        "0123456789",
    ],
)
def test_a_common_password_is_refused(password):
    assert _reason(password) == "password_too_common"


@pytest.mark.parametrize(
    "password", [FIXTURE_PASSWORD, "cay-thong-xanh-Lang-Son", "correct horse battery staple"]
)
def test_a_good_password_passes(password):
    assert _reason(password) is None


def test_generated_passwords_pass():
    """`signage user create` without --password-stdin and the quickstart's admin use these."""
    for _ in range(200):
        assert _reason(new_password(), "admin") is None


def test_the_first_broken_rule_is_the_reason():
    assert _reason("matkhau", "matkhau") == "password_too_short"
    assert _reason("qwertyuiop", "qwertyuiop") == "password_is_username"


def test_create_user_refuses_a_weak_password_and_saves_nothing(session):
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(session, "hoa", "editor", "matkhau123")
    assert caught.value.status == 422
    assert caught.value.details == [
        {
            "field": "password",
            "code": "weak_password",
            "reason_code": "password_too_common",
            "limit": accounts.MIN_PASSWORD,
        }
    ]
    assert accounts.authenticate(session, "hoa", "matkhau123") is None
    assert accounts.create_user(session, "hoa", "editor", FIXTURE_PASSWORD).username == "hoa"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "password: is too weak: it is on a list of common passwords; a password needs"),
        ("vi", "password: quá yếu: nằm trong danh sách các mật khẩu phổ biến; mật khẩu cần"),
    ],
)
def test_the_refusal_is_worded_with_its_reason(locale, expected):
    error = ValidationFailed.fields([accounts.password_problem("matkhau123", "hoa")])
    words = wording.describe_error(error, locale)
    assert words.startswith(expected)
    assert "10" in words
