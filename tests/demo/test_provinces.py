"""The demo's synthetic provinces: named as synthetic, sharing no code with An Giang, each with its own
accounts, and loaded a second time without change."""

import pytest

from accounts.models import User
from demo.provinces import synthetic_province_load
from programs.models import AdminUnit, Agency
from programs.selectors import user_province_id

pytestmark = pytest.mark.django_db


def test_a_synthetic_province_is_named_as_such_and_apart(program):
    loaded = synthetic_province_load(code="GLA", letter="A")
    province = loaded.province
    assert province.name == "Tỉnh Mẫu A (dữ liệu giả lập)" and province.code == "GLA"
    assert loaded.targets.count() == program.targets.count()
    assert not Agency.objects.filter(unit__parent=province).exclude(code__startswith="gla-").exists()
    communes = AdminUnit.objects.filter(parent__parent=province).count()
    assert communes == AdminUnit.objects.filter(parent__parent=program.province).count()  # the same layout
    officer = User.objects.get(username="gla-dolisa")
    assert user_province_id(officer) == province.pk
    assert user_province_id(User.objects.get(username="gla-ubnd-cho-moi")) == province.pk
    users = User.objects.count()
    assert synthetic_province_load(code="GLA", letter="A").pk == loaded.pk and User.objects.count() == users
