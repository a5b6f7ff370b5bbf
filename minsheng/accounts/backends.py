"""Sign-in by username or mobile number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from minsheng.common.crypto import blind_index
from minsheng.common.phones import looks_like_mobile, normalize_mobile


def find_user(login: str):
    User = get_user_model()
    login = (login or "").strip()
    if not login:
        return None
    user = User.objects.filter(username=login).first()
    if user is None and looks_like_mobile(login):
        user = User.objects.filter(mobile_index=blind_index(normalize_mobile(login))).first()
    return user


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """Count failures against the account, whether the user typed the username or the mobile number."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(login)
    return user.username if user else login


def client_ip(request) -> str | None:
    """The client's address for django-axes (AXES_CLIENT_IP_CALLABLE). Behind N reverse proxies that append
    to X-Forwarded-For (settings.MINSHENG["TRUSTED_PROXY_COUNT"] = N), the address the first proxy saw;
    otherwise REMOTE_ADDR. Without this, behind a proxy every sign-in comes from the proxy's address and one
    person's failures would lock an account for everyone."""
    from django.conf import settings

    count = int(settings.MINSHENG.get("TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
