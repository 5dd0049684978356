"""reporting.services.change_warnings: a value that moves by more than half from the previous quarter is
a warning; submitting then asks for a short explanation."""

import pytest

from reporting.models import Submission
from tests.reporting.helpers import fill_indicators, make_submission, post_data, spec_for, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-chau-doc"


@pytest.fixture
def q1_accepted(program, clock):
    return make_submission(AGENCY, quarter=1, status="accepted", num=40, den=50)


def test_big_change_warns_on_save_and_needs_explanation_to_submit(login, q1_accepted, clock):
    clock("2018-04-20")
    ind = spec_for(AGENCY, 2).indicators[0]
    c = login(AGENCY)
    data = post_data(AGENCY, 2, **fill_indicators(AGENCY, 2, num=40, den=50))
    data[f"ind-{ind.pk}-num"] = "10"  # 40 → 10: −75%
    response = c.post(url_for(AGENCY, 2), {**data, "action": "save"}, follow=True)
    body = response.content.decode()
    assert "1 số liệu thay đổi hơn 50% so với quý trước (đánh dấu ⚠ bên dưới)." in body
    assert "Thay đổi hơn 50% so với quý trước (quý trước: 40)." in body

    response = c.post(url_for(AGENCY, 2), post_data(AGENCY, 2, action="submit"))
    assert response.status_code == 200
    assert "vui lòng giải trình ngắn gọn trước khi gửi" in response.content.decode()
    assert Submission.objects.get(agency__code=AGENCY, quarter__number=2).status == "draft"

    response = c.post(
        url_for(AGENCY, 2), post_data(AGENCY, 2, change_explanation="Rà soát lại danh sách", action="submit")
    )
    assert response.status_code == 302
    assert Submission.objects.get(agency__code=AGENCY, quarter__number=2).status == "submitted"


def test_small_change_does_not_warn(login, q1_accepted, clock):
    clock("2018-04-20")
    c = login(AGENCY)
    c.post(url_for(AGENCY, 2), post_data(AGENCY, 2, **fill_indicators(AGENCY, 2, num=45, den=55), action="submit"))
    assert Submission.objects.get(agency__code=AGENCY, quarter__number=2).status == "submitted"
