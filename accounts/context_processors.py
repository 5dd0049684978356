from . import roles


def role(request) -> dict:
    """Expose the user's role to templates (navigation shows only what the role may use)."""
    user = getattr(request, "user", None)
    current = roles.role_of(user) if user is not None else None
    return {
        "portal_role": current,
        "portal_is_officer": roles.is_officer(user) if current else False,
        "portal_is_reporter": roles.is_reporter(user) if current else False,
        "portal_sees_province": roles.sees_province(user) if current else False,
        "portal_is_ministry": roles.is_ministry(user) if current else False,
    }
