"""An incident never holds a child's identity: no field for it exists, and none may be added."""

import re

import pytest
from django.db import IntegrityError

from incidents.models import Incident, IncidentNote

from .factories import IncidentFactory
from .helpers import CHO_MOI, district

pytestmark = pytest.mark.django_db

# Words that would name a field holding who a child is (Vietnamese without accents, and English).
PERSONAL = [
    "ten", "ho_ten", "hoten", "name", "dia_chi", "diachi", "address", "cccd", "cmnd", "can_cuoc", "identity",
    "id_number", "birth", "ngay_sinh", "ngaysinh", "dob", "age", "tuoi", "phone", "dien_thoai", "sdt", "email",
    "photo", "anh", "hinh", "image", "picture", "parent", "cha", "me", "guardian", "school", "truong", "lop",
]  # fmt: skip


def _words(field_name: str) -> set[str]:
    return set(re.split(r"_+", field_name.lower()))


@pytest.mark.parametrize("model", [Incident, IncidentNote, Incident.history.model, IncidentNote.history.model])
def test_no_personal_data_field(model):
    """Field names carry none of the personal-data words, whole or (for the longer ones) inside."""
    names = [f.name for f in model._meta.get_fields()] + [f.attname for f in model._meta.concrete_fields]
    for name in names:
        words = _words(name)
        for bad in PERSONAL:
            hit = bad in words if len(bad) <= 4 and "_" not in bad else bad in name.lower()
            assert not hit, f"{model.__name__}.{name} looks like personal data ({bad})"


def test_children_are_only_counted():
    """The only facts about the children are counts by sex and age band."""
    about_children = [f.name for f in Incident._meta.concrete_fields if f.name.startswith(("boys", "girls"))]
    assert about_children == [
        "boys_under_6", "girls_under_6", "boys_6_11", "girls_6_11", "boys_11_16", "girls_11_16", "boys_16_18",
        "girls_16_18",
    ]  # fmt: skip
    assert all(Incident._meta.get_field(n).get_internal_type() == "PositiveSmallIntegerField" for n in about_children)


def test_database_refuses_an_incident_without_children(program):
    from accounts.models import User

    commune = district(CHO_MOI).children.first()
    with pytest.raises(IntegrityError):
        IncidentFactory(filed_by=User.objects.get(username="so-y-te"), commune=commune, boys_6_11=0)
