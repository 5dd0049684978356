"""The program's names, definitions and units in English (the `*_en` fields of the program file), shown
under the English interface; the decision's Vietnamese otherwise."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_every_indicator_and_output_of_2018_has_its_english():
    data = yaml.safe_load(Path(settings.PROGRAM_DATA_FILE).read_text(encoding="utf-8"))
    indicators = [i for t in data["targets"] for i in t["indicators"]]
    assert all(i.get("name_en") and i.get("numerator_en") and i.get("denominator_en") for i in indicators)
    outputs = [o for g in data["activity_groups"] for a in g["activities"] for o in a["outputs"]]
    assert all(o.get("label_en") for o in outputs)
    assert all(o.get("unit_en") for o in outputs if o["unit"] != "đồng")
    assert all(t.get("text_en") for t in data["targets"])
    assert all(g.get("short_title_en") for g in data["activity_groups"])
    activities = [a for g in data["activity_groups"] for a in g["activities"]]
    assert len(activities) == 69 and all(a.get("text_en") for a in activities)


def test_the_english_interface_shows_the_english_names(login, program):
    client = login("dolisa")
    client.cookies["django_language"] = "en"
    body = client.get("/programs/2018/").content.decode()
    assert "Children under 6 issued health-insurance cards" in body
    assert "School social work points maintained" in body
    assert "8 points" in body
    assert "Pilot case management for two groups of children in special circumstances" in body  # activity I.1.10
    assert "Teach lower-secondary pupils in An Giang province skills against child sexual abuse" in body  # III.5
    client.cookies["django_language"] = "vi"
    body = client.get("/programs/2018/").content.decode()
    assert "Điểm công tác xã hội trường học được duy trì" in body and "School social work points" not in body
