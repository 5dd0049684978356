"""factory_boy factories, one per model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Duty, LegalBasis, Program, ProvincialReport, Quarter
from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, OutputProgress, Submission, Transition
from targets.models import Indicator, Target


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = AdminUnit.Kind.XA
    level = AdminUnit.Level.COMMUNE


class ProvinceFactory(AdminUnitFactory):
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    kind = AdminUnit.Kind.TINH
    level = AdminUnit.Level.PROVINCE


class DistrictFactory(AdminUnitFactory):
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    kind = AdminUnit.Kind.HUYEN
    level = AdminUnit.Level.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(AdminUnitFactory):
    parent = factory.SubFactory(DistrictFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử {n}")
    short_name = factory.Sequence(lambda n: f"CQ {n}")
    kind = Agency.Kind.PROVINCIAL
    unit = factory.SubFactory(ProvinceFactory)
    order = factory.Sequence(lambda n: 100 + n)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    province = factory.SubFactory(ProvinceFactory)
    year = 2018
    title = "Chương trình thử"
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = dt.date(2018, 3, 15)
    issuing_body = "Ủy ban nhân dân tỉnh"
    signer_title = "CHỦ TỊCH"
    signer_name = "Người Ký"
    general_objective = "Mục tiêu"
    district_budget_floor = 150_000_000
    commune_budget_floor = 20_000_000


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Căn cứ thử"


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    program = factory.SubFactory(ProgramFactory)
    agency = factory.SubFactory(AgencyFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Nhiệm vụ thử"


class QuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quarter

    program = factory.SubFactory(ProgramFactory)
    number = 1
    start = dt.date(2018, 1, 1)
    end = dt.date(2018, 3, 31)
    entry_deadline = dt.date(2018, 3, 20)


class ProvincialReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincialReport

    program = factory.SubFactory(ProgramFactory)
    kind = ProvincialReport.Kind.QUARTERLY
    due_date = None


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Mục tiêu thử"
    goal = Decimal("100")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    target = factory.SubFactory(TargetFactory)
    code = factory.Sequence(lambda n: f"X{n}")
    name = "Chỉ số thử"
    numerator_label = "Tử số"
    denominator_label = "Mẫu số"
    goal = Decimal("100")


class ActivityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityGroup

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    part = "I"
    title = "Nhóm thử"
    short_title = "Nhóm thử"
    order = factory.Sequence(lambda n: 100 + n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    group = factory.SubFactory(ActivityGroupFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    order = factory.Sequence(lambda n: n)
    text = "Hoạt động thử"


class ActivityRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRole

    activity = factory.SubFactory(ActivityFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = ActivityRole.Role.SUPPORT


class OutputTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutputTarget

    activity = factory.SubFactory(ActivityFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    label = "Chỉ tiêu thử"
    quantity = 10
    unit = "cuộc"
    aggregation = OutputTarget.Aggregation.SUM


# ------------------------------------------------------------------------------------------------
# Reporting
# ------------------------------------------------------------------------------------------------
class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission in a given state, with its timestamps; values are added with the factories below."""

    class Meta:
        model = Submission

    agency = factory.SubFactory(AgencyFactory)
    quarter = factory.SubFactory(QuarterFactory)
    status = Submission.Status.ACCEPTED
    first_submitted_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.status == Submission.Status.DRAFT
            else dt.datetime.combine(o.quarter.entry_deadline or o.quarter.end, dt.time(9), tzinfo=dt.UTC)
        )
    )
    submitted_at = factory.SelfAttribute("first_submitted_at")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    submission = factory.SubFactory(SubmissionFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    numerator = 1
    denominator = 1


class CommuneStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommuneStatus

    submission = factory.SubFactory(SubmissionFactory)
    commune = factory.SubFactory(CommuneFactory)


class ActivityProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityProgress

    submission = factory.SubFactory(SubmissionFactory)
    activity = factory.SubFactory(ActivityFactory)
    status = ActivityProgress.Status.IN_PROGRESS


class OutputProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutputProgress

    submission = factory.SubFactory(SubmissionFactory)
    output = factory.SubFactory(OutputTargetFactory)
    quantity = 1


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    submission = factory.SubFactory(SubmissionFactory)
    action = Transition.Action.SUBMIT
    from_status = Submission.Status.DRAFT
    to_status = Submission.Status.SUBMITTED
    actor = factory.Iterator(__import__("accounts.models", fromlist=["User"]).User.objects.all())
    at = factory.LazyFunction(lambda: dt.datetime(2018, 3, 10, 9, tzinfo=dt.UTC))
