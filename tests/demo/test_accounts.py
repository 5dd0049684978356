import pytest

from accounts.models import User
from accounts.roles import Role, is_officer, is_reporter, role_of
from demo.accounts import demo_accounts_create

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_account_for_each_role_and_agency(program, demo_password):
    """An administrator, DOLISA, a viewer, the Ministry's department and a reporter of each of the 26 agencies,
    with the demo password."""
    users = {u.username: u for u in User.objects.prefetch_related("groups")}
    assert {"admin", "dolisa", "viewer", "ubnd-cho-moi", "so-ldtbxh", "hoi-bao-tro"} <= set(users)
    assert len(users) == 30
    assert role_of(users["cuc-bvcste"]) == Role.MINISTRY and users["cuc-bvcste"].agency is None
    assert role_of(users["admin"]) == Role.ADMIN and users["admin"].is_superuser
    assert is_officer(users["dolisa"]) and not is_reporter(users["dolisa"])
    assert role_of(users["viewer"]) == Role.VIEWER
    assert is_reporter(users["ubnd-cho-moi"]) and users["ubnd-cho-moi"].agency.code == "ubnd-cho-moi"
    assert users["ubnd-cho-moi"].check_password(demo_password)


def test_demo_setup_is_idempotent(program):
    """Set up a second time, the demo creates no account."""
    assert demo_accounts_create() == []
