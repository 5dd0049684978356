"""DOLISA's editor adds a target and its indicators to a year: each validated and kept in history; a target
is published only once an indicator measures it; the districts then report the new indicator on their form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from programs import years
from programs.models import Agency
from targets.models import Indicator, Target

pytestmark = pytest.mark.django_db

TARGET = {"number": "7", "text": "90% trẻ em được đăng ký khai sinh đúng hạn.",
          "text_en": "90% of children have their birth registered on time.", "goal": "90"}  # fmt: skip
INDICATOR = {"code": "7", "name": "Trẻ em được đăng ký khai sinh đúng hạn",
             "name_en": "Children whose birth is registered on time",
             "numerator_label": "Số trẻ em được đăng ký khai sinh đúng hạn",
             "denominator_label": "Tổng số trẻ em được đăng ký khai sinh", "goal": "90"}  # fmt: skip


@pytest.fixture
def y2019(program):
    return years.program_next_year(source=program, decision_number="412/QĐ-UBND", decision_date=dt.date(2019, 3, 1),
                                   signer_name="Lê Văn Nưng", signer_title=program.signer_title)  # fmt: skip


def test_the_editor_adds_a_target_then_its_indicator(login, y2019):
    officer = login("dolisa")
    editor = officer.get("/programs/2019/editor/").content.decode()
    assert 'data-testid="add-target"' in editor and 'data-testid="add-indicator-4"' in editor
    assert officer.post("/programs/2019/editor/targets/new/", TARGET).status_code == 302
    target = Target.objects.get(program=y2019, number=7)
    assert (target.text, target.text_en, target.goal) == (TARGET["text"], TARGET["text_en"], Decimal(90))
    assert target.history.count() == 1  # kept in history
    assert 'data-testid="no-indicator-7"' in officer.get("/programs/2019/editor/").content.decode()
    again = officer.post("/programs/2019/editor/targets/new/", TARGET).content.decode()
    assert "Số mục tiêu 7 đã dùng" in again
    too_high = officer.post("/programs/2019/editor/targets/new/", {**TARGET, "number": "8", "goal": "120"})
    assert too_high.status_code == 200 and not Target.objects.filter(program=y2019, number=8).exists()

    refused = officer.post("/programs/2019/editor/publish/", follow=True).content.decode()
    assert "Các mục tiêu sau chưa có chỉ số nào: 7." in refused
    assert Target.objects.get(pk=target.pk).program.is_draft

    assert officer.post("/programs/2019/editor/targets/7/indicators/new/", INDICATOR).status_code == 302
    indicator = Indicator.objects.get(target=target, code="7")
    assert indicator.name_en == INDICATOR["name_en"] and indicator.input == Indicator.Input.FIGURES
    districts = set(Agency.objects.filter(kind=Agency.Kind.DISTRICT, duties__program=y2019).distinct())
    assert set(indicator.reporters.all()) == districts and len(districts) == 11  # the districts report it
    assert indicator.history.count() >= 1
    taken = officer.post("/programs/2019/editor/targets/7/indicators/new/", {**INDICATOR, "code": "4"})
    assert "Mã chỉ số “4” đã dùng" in taken.content.decode()
    bad = officer.post("/programs/2019/editor/targets/7/indicators/new/", {**INDICATOR, "code": "7 x"})
    assert bad.status_code == 200 and not Indicator.objects.filter(code="7 x").exists()
    assert officer.get("/programs/2019/editor/targets/99/indicators/new/").status_code == 404

    assert officer.post("/programs/2019/editor/publish/").status_code == 302
    y2019.refresh_from_db()
    assert not y2019.is_draft
    form = login("ubnd-an-phu", Client()).get("/submissions/2019/q1/ubnd-an-phu/").content.decode()
    assert INDICATOR["numerator_label"] in form  # the district's new form asks for it


def test_the_editor_is_dolisas_only(login, y2019):
    district = login("ubnd-an-phu", Client())
    assert district.post("/programs/2019/editor/targets/new/", TARGET).status_code in (403, 404)
    assert district.post("/programs/2019/editor/targets/4/indicators/new/", INDICATOR).status_code in (403, 404)
    assert not Target.objects.filter(program=y2019, number=7).exists()
    assert not Indicator.objects.filter(target__program=y2019, code="7").exists()
