"""The program's structure is cached under a shared version, read once per request: a change made in
another process is seen by the next request, a change made by a request is seen by that request."""

from unittest import mock

import pytest
from django.core.cache import cache

from programs import structure
from targets.models import Indicator

pytestmark = pytest.mark.django_db
AGENCY_URL = "/submissions/2018/q1/ubnd-cho-moi/"


def test_the_version_is_read_once_per_request(login, program, clock):
    c = login("ubnd-cho-moi")
    c.get(AGENCY_URL)  # fills the caches
    real_get = cache.get
    with mock.patch.object(cache, "get", side_effect=real_get) as spy:
        assert c.get(AGENCY_URL).status_code == 200
    reads = [call for call in spy.call_args_list if call.args and call.args[0] == structure.VERSION_KEY]
    assert len(reads) == 1


def test_a_change_made_in_another_process_is_seen_by_the_next_request(login, program, clock):
    c = login("ubnd-cho-moi")
    assert "Số trẻ em được khám sàng lọc XYZ" not in c.get(AGENCY_URL).content.decode()
    indicator = Indicator.objects.filter(reporters__code="ubnd-cho-moi").order_by("pk").first()
    # another process: its write does not reach this process's signals, only the shared version moves
    Indicator.objects.filter(pk=indicator.pk).update(numerator_label="Số trẻ em được khám sàng lọc XYZ")
    cache.incr(structure.VERSION_KEY)
    assert "Số trẻ em được khám sàng lọc XYZ" in c.get(AGENCY_URL).content.decode()


def test_a_change_within_a_request_is_seen_by_that_request(program):
    structure._request_started()
    try:
        before = structure.version()
        assert structure.cached("probe", lambda: "old") == "old"
        Indicator.objects.filter(pk=Indicator.objects.first().pk).first().save()  # a structural save
        assert structure.version() != before
        assert structure.cached("probe", lambda: "new") == "new"
    finally:
        structure._request_finished()
