from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its hash is stored, the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Past this the token answers 401 (SCIWEEK_API_TOKEN_DAYS after creation).
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw() -> str:
        return "sw_" + secrets.token_urlsafe(32)
