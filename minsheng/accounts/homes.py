"""The home page of each role: which template, with what on it."""

from .models import User


def home_context(request) -> tuple[str, dict]:
    user = request.user
    if not user.is_authenticated:
        return "accounts/home_public.html", {}
    role = User.Role.ADMIN if user.is_superuser else user.role
    return f"accounts/home_{role}.html", {"role": role}
