"""The quarterly form (reporting.forms): bad input gets a clear message in Vietnamese next to its field, and
nothing is saved."""

import pytest

from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, Submission
from tests.reporting.helpers import make_submission, post_data, spec_for, url_for

pytestmark = pytest.mark.django_db

AGENCY = "ubnd-cho-moi"


def first_indicator_fields():
    ind = spec_for(AGENCY).indicators[0]
    return f"ind-{ind.pk}-num", f"ind-{ind.pk}-den"


def first_activity():
    return spec_for(AGENCY).activities[0].activity.pk


@pytest.mark.parametrize(
    "field_kind,value,message",
    [
        ("num", "-5", "Không được nhập số âm."),
        ("num", "mười", "Vui lòng nhập một số nguyên không âm."),
        ("num", "3,5", "Vui lòng nhập số nguyên (không có phần thập phân)."),
        ("num", "1e9", "Vui lòng nhập một số nguyên không âm."),
        ("num", "99999999999", "Số quá lớn: tối đa 1.000.000."),
        ("money", "2500000,5", "Số tiền phải là số nguyên đồng, không có phần lẻ."),
        ("money", "-100000", "Không được nhập số âm."),
        ("money", "9999999999999999", "Số quá lớn: tối đa 1.000.000.000.000."),
        ("boys", "<b>12</b>", "Vui lòng nhập một số nguyên không âm."),
    ],
)
def test_bad_numbers_are_refused(login, program, clock, field_kind, value, message):
    num, den = first_indicator_fields()
    a = first_activity()
    field = {"num": num, "money": f"act-{a}-money", "boys": f"act-{a}-boys"}[field_kind]
    response = login(AGENCY).post(url_for(AGENCY), post_data(AGENCY, **{field: value, den: "10"}, action="save"))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field]
    assert message in response.content.decode()
    assert "Chưa lưu: vui lòng sửa các ô được đánh dấu đỏ." in response.content.decode()
    assert not Submission.objects.filter(agency__code=AGENCY).exists()


def test_a_numerator_above_its_denominator_is_refused(login, program, clock):
    """A numerator above its denominator is refused next to the field, and nothing is saved."""
    num, den = first_indicator_fields()
    response = login(AGENCY).post(url_for(AGENCY), post_data(AGENCY, **{num: "12", den: "10"}, action="save"))
    assert "Tử số (12) không được lớn hơn mẫu số (10)." in response.context["form"].errors[num]
    assert not IndicatorValue.objects.exists()


def test_nothing_is_saved_partially(login, program, clock):
    """One bad field among good ones: the good ones are not saved either."""
    make_submission(AGENCY, num=5, den=10)
    num, den = first_indicator_fields()
    a = first_activity()
    response = login(AGENCY).post(
        url_for(AGENCY),
        post_data(AGENCY, **{num: "7", f"act-{a}-status": "done", f"act-{a}-girls": "-1"}, action="save"),
    )
    assert response.status_code == 200
    assert IndicatorValue.objects.get(indicator_id=int(num.split("-")[1])).numerator == 5
    assert not ActivityProgress.objects.filter(activity_id=a, status="done").exists()


def test_vietnamese_thousands_are_understood(login, program, clock):
    a = first_activity()
    response = login(AGENCY).post(
        url_for(AGENCY),
        post_data(
            AGENCY, **{f"act-{a}-money": "12.500.000", "district_budget": "150 000 000"}, action="save"
        ),  # fmt: skip
    )
    assert response.status_code == 302
    assert ActivityProgress.objects.get(activity_id=a).money_spent == 12_500_000
    assert Submission.objects.get(agency__code=AGENCY).district_budget == 150_000_000


def test_markup_in_text_is_stored_as_text_and_escaped(login, program, clock):
    a = first_activity()
    markup = '<script>alert("x")</script><b>đậm</b>'
    c = login(AGENCY)
    assert c.post(url_for(AGENCY), post_data(AGENCY, **{f"act-{a}-account": markup}, action="save")).status_code == 302
    assert ActivityProgress.objects.get(activity_id=a).account == markup
    body = c.get(url_for(AGENCY)).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_overlong_text_is_refused(login, program, clock):
    response = login(AGENCY).post(url_for(AGENCY), post_data(AGENCY, difficulties="x" * 4001, action="save"))
    assert "Tối đa 4000 ký tự (hiện có 4001)." in response.context["form"].errors["difficulties"]


def test_unknown_status_is_refused(login, program, clock):
    a = first_activity()
    response = login(AGENCY).post(url_for(AGENCY), post_data(AGENCY, **{f"act-{a}-status": "hacked"}, action="save"))
    assert response.status_code == 200
    assert f"act-{a}-status" in response.context["form"].errors


def test_budget_is_entered_per_commune_and_the_total_is_derived(login, program, clock):
    """A district enters each commune's budget; the communes' total is the portal's sum (no field for it), the
    communes below 20.000.000 đ are named, and the district's shortfall against its floor is shown. Each value is
    kept with its history."""
    spec = spec_for(AGENCY)  # Chợ Mới: 18 communes
    first, second = spec.communes[0], spec.communes[1]
    amounts = {f"com-{c.pk}-budget": "25.000.000" for c in spec.communes}
    amounts[f"com-{first.pk}-budget"] = "15.000.000"
    amounts[f"com-{second.pk}-budget"] = ""  # not reported
    c = login(AGENCY)
    c.post(url_for(AGENCY), post_data(AGENCY, district_budget="120.000.000", **amounts, action="save"))
    body = c.get(url_for(AGENCY)).content.decode()
    assert 'name="communes_budget"' not in body
    assert 'data-testid="district-shortfall"> · còn thiếu 30.000.000 đ' in body
    assert "415.000.000 đ" in body  # 15 + 16 × 25 million
    assert "17/18 xã đã nhập" in body
    assert f'data-testid="communes-below"> · dưới mức tối thiểu: {first.name}</span>' in body
    stored = {cs.commune_id: cs.budget for cs in CommuneStatus.objects.filter(submission__agency__code=AGENCY)}
    assert stored[first.pk] == 15_000_000 and second.pk not in stored
    assert CommuneStatus.history.filter(commune_id=first.pk).first().budget == 15_000_000


def test_a_collaborators_average_is_entered_as_a_count(login, program, clock):
    """ "bình quân 12 cộng tác viên/xã": the district's form asks for the number of collaborators in its communes,
    not an average; a provincial agency's form does not ask for it."""
    body = login(AGENCY).get(url_for(AGENCY)).content.decode()
    assert "nhập TỔNG SỐ cộng tác viên tại 18 xã, phường, thị trấn của huyện (không nhập số bình quân" in body
    rate = [o for o in spec_for(AGENCY).outputs if o.is_per_commune]
    assert len(rate) == 1
    assert not [o for o in spec_for("so-ldtbxh").outputs if o.is_per_commune]
