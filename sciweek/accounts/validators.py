from django.core.exceptions import ValidationError


class MixedCharactersValidator:
    """At least one letter and one digit: generated and chosen passwords alike."""

    def validate(self, password: str, user=None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError("密码须同时包含字母和数字。", code="password_mixed")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"
