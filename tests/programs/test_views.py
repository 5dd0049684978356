"""The program's pages: what a signed-in user sees, and what the anonymous visitor does not."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import structureversion
from programs.models import Quarter
from tests.factories import (
    ActivityFactory,
    ActivityGroupFactory,
    ActivityRoleFactory,
    AgencyFactory,
    DutyFactory,
    OutputTargetFactory,
)

pytestmark = pytest.mark.django_db


def overview_url():
    return reverse("programs:overview", kwargs={"year": 2018})


@pytest.mark.parametrize(
    "url", ["/", "/programs/2018/", "/programs/2018/calendar/", "/programs/2018/agencies/so-y-te/"]
)
def test_anonymous_visitor_is_sent_to_sign_in(client, program, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_a_demo_account(client, program, demo_password):
    response = client.post(reverse("login"), {"username": "dolisa", "password": demo_password}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == "dolisa"


def test_wrong_password_is_refused_in_vietnamese(client, program):
    response = client.post(reverse("login"), {"username": "dolisa", "password": "sai-mat-khau-123"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_overview_shows_decision_targets_and_districts(login, program):
    c = login("dolisa")
    body = c.get(overview_url()).content.decode()
    assert "535/QĐ-UBND" in body
    assert "15/03/2018" in body
    for n, goal in [(1, "100%"), (2, "100%"), (3, "100%"), (4, "85%"), (5, "100%"), (6, "100%")]:
        assert f'data-testid="goal-{n}">{goal}<' in body
    for district in ["Long Xuyên", "Châu Đốc", "Tân Châu", "An Phú", "Châu Phú", "Châu Thành", "Chợ Mới",
                     "Phú Tân", "Thoại Sơn", "Tịnh Biên", "Tri Tôn"]:  # fmt: skip
        assert district in body
    assert "11 đơn vị cấp huyện, 156 đơn vị cấp xã" in body
    assert "150.000.000 đ" in body and "20.000.000 đ" in body
    assert "5.000.000.000 đ" in body
    assert "20/05/2018" in body and "15/11/2018" in body


def _between(body: str, start: str, end: str) -> str:
    return body[body.index(start) : body.index(end, body.index(start))]


def test_overview_shows_who_does_what_as_written(login, program):
    """The six bodies VIII.2.10 requests are listed apart from the agencies it directs; a role the text does not
    give carries the portal's mark (†) with its legend; the Social Work Centre and the People's Committee's issuing
    are named with the lines they come from."""
    body = login("viewer").get(overview_url()).content.decode()
    directed = _between(body, 'data-testid="agencies"', "</table>")
    requested = _between(body, 'data-testid="requested-agencies"', "</table>")
    for name in ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Viện Kiểm sát nhân dân tỉnh",
                 "Tòa án nhân dân tỉnh", "Hội Bảo trợ người tàn tật, trẻ mồ côi tỉnh"]:  # fmt: skip
        assert name in requested and name not in directed
    assert "Sở Y tế" in directed and "mục VIII.2.10" in requested and "mục VIII.2.9" in directed
    assert "mục VIII.2.10: “Đề nghị …”" in body
    assert 'data-testid="portal-reading-legend"' in body and "mục VIII.2.1" in body
    iii3 = _between(body, "Tổ chức tuyên truyền nhóm cho đoàn viên", "</li>")
    assert 'title="Chủ trì">Sở LĐTBXH<' in iii3  # the text names no lead: DOLISA leads (VIII.2.1)
    assert "Tỉnh Đoàn<sup" in iii3 and "data-portal-reading" in iii3
    i65 = _between(body, "Phối hợp với Sở Tư pháp, Công an tỉnh, Sở Y Tế kịp thời", "</li>")
    assert "data-portal-reading" not in i65  # the bullet names its partners
    noted = _between(body, 'data-testid="noted"', "</ul>")
    assert "I.1.9" in noted and "Trung tâm Công tác xã hội (trực thuộc Sở Lao động – Thương binh và Xã hội)" in noted
    assert "B.I.1, gạch đầu dòng thứ 10" in noted and "B.I.6, gạch đầu dòng thứ 4" in noted
    assert "Ủy ban nhân dân tỉnh ban hành chính sách (B.I.6; VIII.2.1)" in noted


def test_the_agency_page_marks_the_portals_reading(login, program):
    """The Youth Union's page: requested, not directed; III.3, which the text does not give it, carries the mark."""
    body = login("viewer").get(reverse("programs:agency", kwargs={"year": 2018, "code": "tinh-doan"})).content.decode()
    assert 'data-testid="requested"' in body and "(mục VIII.2.10)" in body
    support = _between(body, 'data-testid="support"', "</ul>\n")
    assert "Tổ chức tuyên truyền nhóm cho đoàn viên" in support and "† cách đọc của cổng" in support
    assert 'data-testid="portal-reading-legend"' in body


def test_overview_query_count_does_not_grow_with_the_data(login, program):
    """The overview makes exactly as many queries with more agencies, groups, activities, roles and outputs."""
    c = login("viewer")
    with CaptureQueriesContext(connection) as before:
        assert c.get(overview_url()).status_code == 200
    # more agencies, groups, activities, roles and outputs
    for _ in range(3):
        agency = AgencyFactory(unit=program.province)
        DutyFactory(program=program, agency=agency)
        activity = ActivityFactory(group=ActivityGroupFactory(program=program))
        ActivityRoleFactory(activity=activity, agency=agency)
        OutputTargetFactory(activity=activity).units.add(program.province)
    structureversion.bump_on_commit()  # test data goes round the writers that move the version
    with CaptureQueriesContext(connection) as after:
        assert c.get(overview_url()).status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
    # both requests build the overview from a cold structure cache; the viewer, without an agency, reads the
    # installation's province with it (programs.selectors.home_province_id)
    assert len(after) == 20


def test_an_agencys_page_shows_its_duties_and_activities(login, program):
    """An agency's page names it, its duties and the activities it leads or supports."""
    body = login("viewer").get(reverse("programs:agency", kwargs={"year": 2018, "code": "so-y-te"})).content.decode()
    assert "Sở Y tế" in body
    assert "mô hình công tác xã hội trong bệnh viện" in body  # its duty (VIII.2.9)
    assert 'data-testid="support"' in body or 'data-testid="lead"' in body


def test_unknown_agency_is_404(login, program):
    response = login("viewer").get(reverse("programs:agency", kwargs={"year": 2018, "code": "khong-co"}))
    assert response.status_code == 404


def test_district_page_lists_its_communes(login, program):
    district = program.province.children.get(short_name="Long Xuyên")
    body = login("viewer").get(reverse("programs:district", kwargs={"year": 2018, "code": district.code}))
    text = body.content.decode()
    assert "Phường Đông Xuyên" in text and "Phường Mỹ Bình" in text
    assert 'data-testid="commune-count">13<' in text
    # floor: 150.000.000 + 20.000.000 × 13
    assert "410.000.000 đ" in text


def test_calendar_is_editable_by_dolisa_only(login, program, client):
    url = reverse("programs:quarter_edit", kwargs={"year": 2018, "number": 2})
    assert login("ubnd-cho-moi").get(url).status_code == 403
    c = login("dolisa")
    response = c.post(url, {"start": "2018-04-01", "end": "2018-06-30", "entry_deadline": "2018-05-16"})
    assert response.status_code == 302
    q = Quarter.objects.get(program=program, number=2)
    assert q.entry_deadline == dt.date(2018, 5, 16)
    assert q.history.first().history_user.username == "dolisa"


def test_calendar_edit_refuses_a_deadline_before_the_quarter(login, program):
    url = reverse("programs:quarter_edit", kwargs={"year": 2018, "number": 2})
    response = login("dolisa").post(url, {"start": "2018-04-01", "end": "2018-06-30", "entry_deadline": "2018-03-01"})
    assert response.status_code == 200
    assert "Hạn gửi báo cáo không được trước ngày bắt đầu quý." in response.content.decode()
    assert Quarter.objects.get(program=program, number=2).entry_deadline == dt.date(2018, 5, 20)


def test_dolisa_sets_and_clears_its_own_date_for_a_report(login, program):
    """The decision sets DOLISA no date (VIII.2.1): DOLISA may set one for a report, and clear it."""
    url = reverse("programs:report_edit", kwargs={"year": 2018, "kind": "six_month"})
    q = {q.number: q.pk for q in program.quarters.all()}
    c = login("dolisa")
    assert c.post(url, {"due_date": "2018-05-25", "quarters": [q[1], q[2]]}).status_code == 302
    report = program.provincial_reports.get(kind="six_month")
    assert report.due_date == dt.date(2018, 5, 25)
    assert "25/05/2018" in c.get(reverse("programs:calendar", kwargs={"year": 2018})).content.decode()
    assert c.post(url, {"due_date": "", "quarters": [q[1], q[2]]}).status_code == 302
    report.refresh_from_db()
    assert report.due_date is None


def test_dolisa_sets_and_clears_the_third_quarters_deadline(login, program):
    """Q3 has no deadline ("chưa quy định hạn") until DOLISA sets one; it may clear it again. Each change is
    in the history."""
    url = reverse("programs:quarter_edit", kwargs={"year": 2018, "number": 3})
    c = login("dolisa")
    assert c.post(url, {"start": "2018-07-01", "end": "2018-09-30", "entry_deadline": "2018-10-20"}).status_code == 302
    q3 = Quarter.objects.get(program=program, number=3)
    assert q3.entry_deadline == dt.date(2018, 10, 20) and q3.history.first().history_user.username == "dolisa"
    assert c.post(url, {"start": "2018-07-01", "end": "2018-09-30", "entry_deadline": ""}).status_code == 302
    q3.refresh_from_db()
    assert q3.entry_deadline is None and q3.history.count() >= 2


def test_the_calendar_page_shows_the_decisions_dates_and_cites_its_lines(login, program):
    """The agencies' deadlines with VIII.1, Q3 "chưa quy định hạn", the reports compiled after 20/03, 20/05
    and 15/11, sent to the People's Committee and the Ministry (the Department of Child Protection at six
    months and at the year, VIII.2.1), with no date of DOLISA's own; the quarters due before they end say
    their figures run to the day of reporting."""
    html = login("viewer").get(reverse("programs:calendar", kwargs={"year": 2018})).content.decode()
    quarters = re.search(r'data-testid="quarters">(.*?)</table>', html, re.S).group(1)
    rows = dict(re.findall(r'data-quarter="(\d)">(.*?)</tr>', quarters, re.S))
    assert "20/03/2018" in rows["1"] and "20/05/2018" in rows["2"] and "15/11/2018" in rows["4"]
    assert 'data-testid="no-deadline">chưa quy định hạn<' in rows["3"]
    assert all("số liệu tính đến ngày báo cáo" in rows[n] for n in "124") and "ngày báo cáo" not in rows["3"]
    reports = dict(re.findall(r'data-report="(\w+)">(.*?)</tr>', html, re.S))
    assert "20/03/2018" in reports["quarterly"] and "Bộ Lao động – Thương binh và Xã hội" in reports["quarterly"]
    assert "20/05/2018" in reports["six_month"] and "15/11/2018" in reports["annual"]
    for kind in ("six_month", "annual"):
        assert "Cục Bảo vệ, chăm sóc trẻ em" in reports[kind] and "VIII.2.1" in reports[kind]
        assert 'data-testid="no-due-date"' in reports[kind]
    assert "mục VIII.1" in html and "Sửa" not in html  # a viewer reads, DOLISA edits


def test_the_overview_summarises_the_calendar(login, program):
    html = login("viewer").get(overview_url()).content.decode()
    summary = re.search(r'data-testid="calendar-summary">(.*?)</ul>', html, re.S).group(1)
    assert "(mục VIII.1)" in summary and "chưa quy định hạn" in summary and "biên soạn sau ngày 15/11/2018" in summary
    assert "Cục Bảo vệ, chăm sóc trẻ em, Bộ Lao động – Thương binh và Xã hội (VIII.2.1)" in summary


def test_english_is_selectable(login, program):
    """The interface switches to English; the decision's number stays as it is."""
    c = login("viewer")
    c.post(reverse("set_language"), {"language": "en", "next": "/programs/2018/"})
    body = c.get(overview_url()).content.decode()
    assert "Specific targets" in body
    assert "535/QĐ-UBND" in body


def test_admin_is_for_administrators(login, program):
    assert login("admin").get("/admin/programs/agency/").status_code == 200
    response = login("dolisa").get("/admin/programs/agency/")
    assert response.status_code == 302


def test_the_health_check_answers_without_sign_in(client, program):
    """/healthz is for load balancers: no sign-in, one row read, JSON."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "program": program.pk}
