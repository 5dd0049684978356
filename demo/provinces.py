"""Demo data: two small synthetic provinces beside An Giang, so that a newcomer sees the Ministry's view
with more than one province and sees provinces kept apart. Each is An Giang's 2018 program (the same
targets, activities and calendar) on a made-up province named as synthetic ("Tỉnh Mẫu A (dữ liệu giả
lập)"), loaded through the program's loader, with its DOLISA officer and one reporter per agency, every
Q1 and Q2 report accepted (but a few agencies' Q2 in the second province, so reporting rates differ), and
its six-month report compiled and issued. Codes are prefixed ("gla-so-y-te", unit "GLA-883"), so nothing
is shared with An Giang."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from programs.models import Program
from programs.selectors import program_agencies
from programs.services import program_load, program_read_file
from reporting import services
from reporting.models import Submission
from reporting.selectors import form_spec

from .accounts import DEMO_MAIL_DOMAIN, DEMO_PASSWORD
from .submissions import TZ, _Demo

# (code, letter, agencies whose Q2 report is missing): the second province has not heard from three.
SYNTHETIC = (("GLA", "A", 0), ("GLB", "B", 3))
SYNTHETIC_NAME = "Tỉnh Mẫu %s (dữ liệu giả lập)"


def synthetic_program_data(template: dict[str, Any], *, code: str, letter: str) -> dict[str, Any]:
    """The program file's content for a synthetic province: the template's units and agencies renamed and
    their codes prefixed (every reference to them follows), its words of An Giang made the province's."""
    data = copy.deepcopy(template)
    prefix = code.lower()
    renames: dict[str, str] = {}
    root = data["units"]
    renames[str(root["code"])] = code
    for i, district in enumerate(root.get("children", []), start=1):
        renames[str(district["code"])] = f"{code}-{i:02d}"
        for j, commune in enumerate(district.get("children", []), start=1):
            renames[str(commune["code"])] = f"{code}-{i:02d}-{j:02d}"
    for agency in data["agencies"]:
        renames[agency["code"]] = f"{prefix}-{agency['code']}"
    names = _rename_units(root, code=code, letter=letter)
    for agency in data["agencies"]:
        if agency["kind"] == "district":
            district = names[str(agency["unit"])]
            agency["name"], agency["short_name"] = f"Ủy ban nhân dân {district[0]}", f"UBND {district[1]}"
        agency.pop("name_en", None)
    place = f"Mẫu {letter}"
    return _replace(data, renames, ("An Giang", place))


def _rename_units(root: dict[str, Any], *, code: str, letter: str) -> dict[str, tuple[str, str]]:
    """Name the province and its units as synthetic ones; returns the districts' (name, short name) by their
    template code."""
    root["name"], root["short_name"] = SYNTHETIC_NAME % letter, f"Mẫu {letter}"
    names = {}
    for i, district in enumerate(root.get("children", []), start=1):
        short = f"Mẫu {letter}.{i:02d}"
        district["name"], district["short_name"] = f"Huyện {short}", short
        district["kind"] = "huyen"
        names[str(district["code"])] = (district["name"].replace("Huyện", "huyện"), district["name"])
        for j, commune in enumerate(district.get("children", []), start=1):
            commune["name"] = f"Xã Mẫu {letter}.{i:02d}.{j:02d}"
            commune["kind"] = "xa"
            commune.pop("note", None)
    return names


def _replace(node: Any, renames: dict[str, str], words: tuple[str, str]) -> Any:
    """Every string equal to a renamed code becomes the new code; the province's name in text, the new one."""
    if isinstance(node, dict):
        return {k: _replace(v, renames, words) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace(v, renames, words) for v in node]
    if isinstance(node, str):
        return renames.get(node, node.replace(*words))
    return node


def synthetic_province_load(*, code: str, letter: str, template: dict[str, Any] | None = None) -> Program:
    """Load a synthetic province's 2018 program and its accounts (an officer `<code>-dolisa`, one reporter
    per agency named by the agency's code), with the demo password. Loading again changes nothing."""
    template = template if template is not None else program_read_file(path=settings.PROGRAM_DATA_FILE)
    program, _report = program_load(data=synthetic_program_data(template, code=code, letter=letter))
    _accounts(program, officer=f"{code.lower()}-dolisa")
    return program


@transaction.atomic
def _accounts(program: Program, *, officer: str) -> None:
    encoded = make_password(DEMO_PASSWORD)
    reporter, dolisa = Group.objects.get(name=Role.REPORTER.value), Group.objects.get(name=Role.DOLISA.value)
    agencies = list(program_agencies(program=program))
    specs = [(officer, dolisa, next(a for a in agencies if a.code.endswith("-so-ldtbxh")))]
    specs += [(a.code, reporter, a) for a in agencies]
    existing = set(User.objects.filter(username__in=[s[0] for s in specs]).values_list("username", flat=True))
    for username, group, agency in specs:
        if username not in existing:
            email = f"{username}@{DEMO_MAIL_DOMAIN}"
            user = User.objects.create(
                username=username, password=encoded, agency=agency, email=email, first_name=agency.short_name
            )
            user.groups.add(group)


def synthetic_submissions_create(*, program: Program, officer: str, missing_q2: int = 0) -> int:
    """Every agency's Q1 and Q2 reports, drawn as the demo's are, saved, submitted and accepted through the
    services (but the Q2 reports of the last `missing_q2` agencies, never sent). Nothing if the program has
    submissions already."""
    if Submission.objects.filter(quarter__program=program).exists():
        return 0
    demo = _Demo(program, officer=officer)
    rng = random.Random(program.province.code)  # reproducible demo values  # noqa: S311  # nosec B311
    count, q1_data = 0, {}
    for number, quarter, day in ((1, demo.q1, dt.date(2018, 3, 15)), (2, demo.q2, dt.date(2018, 5, 8))):
        agencies = demo.agencies if number == 1 else demo.agencies[: len(demo.agencies) - missing_q2]
        for agency in agencies:
            at = dt.datetime.combine(day, dt.time(8 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=TZ)
            spec = form_spec(agency=agency, quarter=quarter)
            data = demo.values(agency, number, q1_data.get(agency.pk))
            q1_data.setdefault(agency.pk, data)
            data["change_explanation"] = "Số liệu tổng hợp từ rà soát của quý (dữ liệu giả lập)."
            reporter = demo.users[agency.code]
            sub = Submission(agency=agency, quarter=quarter, version=0)
            sub = services.submission_save(submission=sub, user=reporter, spec=spec, data=data, expected_version=0,
                                           at=at).submission  # fmt: skip
            sub = services.submission_submit(submission=sub, user=reporter, spec=spec, expected_version=sub.version,
                                             at=at + dt.timedelta(minutes=5))  # fmt: skip
            services.submission_accept(submission=sub, user=demo.officer, comment="", at=at + dt.timedelta(days=1))
            count += 1
    Submission.objects.filter(quarter__program=program).update(is_demo=True)
    return count
