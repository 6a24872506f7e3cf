from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """At least one letter and one digit: generated and chosen passwords alike."""

    def validate(self, password: str, user=None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("密码须同时包含字母和数字。"), code="password_mixed")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"


class StrengthValidator:
    """A strength estimate (zxcvbn) rather than rules alone: refuses what is quick to guess even when it
    has letters and digits, such as a username followed by digits (sxqxj12345), keyboard rows, dates
    and common words. Messages in Chinese."""

    WARNINGS = {
        "Straight rows of keys are easy to guess.": "键盘上连续的按键很容易被猜到。",
        "Short keyboard patterns are easy to guess.": "简单的键盘组合很容易被猜到。",
        'Repeats like "aaa" are easy to guess.': "重复的字符（如 aaa）很容易被猜到。",
        "Sequences like abc or 6543 are easy to guess.": "abc、6543 这样的顺序很容易被猜到。",
        "Recent years are easy to guess.": "近年的年份很容易被猜到。",
        "Dates are often easy to guess.": "日期很容易被猜到。",
        "This is a top-10 common password.": "这是最常见的密码之一。",
        "This is a top-100 common password.": "这是最常见的密码之一。",
        "This is a very common password.": "这是很常见的密码。",
        "This is similar to a commonly used password.": "与常见密码太相似。",
        "Names and surnames by themselves are easy to guess.": "姓名很容易被猜到。",
    }

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:  # noqa: ANN001 - Django's validator protocol
        from zxcvbn import zxcvbn

        inputs = ["sciweek", "kjz", "科技活动周"]
        if user is not None:
            for value in (user.get_username(), getattr(user, "first_name", ""), getattr(user, "email", "")):
                if value:
                    inputs += [value, "".join(ch for ch in value if ch.isalnum())]
        result = zxcvbn(password[:100], user_inputs=inputs)
        if result["score"] >= self.min_score:
            return
        warning = self.WARNINGS.get(result["feedback"].get("warning") or "", "")
        raise ValidationError(
            (
                _("密码太容易被猜到%(value)s请换一个更长、更不规则的密码，例如几个不相关的词加数字和符号。")
                % {"value": ("：" + warning) if warning else _("（如用户名加数字、常见单词、键盘顺序）")}
            ),
            code="password_weak",
        )

    def get_help_text(self) -> str:
        return "密码不能容易被猜到（如用户名加数字、生日、键盘顺序）。"
