"""Two people edit the same submission: the second save is refused, shown the current values, and
nothing the first saved is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from reporting import services
from reporting.models import IndicatorValue, Submission
from tests.reporting.helpers import make_submission, post_data, spec_for, url_for

AGENCY = "ubnd-cho-moi"


def reporter_client():
    c = Client()
    c.force_login(User.objects.get(username=AGENCY))
    return c


@pytest.mark.django_db
def test_second_editor_is_refused_and_sees_current_values(program, clock):
    make_submission(AGENCY, num=5, den=10)
    ind = spec_for(AGENCY).indicators[0]
    num = f"ind-{ind.pk}-num"
    # both open the form at version 1
    first, second = reporter_client(), reporter_client()
    form_a = post_data(AGENCY, **{num: "6"}, action="save")
    form_b = post_data(AGENCY, **{num: "9"}, action="save")
    assert form_a["version"] == form_b["version"] == "1"

    assert first.post(url_for(AGENCY), form_a).status_code == 302
    response = second.post(url_for(AGENCY), form_b)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa lưu: báo cáo vừa được người khác cập nhật." in body
    assert str(response.context["form"][num].value()) == "6"  # the form now shows what is stored
    diffs = {d["label"]: (d["mine"], d["stored"]) for d in response.context["conflict"]["diffs"]}
    assert diffs["Tử số"] == (9, 6)
    assert IndicatorValue.objects.get(indicator_id=ind.pk).numerator == 6
    assert Submission.objects.get(agency__code=AGENCY).version == 2
    # the refused editor can now save on top of the current version
    retry = post_data(AGENCY, **{num: "9"}, action="save")
    assert second.post(url_for(AGENCY), retry).status_code == 302
    assert IndicatorValue.objects.get(indicator_id=ind.pk).numerator == 9


@pytest.mark.django_db
def test_first_save_race_on_a_new_submission(program, clock):
    """Two editors start the same empty report: the second creation is a conflict, not a crash."""
    ind = spec_for(AGENCY).indicators[0]
    a, b = reporter_client(), reporter_client()
    data = post_data(AGENCY, **{f"ind-{ind.pk}-num": "3", f"ind-{ind.pk}-den": "4"}, action="save")
    assert data["version"] == "0"
    assert a.post(url_for(AGENCY), data).status_code == 302
    response = b.post(url_for(AGENCY), data)
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert Submission.objects.filter(agency__code=AGENCY).count() == 1


@pytest.mark.django_db
def test_service_refuses_a_stale_version(program, clock):
    sub = make_submission(AGENCY)
    user = User.objects.get(username=AGENCY)
    spec = spec_for(AGENCY)
    with pytest.raises(services.ConflictError):
        services.submission_save(submission=sub, user=user, spec=spec, data={}, expected_version=sub.version - 1)


@pytest.mark.django_db(transaction=True)
def test_truly_concurrent_saves_on_postgresql(program, clock):
    """Two threads save the same version at the same moment: exactly one wins (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    from tests.helpers import ensure_program

    ensure_program()
    sub = make_submission(AGENCY)
    spec = spec_for(AGENCY)
    user = User.objects.get(username=AGENCY)
    ind = spec.indicators[0]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(value):
        from django.db import connections

        try:
            target = Submission.objects.get(pk=sub.pk)
            barrier.wait()
            services.submission_save(
                submission=target, user=user, spec=spec,
                data={f"ind-{ind.pk}-num": value, f"ind-{ind.pk}-den": 10}, expected_version=sub.version,
            )  # fmt: skip
            outcomes.append(("ok", value))
        except services.ConflictError:
            outcomes.append(("conflict", value))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(v,)) for v in (6, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["conflict", "ok"]
    winner = next(v for kind, v in outcomes if kind == "ok")
    assert IndicatorValue.objects.get(submission=sub, indicator_id=ind.pk).numerator == winner
    assert Submission.objects.get(pk=sub.pk).version == sub.version + 1
