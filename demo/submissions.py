"""Demo data: plausible Q1 and Q2 2018 submissions for every agency, so that a newcomer who opens the
demo portal sees a living program (reports on time and late, one returned, some waiting for review,
drafts half filled) instead of 26 empty forms.

Everything goes through the real services (reporting.services), acting as each agency's demo
reporter (username = agency code) and as the DOLISA officer `dolisa`, with explicit `at=` times in
2018 (Asia/Ho_Chi_Minh). The rows are then marked `is_demo=True`. The values are drawn from a
random.Random with a fixed seed: every run produces the same demo.

The portal clock. Every service call passes `at=`, and the services judge deadlines and "today"
from it, so the result does not depend on the clock setting (or the real date) at call time. Late
Q1 reports follow the real path: DOLISA reopens the report after the deadline, then the agency
submits and the service counts its days late.

The demo is meant to be served as of DEMO_TODAY (10/05/2018, PORTAL_CLOCK_TODAY=2018-05-10): Q1 is
closed and reviewed (its deadline was 20/03, VIII.1), Q2's (the six-month report, 20/05) is ten days away.
Every action is dated before it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from activities.models import OutputTarget
from programs.models import AdminUnit, Agency, Program, Quarter
from programs.selectors import program_agencies
from programs.snapshots import OutputInfo
from reporting import services
from reporting.fields import (
    ACT_NUMBERS,
    ACT_TEXTS,
    COMMUNE_BUDGET,
    act_field,
    commune_field,
    ind_field,
    initial_from,
    out_field,
)
from reporting.models import ActivityProgress, Submission
from reporting.selectors import FormSpec, Values, form_spec

DEMO_YEAR = 2018
DEMO_TODAY = dt.date(2018, 5, 10)  # the day the demo portal is served as of (PORTAL_CLOCK_TODAY)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 5352018
OFFICER = "dolisa"

# The demo's story, by agency code (a code missing from the program falls back to another district).
RETURNED_Q1 = "ubnd-tri-ton"
RETURN_COMMENT = "Mẫu số mục tiêu 3 chưa khớp số liệu BHXH huyện, đề nghị rà soát lại."
JUMP_DISTRICT = "ubnd-chau-phu"  # its Q2 figures for target 2 jump by more than half, with an explanation
JUMP_EXPLANATION = (
    "Quý II/2018 qua đợt rà soát tại các trường học và cộng đồng, huyện phát hiện thêm một số trường hợp trẻ em "
    "bị xâm hại tình dục; các em đều đã được hỗ trợ, can thiệp kịp thời nên số liệu mục tiêu 2 tăng so với quý I."
)
BELOW_DISTRICT_FLOOR = ("ubnd-an-phu", "ubnd-tri-ton")
BELOW_COMMUNES_FLOOR = "ubnd-tinh-bien"  # a few of its communes get less than 20 triệu/xã/năm
NO_FULL_SAFE_HOME = "ubnd-chau-thanh"  # no commune at 100% Safe Home households: target 5b not met there
Q1_LATE_DAYS = (1, 2, 3, 6, 7)  # past 20/03 (a Tuesday); 24/03 is a Saturday, 25/03 a Sunday: nobody submits then
Q1_REVIEWED = (dt.date(2018, 3, 21), dt.date(2018, 3, 30))  # DOLISA reviews Q1 after its deadline
Q2_ACCEPTED, Q2_SUBMITTED = 4, 10  # the others are drafts
Q2_ACCEPTED_DISTRICTS = 2  # at least this many of the Q2 reports accepted are districts
HOLIDAYS = {dt.date(2018, 4, 25), dt.date(2018, 4, 30), dt.date(2018, 5, 1)}  # Giỗ Tổ, 30/4, 1/5

S = ActivityProgress.Status
ACTIVE = (S.IN_PROGRESS, S.DONE)
Q1_DONE = {"I.1.1", "I.3.5", "I.5.1"}  # the plan's guidance, the New Year meeting and Tết gifts: first quarter
NOT_BEFORE_Q2 = {"I.3.1", "I.5.2", "I.5.4", "I.5.5", "I.9.3", "I.10.1", "I.10.2", "V.2"}
CHILD_ACTIVITIES = {
    "I.2.3", "I.2.6", "I.3.1", "I.3.2", "I.3.3", "I.3.4", "I.3.5", "I.5.1", "I.5.2", "I.5.3", "I.5.4", "I.5.5",
    "I.5.6", "I.5.7", "I.6.1", "I.6.5", "I.7.3", "I.8.1", "I.8.2", "I.8.3", "I.10.2", "III.5", "IV.5",
}  # fmt: skip
FORUMS = "I.3.1.a"  # each district holds its children's forum in Q2
SAFE_HOME_COMMUNES = "I.2.4.a"  # communes running the Safe Home model: the district's ticked pilots
LATER_IN_YEAR = {"I.2.5.b", "I.9.3.a", "V.2.a", "V.2.b"}  # checks and guidance, none before Q2
PER_COMMUNE_STATES = {"tiêu chí"}  # a level a district states for itself (the 15 criteria kept)
SUM_SHARE = {1: 0.2, 2: 0.3}  # share of a yearly quantity achieved in the quarter

# (lowest, highest) denominator and (lowest, highest) share reached, by target number (1–4).
INDICATOR_RANGES = {1: ((40, 400), (0.85, 1.0)), 2: ((2, 15), (0.85, 1.0)), 3: ((5000, 20000), (0.85, 1.0)),
                    4: ((100, 800), (0.75, 0.95))}  # fmt: skip

ACCOUNTS = {  # what was done, by activity code prefix (longest wins); {c} children, {k} sessions or cases,
    # {n} communes, {m} people
    "I.1.5": [
        "Kiện toàn Ban điều hành hệ thống bảo vệ trẻ em cấp huyện và {n:02d} nhóm công tác bảo vệ trẻ em cấp xã."
    ],
    "I.1.7": ["Rà soát, cập nhật số liệu trẻ em vào sổ quản lý trẻ em tại {n:02d} xã, phường, thị trấn."],
    "I.2": ["Tuyên truyền phòng, chống tai nạn thương tích, đuối nước trẻ em tại {n:02d} xã, phường, thị trấn."],
    "I.2.2": ["Rà soát nhu cầu, dự kiến mở {k:02d} điểm giữ trẻ trong mùa lũ năm 2018."],
    "I.2.3": ["Tổ chức {k:02d} lớp dạy bơi an toàn cho {c} trẻ em tại các xã ven sông."],
    "I.2.6": ["Phối hợp các trường tiểu học tổ chức {k:02d} lớp dạy bơi cho {c} học sinh."],
    "I.3.1": [
        "Tổ chức Diễn đàn trẻ em cấp huyện với {c} trẻ em tham dự, ghi nhận {n:02d} ý kiến, kiến nghị của các em."
    ],
    "I.3.5": ["Tổ chức họp mặt giữa lãnh đạo địa phương với {c} trẻ em tiêu biểu nhân dịp đầu năm mới."],
    "I.4": ["Phối hợp tuyên truyền phòng ngừa lao động trẻ em tại {n:02d} xã, phường, thị trấn."],
    "I.5": ["Tổ chức hoạt động vui chơi, trải nghiệm cho {c} trẻ em có hoàn cảnh đặc biệt."],
    "I.5.1": ["Thăm, tặng {c} phần quà cho trẻ em có hoàn cảnh đặc biệt nhân dịp Tết Nguyên đán Mậu Tuất 2018."],
    "I.5.3": ["Phối hợp khám sức khỏe nha khoa cho {c} trẻ em có hoàn cảnh đặc biệt tại cộng đồng."],
    "I.5.7": ["Vận động mạnh thường quân trao {c} suất học bổng và cặp phao cho trẻ em có hoàn cảnh khó khăn."],
    "I.6": [
        "Tiếp nhận, xử lý {k:02d} trường hợp trẻ em bị xâm hại, phối hợp hỗ trợ tâm lý và trợ giúp pháp lý kịp thời."
    ],
    "I.6.6": ["Tổ chức {k:02d} buổi nói chuyện chuyên đề phòng, chống xâm hại tình dục trẻ em với {m} người tham dự."],
    "I.7.3": ["Phối hợp khám sàng lọc tim cho {c} trẻ em, lập hồ sơ đề nghị hỗ trợ phẫu thuật {k:02d} ca."],
    "I.8": ["Rà soát, bổ sung hồ sơ và chi trả trợ cấp xã hội hằng tháng cho {c} trẻ em thuộc diện bảo trợ xã hội."],
    "I.9": ["Hướng dẫn {n:02d} xã, phường, thị trấn rà soát, duy trì các tiêu chí xã, phường phù hợp với trẻ em."],
    "III": [
        "Phối hợp Đài truyền thanh phát {n:02d} tin, bài; tổ chức {k:02d} buổi tuyên truyền tại ấp, khóm với {m} lượt "
        "người tham dự.",
        "In và cấp phát {m} tờ rơi, áp phích tuyên truyền Luật Trẻ em năm 2016 tại các xã, phường, thị trấn.",
    ],
    "III.6": ["Trợ giúp pháp lý miễn phí cho {k:02d} trường hợp trẻ em bị bạo lực, xâm hại tham gia tố tụng."],
    "IV": ["Tổ chức {k:02d} lớp tập huấn cho {m} cán bộ, cộng tác viên bảo vệ trẻ em cấp xã."],
    "V": ["Tổ chức {k:02d} đợt kiểm tra việc thực hiện chế độ, chính sách cho trẻ em có hoàn cảnh đặc biệt."],
    "": [
        "Xây dựng kế hoạch thực hiện trong quý, phân công cán bộ theo dõi, đôn đốc.",
        "Lồng ghép nội dung bảo vệ, chăm sóc trẻ em vào các hoạt động thường xuyên của đơn vị.",
        "Phối hợp các ngành liên quan triển khai theo kế hoạch, đang tổng hợp kết quả.",
    ],
}
DIFFICULTIES = [
    "Đội ngũ cộng tác viên bảo vệ trẻ em ở ấp, khóm thường xuyên thay đổi, ảnh hưởng đến việc thu thập số liệu.",
    "Kinh phí bố trí cho công tác bảo vệ, chăm sóc trẻ em cấp xã còn hạn chế.",
    "Cán bộ làm công tác trẻ em cấp xã kiêm nhiệm nhiều việc, chưa có nhiều thời gian đầu tư cho các hoạt động.",
    "Việc phối hợp cung cấp số liệu giữa các ngành ở cấp huyện còn chậm.",
    "Một số gia đình chưa hợp tác khi cán bộ đến xác minh các trường hợp trẻ em có nguy cơ bị xâm hại.",
]
PROPOSALS = [
    "Đề nghị Sở Lao động – Thương binh và Xã hội tổ chức thêm lớp tập huấn nghiệp vụ quản lý trường hợp cho cán bộ "
    "cấp xã.",
    "Đề nghị UBND tỉnh xem xét bố trí thêm kinh phí hỗ trợ lồng bơi cho các xã vùng sâu.",
    "Đề nghị Sở sớm ban hành hướng dẫn thống nhất biểu mẫu thu thập số liệu trẻ em.",
    "Đề nghị hỗ trợ phụ cấp cho đội ngũ cộng tác viên bảo vệ trẻ em tại ấp, khóm.",
]
ACCEPT_COMMENTS = [
    "",
    "",
    "Đã đối chiếu số liệu, thống nhất.",
    "Số liệu đầy đủ, đề nghị tiếp tục theo dõi các trường hợp trẻ em có hoàn cảnh đặc biệt.",
]
REOPEN_COMMENT = "Mở lại theo đề nghị của đơn vị để hoàn thiện báo cáo quý I."


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _workdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]


# ------------------------------------------------------------------------------------------------
# The plan: who does what, when
# ------------------------------------------------------------------------------------------------
@dataclass
class Step:
    kind: str  # save_partial, save, submit, reopen, accept, return
    at: dt.datetime
    comment: str = ""
    until: dt.date | None = None


@dataclass
class Plan:
    agency: Agency
    quarter: Quarter
    steps: list[Step]
    final: str  # the status it ends in


@dataclass
class _Ctx:
    """What one agency's demo values are drawn from, kept from Q1 to Q2."""

    spec1: FormSpec
    spec2: FormSpec
    denominators: dict[int, tuple[int, float]] = field(default_factory=dict)  # indicator → (den, share)
    ticks: dict[str, list[int]] = field(default_factory=dict)  # flag → commune ids, Q1
    budget: tuple[int, dict[int, int]] | None = None  # the district's own, each commune's (by commune id)
    sum_quarter: dict[int, int] = field(default_factory=dict)  # output → quarter of a district's one-off share
    states: dict[int, int] = field(default_factory=dict)  # output → the district's Q1 count of communes
    pilots: int = 0  # communes ticked for the Safe Home pilot in the quarter being drawn


class _Demo:
    def __init__(self, program: Program, *, officer: str = OFFICER):
        self.program = program
        self.rng = random.Random(SEED)  # reproducible demo values, not security  # noqa: S311  # nosec B311
        self.q1 = program.quarters.get(number=1)
        self.q2 = program.quarters.get(number=2)
        self.agencies = list(program_agencies(program=program))
        self.districts = [a for a in self.agencies if a.is_district]
        codes = {a.code for a in self.agencies}
        users = {u.username: u for u in User.objects.filter(username__in=[*codes, officer])}
        missing = sorted({*codes, officer} - set(users))
        if missing:
            raise RuntimeError(f"Demo accounts missing (run demo_accounts_create first): {', '.join(missing)}")
        self.users, self.officer = users, users[officer]
        self.ctx = {a.pk: _Ctx(spec1=form_spec(agency=a, quarter=self.q1), spec2=form_spec(agency=a, quarter=self.q2))
                    for a in self.agencies}  # fmt: skip
        self.contributors: dict[int, int] = {}
        for c in self.ctx.values():
            for out in c.spec1.outputs:
                self.contributors[out.pk] = self.contributors.get(out.pk, 0) + 1
        district_codes = [a.code for a in self.districts]
        self.returned = self._pick(RETURNED_Q1, district_codes, taken=())
        self.jump = self._pick(JUMP_DISTRICT, district_codes, taken=(self.returned,))
        self.no_full = self._pick(NO_FULL_SAFE_HOME, district_codes, taken=())

    @staticmethod
    def _pick(code: str, candidates: list[str], taken: tuple[str, ...]) -> str | None:
        if code in candidates:
            return code
        return next((c for c in reversed(candidates) if c not in taken), None)

    # --------------------------------------------------------------------------------------------
    def plans(self) -> list[Plan]:
        """Q1's plans, then Q2's (drawn in this order from the one seeded generator)."""
        return [*self._q1_plans(), *self._q2_plans()]

    def _q1_plans(self) -> list[Plan]:
        """Q1: all submitted; five late after a reopen, one returned, the rest accepted."""
        rng = self.rng
        plans: list[Plan] = []
        # the late ones are among the agencies the decision directs: a requested body (VIII.2.10) is never late
        others = [a for a in self.agencies if a.code != self.returned and not a.is_requested]
        late = dict(zip([a.code for a in rng.sample(others, len(Q1_LATE_DAYS))], Q1_LATE_DAYS, strict=True))
        deadline = self.q1.entry_deadline
        early = _workdays(deadline - dt.timedelta(days=14), deadline - dt.timedelta(days=1))
        for i, agency in enumerate(self.agencies):
            steps: list[Step] = []
            if agency.code in late:
                days = late[agency.code]
                if i % 2 == 0:  # began before the deadline, did not finish in time
                    steps.append(Step("save_partial", self._moment(rng.choice(early[-6:]))))
                reopen_day = deadline + dt.timedelta(days=1)
                steps.append(Step("reopen", _at(reopen_day, 7, rng.randint(30, 55)), REOPEN_COMMENT,
                                  until=reopen_day + dt.timedelta(days=7)))  # fmt: skip
                save = self._moment(deadline + dt.timedelta(days=days), after=steps[-1].at)
                steps += [Step("save", save), Step("submit", self._moment(save.date(), after=save))]
            else:
                first = rng.choice(early)
                if rng.random() < 0.3:  # a first draft a few days before
                    before = _workdays(first - dt.timedelta(days=6), first - dt.timedelta(days=2))
                    steps.append(Step("save_partial", self._moment(rng.choice(before))))
                save = self._moment(first)
                submit_day = rng.choice([d for d in _workdays(first, deadline) if d <= first + dt.timedelta(days=2)])
                steps += [Step("save", save), Step("submit", self._moment(submit_day, after=save))]
            submitted = steps[-1].at
            if agency.code == self.returned:
                day = _workdays(deadline + dt.timedelta(days=3), deadline + dt.timedelta(days=8))[0]
                steps.append(Step("return", self._moment(day, after=submitted), RETURN_COMMENT))
                final = Submission.Status.RETURNED
            else:
                review_days = _workdays(max(submitted.date() + dt.timedelta(days=1), Q1_REVIEWED[0]), Q1_REVIEWED[1])
                steps.append(Step("accept", self._moment(rng.choice(review_days)), rng.choice(ACCEPT_COMMENTS)))
                final = Submission.Status.ACCEPTED
            plans.append(Plan(agency, self.q1, steps, final))
        return plans

    def _q2_plans(self) -> list[Plan]:
        """Q2 as of DEMO_TODAY: a few accepted, about ten waiting for review, the rest drafts."""
        rng = self.rng
        plans: list[Plan] = []
        pool = [a for a in self.agencies if a.code not in (self.jump, self.returned)]
        rng.shuffle(pool)
        # Districts among those accepted, so that the year-to-date figures move on from Q1's.
        waiting = [a for a in pool[Q2_ACCEPTED:] if a.is_district]
        while sum(a.is_district for a in pool[:Q2_ACCEPTED]) < Q2_ACCEPTED_DISTRICTS and waiting:
            district = waiting.pop(0)
            pool.remove(district)
            pool.insert(0, district)
        accepted = {a.code for a in pool[:Q2_ACCEPTED]}
        submitted = {a.code for a in pool[Q2_ACCEPTED : Q2_ACCEPTED + Q2_SUBMITTED - 1]} | {self.jump}
        yesterday = DEMO_TODAY - dt.timedelta(days=1)
        for agency in self.agencies:
            if agency.code in accepted:
                save = self._moment(rng.choice(_workdays(dt.date(2018, 4, 19), dt.date(2018, 4, 26))))
                submit = self._moment(rng.choice(_workdays(save.date(), dt.date(2018, 4, 27))[:2]), after=save)
                accept = self._moment(rng.choice(_workdays(dt.date(2018, 5, 2), dt.date(2018, 5, 8))))
                steps = [
                    Step("save", save),
                    Step("submit", submit),
                    Step("accept", accept, rng.choice(ACCEPT_COMMENTS)),
                ]
                final = Submission.Status.ACCEPTED
            elif agency.code in submitted:
                save = self._moment(rng.choice(_workdays(dt.date(2018, 5, 2), yesterday)))
                submit = self._moment(rng.choice(_workdays(save.date(), yesterday)[:2]), after=save)
                steps, final = [Step("save", save), Step("submit", submit)], Submission.Status.SUBMITTED
            else:
                day = rng.choice(_workdays(dt.date(2018, 4, 16), yesterday))
                steps, final = [Step("save_partial", self._moment(day))], Submission.Status.DRAFT
            plans.append(Plan(agency, self.q2, steps, final))
        return plans

    def _moment(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime:
        """A plausible office time on `day`, later than `after` when that is the same day."""
        start = 7 * 60 + 30
        if after is not None and after.date() == day:
            start = after.hour * 60 + after.minute + 5
        minute = self.rng.randint(start, max(start, 16 * 60 + 45))
        return _at(day, minute // 60, minute % 60)

    # --------------------------------------------------------------------------------------------
    # Values
    # --------------------------------------------------------------------------------------------
    def values(self, agency: Agency, quarter: int, prev: dict | None) -> dict:
        """The whole form's cleaned data for the agency's report of `quarter` (1 or 2)."""
        rng, c = self.rng, self.ctx[agency.pk]
        spec = c.spec1 if quarter == 1 else c.spec2
        data = initial_from(spec=spec, values=Values(), submission=None)
        data.update(district_budget=None, difficulties="", proposals="", change_explanation="")
        if spec.reports_budget:
            data["communes_checked"] = True  # every district has looked at all its communes
            self._indicators(agency, spec, quarter, data)
            self._ticks(agency, spec, quarter, data)
            self._budget(agency, spec, data)
        for item in spec.activities:
            self._activity(agency, spec, item, quarter, data)
        if rng.random() < 0.4:
            data["difficulties"] = rng.choice(DIFFICULTIES)
            if rng.random() < 0.7:
                data["proposals"] = rng.choice(PROPOSALS)
        if quarter == 2 and prev is not None:
            jumps = set()
            if agency.code == self.jump:
                jumps = self._jump(spec, data)
                data["change_explanation"] = JUMP_EXPLANATION
            _keep_near(data, prev, spec, skip=jumps)
        return data

    def _indicators(self, agency: Agency, spec: FormSpec, quarter: int, data: dict) -> None:
        rng, c = self.rng, self.ctx[agency.pk]
        for ind in spec.indicators:
            (lo, hi), (p_lo, p_hi) = INDICATOR_RANGES.get(ind.target_number, ((50, 500), (0.8, 1.0)))
            if quarter == 1:
                den = rng.randint(lo, hi)
                if agency.code == self.returned and ind.target_number == 3:
                    den = round(den, -3)  # the round figure DOLISA questions
                share = rng.uniform(p_lo, p_hi)
                c.denominators[ind.pk] = (den, share)
                num = min(den, math.ceil(den * share))
            else:
                den1, share1 = c.denominators.get(ind.pk, (rng.randint(lo, hi), p_hi))
                num1 = min(den1, math.ceil(den1 * share1))
                den = _clamp(round(den1 * rng.uniform(0.93, 1.12)), math.ceil(den1 * 0.85), math.floor(den1 * 1.15))
                share = min(p_hi, max(p_lo, share1 + rng.uniform(-0.03, 0.04)))
                num = _clamp(math.ceil(den * share), math.ceil(num1 * 0.85), math.floor(num1 * 1.15))
                num = min(num, den)
            data[ind_field(ind.pk, "num")], data[ind_field(ind.pk, "den")] = num, den

    def _ticks(self, agency: Agency, spec: FormSpec, quarter: int, data: dict) -> None:
        rng, c = self.rng, self.ctx[agency.pk]
        ids = [u.pk for u in spec.communes]
        if quarter == 1:
            pilot = rng.sample(ids, max(1, round(len(ids) * rng.uniform(0.6, 0.9))))
            full = [] if agency.code == self.no_full else rng.sample(pilot, min(len(pilot), rng.choice([1, 1, 2])))
            friendly = rng.sample(ids, max(1, math.ceil(len(ids) * rng.uniform(0.85, 1.0))))
            c.ticks = {"safe_home_pilot": pilot, "safe_home_full": full, "child_friendly": friendly}
        ticks = {flag: list(v) for flag, v in c.ticks.items()}
        if quarter == 2:  # a commune or two more join the Safe Home pilot; nothing is lost
            rest = [i for i in ids if i not in ticks["safe_home_pilot"]]
            ticks["safe_home_pilot"] += rng.sample(rest, min(len(rest), rng.randint(0, 2)))
        c.pilots = len(ticks["safe_home_pilot"])
        for flag in spec.flags:
            for pk in ticks.get(flag, []):
                data[commune_field(pk, flag)] = True

    def _budget(self, agency: Agency, spec: FormSpec, data: dict) -> None:
        """The year's budget, the district's and each commune's: the same figures in both quarters. In
        the story's district a few communes get less than the floor per commune (VII.2)."""
        rng, c = self.rng, self.ctx[agency.pk]
        if c.budget is None:
            floor = spec.district_floor
            if agency.code in BELOW_DISTRICT_FLOOR:
                district = rng.randint(int(floor * 0.6) // 5_000_000, int(floor * 0.9) // 5_000_000) * 5_000_000
            else:
                district = rng.randint(floor // 5_000_000, int(floor * 2) // 5_000_000) * 5_000_000
            per_commune = spec.program.commune_budget_floor
            ids = [u.pk for u in spec.communes]
            below = set(rng.sample(ids, min(len(ids), 3))) if agency.code == BELOW_COMMUNES_FLOOR else set()
            amounts = {
                pk: rng.randint(per_commune * 6 // 10, per_commune * 9 // 10) // 1_000_000 * 1_000_000 if pk in below
                else rng.randint(per_commune, per_commune * 7 // 4) // 1_000_000 * 1_000_000
                for pk in ids
            }  # fmt: skip
            c.budget = (district, amounts)
        district, amounts = c.budget
        data["district_budget"] = district
        for pk, amount in amounts.items():
            data[commune_field(pk, COMMUNE_BUDGET)] = amount

    def _jump(self, spec: FormSpec, data: dict) -> set[str]:
        """Target 2's figures jump by more than half (cases found by a screening): the >50% warning."""
        ind = next((i for i in spec.indicators if i.target_number == 2), spec.indicators[0])
        den1, _share = self.ctx[spec.agency.pk].denominators[ind.pk]
        den = den1 + max(4, den1)
        num = den - self.rng.choice([0, 1])
        data[ind_field(ind.pk, "num")], data[ind_field(ind.pk, "den")] = num, den
        return {ind_field(ind.pk, "num"), ind_field(ind.pk, "den")}

    def _activity(self, agency: Agency, spec: FormSpec, item, quarter: int, data: dict) -> None:
        rng = self.rng
        code, a = item.activity.code, item.activity.pk
        status = self._status(code, quarter, agency)
        carried = quarter == 2 and code in Q1_DONE  # finished in Q1: nothing new to report
        active = status in ACTIVE and not carried
        boys = girls = money = None
        if active and code in CHILD_ACTIVITIES and rng.random() < 0.8:
            lo, hi = (40, 300) if code.startswith("I.8") else (50, 400) if code == "I.5.1" else (10, 150)
            total = rng.randint(lo, hi)
            boys = round(total * rng.uniform(0.45, 0.55))
            girls = total - boys
        if active and rng.random() < (0.75 if agency.is_district or item.role == "lead" else 0.4):
            money = rng.randint(5, 160) * 500_000  # 2.500.000 – 80.000.000 đồng
        outputs = {out.pk: self._output(agency, item, out, quarter, active) for out in item.outputs}
        if any(v is not None for v in outputs.values()) and status not in ACTIVE:
            status = S.IN_PROGRESS
        data[act_field(a, "status")] = status
        data[act_field(a, "boys")], data[act_field(a, "girls")], data[act_field(a, "money")] = boys, girls, money
        if active and rng.random() < 0.35:
            data[act_field(a, "account")] = self._account(code, boys, girls, spec)
        if active and rng.random() < 0.06:
            data[act_field(a, "difficulties")] = rng.choice(DIFFICULTIES)
            if rng.random() < 0.5:
                data[act_field(a, "proposals")] = rng.choice(PROPOSALS)
        for pk, value in outputs.items():
            data[out_field(pk)] = value

    def _status(self, code: str, quarter: int, agency: Agency) -> str:
        rng = self.rng
        if quarter == 1:
            if code in Q1_DONE:
                return S.DONE
            if code in NOT_BEFORE_Q2:
                return S.NOT_STARTED
            return rng.choices([S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.NOT_APPLICABLE], [35, 50, 8, 7])[0]
        if code in Q1_DONE:
            return S.DONE
        if code == "I.3.1" and agency.is_district:
            return S.DONE  # the forum was held
        return rng.choices([S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.NOT_APPLICABLE], [5, 55, 35, 5])[0]

    def _account(self, code: str, boys: int | None, girls: int | None, spec: FormSpec) -> str:
        rng = self.rng
        prefix = max((p for p in ACCOUNTS if code.startswith(p)), key=len)
        children = (boys or 0) + (girls or 0)
        choices = [t for t in ACCOUNTS[prefix] if children or "{c}" not in t] or ACCOUNTS[""]
        k = rng.randint(1, 4)
        n = rng.randint(2, max(3, min(12, len(spec.communes) or 8)))
        return rng.choice(choices).format(c=children, k=k, n=n, m=k * rng.randint(3, 6) * 10)

    def _output(self, agency: Agency, item, out: OutputInfo, quarter: int, active: bool) -> int | None:
        rng, c = self.rng, self.ctx[agency.pk]
        named = sorted((u for u in out.units if u.level == AdminUnit.Level.DISTRICT), key=lambda u: (u.order, u.code))
        latest = out.aggregation == OutputTarget.Aggregation.LATEST
        if named:  # the decision names the districts: each named district reports its own part
            if not agency.is_district or agency.unit_id not in [u.pk for u in named]:
                return None
            index = [u.pk for u in named].index(agency.unit_id)
            share = out.quantity // len(named) + (1 if index < out.quantity % len(named) else 0)
            if share == 0:
                return None
            if latest:
                if out.code in LATER_IN_YEAR:
                    return share if quarter == 2 and active and rng.random() < 0.6 else None
                return share if quarter == 2 or rng.random() < 0.8 else None
            if out.pk not in c.sum_quarter:
                c.sum_quarter[out.pk] = 2 if out.code == FORUMS or rng.random() < 0.65 else 1
            return share if c.sum_quarter[out.pk] == quarter else None
        if out.is_per_commune:  # districts count their communes' collaborators (about 12 a commune)
            n = len(c.spec1.communes)
            return round(n * rng.uniform(out.quantity * 0.85, out.quantity * 1.1)) if agency.is_district else None
        if latest:  # a state: districts report their communes, the lead agency the rest
            if agency.is_district:
                n = len(c.spec1.communes)
                if out.code == SAFE_HOME_COMMUNES:
                    return c.pilots or None
                if out.unit == "xã":  # grows from Q1 by a commune or two
                    if quarter == 1:
                        c.states[out.pk] = round(n * rng.uniform(0.4, 0.8))
                        return c.states[out.pk] or None
                    return min(n, c.states.get(out.pk, 0) + rng.randint(0, 2)) or None
                if out.unit in PER_COMMUNE_STATES:
                    return out.quantity - rng.randint(0, max(1, out.quantity // 8))
                return None
            if out.unit == "xã" or out.unit in PER_COMMUNE_STATES or item.role != "lead":
                return None
            return math.ceil(out.quantity * (0.3 if quarter == 1 else 0.45))
        if not active:  # a count achieved in the quarter, shared among everyone who contributes
            return None
        expected = out.quantity * SUM_SHARE.get(quarter, 0.25) / self.contributors.get(out.pk, 1)
        x = expected * rng.uniform(0.7, 1.3)
        value = math.floor(x) + (1 if rng.random() < x - math.floor(x) else 0)
        if out.is_money:
            value = round(value, -6)
        return value or None


def _clamp(value: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, value)) if lo <= hi else value


def _numeric_fields(spec: FormSpec) -> dict[str, int]:
    """The numbers compared with the previous quarter (services.change_warnings), with their step."""
    fields = {}
    for ind in spec.indicators:
        fields[ind_field(ind.pk, "num")] = fields[ind_field(ind.pk, "den")] = 1
    for item in spec.activities:
        a = item.activity.pk
        fields[act_field(a, "boys")] = fields[act_field(a, "girls")] = 1
        fields[act_field(a, "money")] = 500_000
        for out in item.outputs:
            fields[out_field(out.pk)] = 1_000_000 if out.is_money else 1
    if spec.reports_budget:
        fields["district_budget"] = 1
        for commune in spec.communes:
            fields[commune_field(commune.pk, COMMUNE_BUDGET)] = 1_000_000
    return fields


def _keep_near(data: dict, prev: dict, spec: FormSpec, *, skip: set[str]) -> None:
    """Keep every Q2 number within half of its Q1 value (the >50% warning is for the story's one jump)."""
    for name, step in _numeric_fields(spec).items():
        before, now = prev.get(name), data.get(name)
        if name in skip or not before or now is None or abs(now - before) <= 0.5 * before:
            continue
        lo, hi = math.ceil(before * 0.5 / step) * step, math.floor(before * 1.5 / step) * step
        data[name] = _clamp(now, lo, hi) if lo <= hi else before


def _partial(rng: random.Random, data: dict, spec: FormSpec) -> dict:
    """A draft on its way: some of the indicators and activities filled in, never none, never all."""
    part = dict(data)

    def dropped(items: list) -> list:
        if len(items) < 2:
            return []
        keep = _clamp(round(len(items) * rng.uniform(0.3, 0.7)), 1, len(items) - 1)
        return rng.sample(items, len(items) - keep)

    for ind in dropped(spec.indicators):
        part[ind_field(ind.pk, "num")] = part[ind_field(ind.pk, "den")] = None
    for item in dropped(spec.activities):
        a = item.activity.pk
        part[act_field(a, "status")] = ""
        for name in ACT_NUMBERS:
            part[act_field(a, name)] = None
        for name in ACT_TEXTS:
            part[act_field(a, name)] = ""
        for out in item.outputs:
            part[out_field(out.pk)] = None
    if rng.random() < 0.5:
        part["district_budget"] = None
        for commune in spec.communes:
            part[commune_field(commune.pk, COMMUNE_BUDGET)] = None
    part["difficulties"] = part["proposals"] = part["change_explanation"] = ""
    return part


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def demo_submissions_create(*, program: Program) -> int:
    """Load the demo's Q1 and Q2 submissions for every agency of `program`; returns how many were
    created. Does nothing (returns 0) when the program already has demo submissions, or any
    submission at all: demo data is never mixed into real reports."""
    if Submission.objects.filter(quarter__program=program).exists():
        return 0
    demo = _Demo(program)
    plans = demo.plans()
    q1_data: dict[int, dict] = {}
    created: dict[int, dt.datetime] = {}
    for plan in plans:  # Q1 plans come first: Q2's values are drawn near Q1's
        agency, quarter = plan.agency, plan.quarter.number
        ctx = demo.ctx[agency.pk]
        spec = ctx.spec1 if quarter == 1 else ctx.spec2
        data = demo.values(agency, quarter, q1_data.get(agency.pk))
        if quarter == 1:
            q1_data[agency.pk] = data
        sub = _run(plan, spec, data, reporter=demo.users[agency.code], officer=demo.officer, rng=demo.rng)
        created[sub.pk] = plan.steps[0].at
    for pk, first in created.items():
        Submission.objects.filter(pk=pk).update(is_demo=True, created_at=first)
    Submission.history.filter(id__in=list(created)).update(is_demo=True)
    return len(created)


def _run(plan: Plan, spec: FormSpec, data: dict, *, reporter, officer, rng: random.Random) -> Submission:
    """Carry out the plan's steps through the services, each at its own time."""
    sub = Submission(agency=plan.agency, quarter=plan.quarter, version=0)
    for step in plan.steps:
        if step.kind in ("save", "save_partial"):
            values = _partial(rng, data, spec) if step.kind == "save_partial" else data
            sub = services.submission_save(
                submission=sub, user=reporter, spec=spec, data=values, expected_version=sub.version, at=step.at
            ).submission
        elif step.kind == "submit":
            sub = services.submission_submit(
                submission=sub, user=reporter, spec=spec, expected_version=sub.version, at=step.at
            )
        elif step.kind == "reopen":
            sub = services.submission_reopen(
                submission=sub, user=officer, until=step.until, comment=step.comment, at=step.at
            )
        elif step.kind == "accept":
            sub = services.submission_accept(submission=sub, user=officer, comment=step.comment, at=step.at)
        elif step.kind == "return":
            sub = services.submission_return(submission=sub, user=officer, comment=step.comment, at=step.at)
        else:  # pragma: no cover - a typo in the plan
            raise ValueError(step.kind)
    if sub.status != plan.final:  # pragma: no cover - the plan and the services disagree
        raise RuntimeError(f"{plan.agency.code} Q{plan.quarter.number}: {sub.status}, expected {plan.final}")
    return sub
