"""Small hand-made provinces for the Ministry's view: each a program with two districts' agencies, one
indicator 1.1 shared by all, accepted Q1 reports with the values given."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from programs.models import Agency
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    DutyFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgramFactory,
    ProvinceFactory,
    QuarterFactory,
    SubmissionFactory,
    TargetFactory,
)

YEAR = 2030  # a year of no other program (the test database holds An Giang's 2018)


def province_with(name: str, values: list[tuple[int, int] | None], *, goal: str = "90"):
    """A province whose district agencies report the (numerator, denominator) pairs of indicator 1.1 in Q1 (None:
    that agency has sent nothing)."""
    province = ProvinceFactory(name=name)
    program = ProgramFactory(province=province, year=YEAR)
    quarter = QuarterFactory(program=program, number=1)
    indicator = IndicatorFactory(target=TargetFactory(program=program, number=1), code="1.1", goal=Decimal(goal))
    for value in values:
        agency = AgencyFactory(unit=DistrictFactory(parent=province), kind=Agency.Kind.DISTRICT)
        DutyFactory(program=program, agency=agency)
        if value is not None:
            submission = SubmissionFactory(agency=agency, quarter=quarter)
            IndicatorValueFactory(submission=submission, indicator=indicator, numerator=value[0], denominator=value[1])
    return program


def ministry_user(username: str = "cuc") -> User:
    user = User.objects.create(username=username)
    user.groups.add(Group.objects.get_or_create(name=Role.MINISTRY.value)[0])
    return user
