"""A program year made from the last one: created by DOLISA as a draft nobody else sees, edited on
DOLISA's pages (each change validated, kept in history), compared with the year before, published; an
item taken out after values were reported keeps them; last year's program never changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from activities.models import Activity, ActivityRole, OutputTarget
from programs import years
from programs.calendar import shift_years
from programs.exchange import program_export
from programs.models import Program
from targets.models import Target

pytestmark = pytest.mark.django_db

NEXT = {"decision_number": "412/QĐ-UBND", "decision_date": "2019-03-01", "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Lê Văn Nưng"}  # fmt: skip


@pytest.fixture
def y2019(program):
    return years.program_next_year(
        source=program, decision_number="412/QĐ-UBND", decision_date=dt.date(2019, 3, 1),
        signer_name="Lê Văn Nưng", signer_title=program.signer_title,
    )  # fmt: skip


def test_29_february_moves_to_28_february():
    assert shift_years(dt.date(2020, 2, 29), 1) == dt.date(2021, 2, 28)
    assert shift_years(dt.date(2019, 3, 20), 1) == dt.date(2020, 3, 20)
    assert shift_years(None, 1) is None


def test_the_next_year_copies_everything_with_the_dates_a_year_on(program, y2019):
    assert (y2019.year, y2019.status, y2019.decision_number) == (2019, Program.Status.DRAFT, "412/QĐ-UBND")
    assert y2019.title.endswith("năm 2019")
    deadlines = list(y2019.quarters.order_by("number").values_list("entry_deadline", flat=True))
    assert deadlines == [dt.date(2019, 3, 20), dt.date(2019, 5, 20), None, dt.date(2019, 11, 15)]
    assert [r.kind for r in y2019.provincial_reports.all()] == ["quarterly", "six_month", "annual"]
    old, new = program_export(program=program), program_export(program=y2019)
    assert new["targets"] == old["targets"] and new["activity_groups"] == old["activity_groups"]
    assert new["agencies"] == old["agencies"]
    assert new["program"]["budget_floors"] == old["program"]["budget_floors"]


def test_a_year_is_made_once_and_its_decision_date_must_be_of_its_year(program, y2019):
    with pytest.raises(ValidationError):
        years.program_next_year(source=program, decision_number="1", decision_date=dt.date(2019, 1, 2),
                                signer_name="A", signer_title="B")  # fmt: skip
    with pytest.raises(ValidationError):
        years.program_next_year(source=y2019, decision_number="1", decision_date=dt.date(2025, 1, 2),
                                signer_name="A", signer_title="B")  # fmt: skip


def test_a_draft_year_is_dolisas_only_until_published(login, program, y2019):
    reporter = login("ubnd-tri-ton", Client())
    assert reporter.get("/programs/2019/").status_code == 404
    assert reporter.get("/submissions/2019/q1/ubnd-tri-ton/").status_code == 404
    assert login("viewer", Client()).get("/programs/2019/").status_code == 404
    officer = login("dolisa", Client())
    assert officer.get("/programs/2019/").status_code == 200
    assert reporter.get("/programs/2019/editor/").status_code == 403
    response = officer.post(reverse("programs:publish", kwargs={"year": 2019}), follow=True)
    assert "Đã ban hành" in response.content.decode()
    assert reporter.get("/submissions/2019/q1/ubnd-tri-ton/").status_code == 200


def test_the_editor_pages_create_change_and_drop(login, program, django_assert_max_num_queries):
    officer = login("dolisa")
    response = officer.post(reverse("programs:next_year", kwargs={"year": 2018}), NEXT)
    assert response.status_code == 302 and response["Location"] == "/programs/2019/editor/"
    y2019 = Program.objects.get(year=2019)
    with django_assert_max_num_queries(20):
        assert officer.get("/programs/2019/editor/").status_code == 200
    target = Target.objects.get(program=y2019, number=4)
    post = {"text": target.text, "goal": "90", "goal_4": "90", "version": years.row_version(target)}
    assert officer.post("/programs/2019/editor/targets/4/", post).status_code == 302
    target.refresh_from_db()
    assert target.goal == Decimal("90") and target.indicators.get().goal == Decimal("90")
    assert target.history.first().goal == Decimal("90")  # kept in history
    stale = officer.post("/programs/2019/editor/targets/4/", {**post, "goal": "95", "goal_4": "95"})
    assert "vừa được người khác sửa" in stale.content.decode()  # the form's version is old: refused
    bad = officer.post("/programs/2019/editor/targets/4/", {**post, "goal": "120",
                                                            "version": years.row_version(target)})  # fmt: skip
    assert bad.status_code == 200 and Target.objects.get(pk=target.pk).goal == Decimal("90")
    assert officer.post("/programs/2019/editor/activities/I.1.1/remove/").status_code == 302
    assert not Activity.objects.filter(group__program=y2019, code="I.1.1").exists()
    assert Activity.all_objects.get(group__program=y2019, code="I.1.1").archived
    assert Activity.objects.filter(group__program=program, code="I.1.1").exists()  # 2018 untouched
    new_output = {"code": "I.1.8.z", "label": "Điểm mới", "quantity": "3", "unit": "điểm", "aggregation": "sum"}
    assert officer.post("/programs/2019/editor/activities/I.1.8/outputs/new/", new_output).status_code == 302
    again = officer.post("/programs/2019/editor/activities/I.1.8/outputs/new/", new_output)
    assert "đã dùng" in again.content.decode()
    changes = officer.get("/programs/2019/changes/").content.decode()
    assert 'data-kind="removed" data-section="Hoạt động" data-code="I.1.1"' in changes
    assert 'data-kind="added" data-section="Chỉ tiêu đầu ra" data-code="I.1.8 / I.1.8.z"' in changes
    assert 'data-kind="changed" data-section="Mục tiêu" data-code="4"' in changes


def test_an_activity_keeps_one_lead_and_publishing_needs_one(program, y2019):
    lead = ActivityRole.objects.get(activity__group__program=y2019, activity__code="I.1.1", role="lead")
    with pytest.raises(ValidationError):
        years.role_remove(role=lead)


def test_an_output_removed_after_publishing_keeps_its_reported_values(program, y2019):
    """An archived output still has its rows and history; the program's current outputs leave it out."""
    output = OutputTarget.objects.filter(activity__group__program=y2019).first()
    years.program_publish(program=y2019)
    years.output_remove(output=output)
    assert not OutputTarget.objects.filter(pk=output.pk).exists()
    assert OutputTarget.all_objects.filter(pk=output.pk, archived=True).exists()
    assert output.history.count() >= 2
