"""Demo incident reports: a handful of plausible urgent cases in the first months of 2018, so that the
incident list, its follow-up and the counts by kind and district are not empty in the demo portal.

Counts only, as for every incident: no child is described. Everything goes through the real services
(incidents.services) as the filing agency's demo reporter and the DOLISA officer `dolisa`, with
explicit times before the demo's day (10/05/2018); no e-mail is sent. The rows are then marked
`is_demo=True`. Running it again creates nothing.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from incidents import selectors, services
from incidents.models import Incident
from programs.models import Program

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICER = "dolisa"
K = Incident.Kind

# (filed by, district code, commune index in the district, occurred on, reported at (day, hour), kind,
#  counts, involved (police, health, justice), actions, still needed, follow-up notes, closed on)
CASES = [
    ("ubnd-cho-moi", "893", 3, dt.date(2018, 1, 18), (dt.date(2018, 1, 18), 16), K.DROWNING_INJURY,
     {"boys_6_11": 1, "girls_6_11": 1}, (False, True, False),
     "Hai trẻ em bị đuối nước khi tắm sông sau giờ học; người dân cứu kịp thời, đưa đến Trạm Y tế xã sơ cứu rồi "
     "chuyển Trung tâm Y tế huyện. UBND xã đã thăm hỏi gia đình.",
     "Tổ chức lớp dạy bơi hè cho trẻ em trong xã; cắm biển cảnh báo tại các bến sông.",
     [("ubnd-cho-moi", (dt.date(2018, 1, 22), 9), "Cả hai trẻ đã khỏe, đi học bình thường."),
      (OFFICER, (dt.date(2018, 1, 23), 10), "Đề nghị huyện đưa xã vào kế hoạch dạy bơi năm 2018.")],
     dt.date(2018, 1, 25)),
    ("ubnd-chau-phu", "889", 1, dt.date(2018, 2, 6), (dt.date(2018, 2, 7), 8), K.SEXUAL_ABUSE,
     {"girls_11_16": 1}, (True, True, True),
     "Công an huyện đã tiếp nhận tin báo, lấy lời khai theo quy trình thân thiện; trẻ được khám tại Trung tâm Y tế "
     "huyện và được tư vấn tâm lý. Trợ giúp pháp lý miễn phí cho gia đình.",
     "Hỗ trợ tâm lý dài hạn; hỗ trợ học bổng để trẻ tiếp tục đi học.",
     [(OFFICER, (dt.date(2018, 2, 8), 14), "Sở đã đề nghị Trung tâm Công tác xã hội tỉnh cử cán bộ hỗ trợ tâm lý.")],
     None),
    ("cong-an-tinh", "884", 2, dt.date(2018, 3, 2), (dt.date(2018, 3, 3), 10), K.TRAFFICKING,
     {"girls_16_18": 2}, (True, False, True),
     "Phối hợp Bộ đội Biên phòng ngăn chặn việc đưa hai trẻ em qua biên giới trái phép; đã bàn giao trẻ cho địa "
     "phương và gia đình. Vụ việc đang được điều tra.",
     "Hỗ trợ tái hòa nhập cộng đồng, học nghề cho trẻ.",
     [], None),
    ("ubnd-tri-ton", "891", 0, dt.date(2018, 3, 20), (dt.date(2018, 3, 21), 15), K.CHILD_LABOUR,
     {"boys_11_16": 3, "boys_16_18": 1}, (False, False, False),
     "Đoàn kiểm tra liên ngành phát hiện bốn trẻ em làm việc tại một lò gạch; đã yêu cầu chủ cơ sở chấm dứt sử dụng "
     "lao động trẻ em và đưa trẻ về gia đình.",
     "Vận động trẻ trở lại trường; hỗ trợ sinh kế cho gia đình.",
     [(OFFICER, (dt.date(2018, 3, 26), 9), "Đề nghị Phòng LĐTBXH huyện theo dõi việc trẻ trở lại trường.")],
     None),
    ("so-y-te", "883", 5, dt.date(2018, 4, 12), (dt.date(2018, 4, 12), 20), K.VIOLENCE,
     {"boys_under_6": 1}, (True, True, False),
     "Bệnh viện tiếp nhận một trẻ dưới 6 tuổi có dấu hiệu bị bạo hành; đã điều trị, báo Công an và Phòng LĐTBXH "
     "thành phố để can thiệp.",
     "Bố trí nơi chăm sóc thay thế tạm thời; theo dõi sau xuất viện.",
     [("ubnd-long-xuyen", (dt.date(2018, 4, 16), 11),
       "Trẻ được bố trí ở với người thân; cán bộ phường theo dõi hằng tuần.")],
     None),
    ("ubnd-an-phu", "886", 6, dt.date(2018, 5, 3), (dt.date(2018, 5, 4), 9), K.DROWNING_INJURY,
     {"boys_11_16": 1}, (False, True, False),
     "Một trẻ em bị tai nạn giao thông trên đường đi học, bị thương nhẹ; đã được sơ cứu và điều trị.",
     "",
     [], dt.date(2018, 5, 8)),
]  # fmt: skip


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@transaction.atomic
def demo_incidents_create(*, program: Program) -> int:
    """Create the demo incidents if the demo has none yet; returns how many were created."""
    if Incident.objects.filter(is_demo=True).exists():
        return 0
    districts, communes = selectors.incident_places(program=program)
    by_code = {d.code: d for d in districts}
    users = {u.username: u for u in User.objects.filter(username__in={c[0] for c in CASES} | {OFFICER})}
    created = []
    for filer, district_code, commune_index, occurred, (day, hour), kind, counts, involved, actions, needs, notes, \
            closed in CASES:  # fmt: skip
        district = by_code.get(district_code)
        if district is None or filer not in users or not communes.get(district.pk):
            continue
        police, health, justice = involved
        incident = services.incident_file(
            user=users[filer],
            program=program,
            data={
                "occurred_on": occurred, "district": district,
                "commune": communes[district.pk][min(commune_index, len(communes[district.pk]) - 1)],
                "kind": kind, **counts, "actions": actions, "needs": needs,
                "police_involved": police, "health_involved": health, "justice_involved": justice,
            },
            at=_at(day, hour),
            notify=False,
        )  # fmt: skip
        for author, (note_day, note_hour), text in notes:
            if author in users:
                services.incident_note_add(
                    incident=incident, user=users[author], text=text, at=_at(note_day, note_hour)
                )
        if closed and OFFICER in users:
            services.incident_close(incident=incident, user=users[OFFICER], at=_at(closed, 16))
        created.append(incident.pk)
    Incident.objects.filter(pk__in=created).update(is_demo=True)
    return len(created)
