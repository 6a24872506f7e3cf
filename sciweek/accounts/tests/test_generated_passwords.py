"""A generated one-time password always passes the password validators for its own account: a random
draw is now and then "too similar" to a short username, which once failed a contest's judge creation."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from sciweek.accounts.services import generate_password


def test_every_draw_passes_the_validators_for_its_account():
    probe = get_user_model()(username="sx-judge9", first_name="陆文华")
    for _ in range(300):
        pw = generate_password(username="sx-judge9", display_name="陆文华")
        validate_password(pw, probe)  # raises on a draw the account would refuse
        assert len(pw) == 12 and any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw)
