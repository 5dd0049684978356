"""Reads of submissions. Access scoping lives here, once: every view asks these functions, which
answer 404 for what the user may not see."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles, security
from activities.models import ActivityRole, OutputTarget
from core.formatting import fmt_date, fmt_int
from programs import calendar, structure
from programs.models import Agency, Program, Quarter
from programs.selectors import (
    communes_of,
    program_agencies,
    program_calendar_cached,
    program_frame,
    user_province_id,
)
from programs.snapshots import (
    ActivityInfo,
    AgencyInfo,
    IndicatorInfo,
    OutputInfo,
    ProgramInfo,
    QuarterInfo,
    UnitInfo,
    activity_of,
    indicator_of,
)
from targets.models import Indicator

from .models import (
    ActivityProgress,
    CommuneStatus,
    IndicatorValue,
    OutputProgress,
    ReopenRequest,
    Submission,
    Transition,
    WorkbookUpload,
)


# ------------------------------------------------------------------------------------------------
# Scoping: who may see, change and review which submission. The one place for these rules: views,
# services, the workbook and the dashboards ask these functions (tests/reporting/test_rules.py).
# ------------------------------------------------------------------------------------------------
def reports_for_agency(user, *, agency_id: int) -> bool:
    """Whether the user is one of this agency's own reporters (the only role that enters its values)."""
    return roles.is_reporter(user) and user.agency_id == agency_id


def submissions_visible_to(user) -> QuerySet[Submission]:
    """A reporter sees its own agency's submissions; officers all of their province's; viewers only its
    accepted ones (the province: programs.selectors.user_province_id)."""
    qs = Submission.objects.select_related("agency", "quarter__program")
    if roles.is_officer(user):
        return qs.filter(quarter__program__province_id=user_province_id(user))
    if roles.is_viewer(user):
        return qs.filter(quarter__program__province_id=user_province_id(user), status=Submission.Status.ACCEPTED)
    if roles.is_reporter(user):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def statuses_visible_to(user) -> list[tuple[str, str]]:
    """The states of the submissions the user may see (submissions_visible_to): a viewer's list offers
    "accepted" only."""
    if roles.is_viewer(user):
        return [(Submission.Status.ACCEPTED.value, Submission.Status.ACCEPTED.label)]
    return list(Submission.Status.choices)


def agency_visible_to(user, *, agency: Agency | AgencyInfo) -> bool:
    """Whether the user may open this agency's submission pages at all."""
    if roles.is_officer(user) or roles.is_viewer(user):
        return True
    return reports_for_agency(user, agency_id=agency.pk)


def submission_lock_reason(submission: Submission, *, at: dt.datetime | None = None) -> str | None:
    """Why the agency cannot change the submission at `at` (now by default), or None when it can."""
    at = at or calendar.now()
    today = timezone.localdate(at)
    if submission.status in Submission.AWAITING_REVIEW:
        return _("Báo cáo đã gửi, đang chờ Sở xem xét.")
    if submission.status == Submission.Status.ACCEPTED:
        return _("Báo cáo đã được duyệt.")
    deadline = submission.quarter.entry_deadline
    if calendar.is_past(deadline, at=at) and not (submission.reopened_until and submission.reopened_until >= today):
        return _("Đã quá hạn nhập số liệu (%(d)s): cần Sở mở lại để chỉnh sửa.") % {"d": fmt_date(deadline)}
    return None


def period_note(*, program: Program | ProgramInfo, quarter: Quarter | QuarterInfo) -> str:
    """What the form page and the workbook say of a report due before its period ends (Q1 on 20/03,
    the six-month report on 20/05, the annual on 15/11: programs.calendar.due_before_end): which report
    and period it is, and that its figures run to the day of reporting. Empty for any other quarter.
    Reads the calendar from the structure cache (no query once it is kept)."""
    if not calendar.due_before_end(deadline=quarter.entry_deadline, end=quarter.end):
        return ""
    _quarters, reports = program_calendar_cached(program=program)
    closing = next((r for r in reports if r.quarters and r.quarters[-1].pk == quarter.pk), None)
    values = {"q": quarter, "start": fmt_date(quarter.start), "end": fmt_date(quarter.end),
              "d": fmt_date(quarter.entry_deadline)}  # fmt: skip
    if closing is None:
        return _("%(q)s có hạn gửi báo cáo %(d)s, trước khi quý kết thúc (%(end)s): nhập số liệu từ ngày %(start)s "
                 "tính đến ngày báo cáo.") % values  # fmt: skip
    text = _(
        "Đây là %(report)s (hạn gửi %(d)s), trước khi kỳ báo cáo kết thúc (%(end)s): nhập số liệu của %(q)s từ "
        "ngày %(start)s tính đến ngày báo cáo."
    ) % {**values, "report": closing.kind_label.lower()}
    if len(closing.quarters) > 1:
        text += " " + _("Sở tổng hợp cùng số liệu đã được duyệt của các quý trước.")
    return text


def submission_may_edit(user, *, submission: Submission) -> bool:
    """The agency's own reporter, while the submission is not locked (deadline, sent, accepted)."""
    return reports_for_agency(user, agency_id=submission.agency_id) and submission_lock_reason(submission) is None


def reviews_submissions(user) -> bool:
    """DOLISA (officers and administrators) reviews: returns, accepts, and reopens any agency's report."""
    return roles.is_officer(user)


def submission_may_review(user, *, submission: Submission) -> bool:
    """A reviewer returns or accepts a submission that is waiting for review."""
    return reviews_submissions(user) and submission.status in Submission.AWAITING_REVIEW


def submission_locked_by_deadline(submission: Submission, *, at: dt.datetime | None = None) -> bool:
    """Locked only because its deadline (or the date DOLISA reopened it to) has passed: a draft, never
    started or returned, that the agency may ask DOLISA to reopen."""
    editable_states = (Submission.Status.DRAFT, Submission.Status.RETURNED)
    return submission.status in editable_states and submission_lock_reason(submission, at=at) is not None


def submission_may_ask_reopen(user, *, submission: Submission) -> bool:
    """The agency's own reporter asks DOLISA to reopen a report the deadline has locked."""
    return reports_for_agency(user, agency_id=submission.agency_id) and submission_locked_by_deadline(submission)


REOPEN_DAYS = 7  # what DOLISA gives by default when it returns or reopens a report after its deadline


def reopen_default_until(*, today: dt.date | None = None) -> dt.date:
    """The date a report returned or reopened after its deadline stays open to, unless DOLISA sets another."""
    return (today or calendar.local_today()) + dt.timedelta(days=REOPEN_DAYS)


def reopen_request_for(user, *, program: Program, pk: int) -> ReopenRequest:
    """A request to reopen, for DOLISA; 404 for anyone else or another program's."""
    found = ReopenRequest.objects.select_related("agency", "quarter__program").filter(quarter__program=program, pk=pk)
    request = found.first() if reviews_submissions(user) else None
    if request is None:
        raise Http404("No such request")
    return request


def reopen_requests_of(*, agency_id: int, quarter_id: int) -> list[ReopenRequest]:
    """An agency's requests to reopen a quarter's report, oldest first, with who asked and who decided."""
    return list(
        ReopenRequest.objects.filter(agency_id=agency_id, quarter_id=quarter_id).select_related(
            "requested_by", "decided_by"
        )
    )


def reopen_requests_pending(*, program: Program) -> list[ReopenRequest]:
    """The requests waiting for DOLISA, oldest first (one query)."""
    return list(
        ReopenRequest.objects.filter(quarter__program=program, status=ReopenRequest.Status.PENDING)
        .select_related("agency", "quarter__program", "requested_by")
        .order_by("requested_at", "pk")
    )


def reopen_requests_latest(*, agency_id: int, program: Program) -> dict[int, ReopenRequest]:
    """An agency's latest request to reopen each quarter of the program, by quarter id (one query)."""
    found = ReopenRequest.objects.filter(agency_id=agency_id, quarter__program=program).order_by("requested_at", "pk")
    return {r.quarter_id: r for r in found}


def return_steps(*, agency_id: int, program: Program) -> dict[int, Transition]:
    """The latest return by DOLISA of each of an agency's reports now returned, with its reason, by
    submission id (one query)."""
    steps = Transition.objects.filter(
        submission__agency_id=agency_id, submission__quarter__program=program,
        submission__status=Submission.Status.RETURNED, action=Transition.Action.RETURN,
    )  # fmt: skip
    return {t.submission_id: t for t in steps.order_by("at", "pk")}


def agency_recipients(*, agency_id: int) -> list[str]:
    """Where an agency is written to: its own address and its active reporters'."""
    agency = Agency.objects.filter(pk=agency_id).only("email").first()
    emails = [agency.email if agency else "", *roles.reporter_emails(agency_id=agency_id)]
    return list(dict.fromkeys(e.strip() for e in emails if e and e.strip()))


def uploads_visible_to(user, *, submission: Submission) -> bool:
    """The workbooks uploaded for a submission: DOLISA and the agency's own reporters."""
    return roles.is_officer(user) or reports_for_agency(user, agency_id=submission.agency_id)


@dataclass
class SubmissionRef:
    """The submission for (agency, quarter), saved or not yet: an agency that has not started its
    report still has a page to start it from. The agency and the quarter as the program's structure
    holds them; the submission's own `agency` and `quarter` are instances of this request."""

    agency: AgencyInfo
    quarter: QuarterInfo
    submission: Submission


def submission_for(user, *, program: Program, quarter_number: int, agency_code: str) -> SubmissionRef:
    """The quarter and the agency come from the program's cached frame; the submission is one query."""
    frame = program_frame(program=program)
    quarter = next((q for q in frame.quarters if q.number == quarter_number), None)
    agency = next((a for a in frame.agencies if a.code == agency_code), None)
    if quarter is None or agency is None:
        raise Http404("No such submission")
    if not agency_visible_to(user, agency=agency):
        security.log_event("denied", username=user.get_username(), what=f"submission:{agency.code}:q{quarter_number}")
        raise Http404("No such submission")
    submission = (
        submissions_visible_to(user).select_related(None).filter(agency_id=agency.pk, quarter_id=quarter.pk).first()
    )
    if submission is None:
        if roles.is_viewer(user):
            raise Http404("Viewers read accepted submissions only")
        submission = Submission(agency_id=agency.pk, quarter_id=quarter.pk, version=0)
    # the agency and the quarter made from the frame (no join, no query), for this request only
    submission.agency, submission.quarter = agency.instance(), quarter.instance(program=program)
    return SubmissionRef(agency=agency, quarter=quarter, submission=submission)


# ------------------------------------------------------------------------------------------------
# What an agency reports: generated from what the program assigns it
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ActivityItem:
    activity: ActivityInfo
    role: str
    outputs: tuple[OutputInfo, ...]


@dataclass(frozen=True, slots=True)
class FormSpec:
    program: ProgramInfo
    agency: AgencyInfo
    quarter: QuarterInfo
    indicators: tuple[IndicatorInfo, ...]  # typed by the district: numerator and denominator
    ticked: tuple[IndicatorInfo, ...]  # ticked on communes (targets 5 and 6)
    flags: tuple[str, ...]  # the CommuneStatus fields the district ticks
    communes: tuple[UnitInfo, ...]
    activities: tuple[ActivityItem, ...]
    reports_budget: bool
    district_floor: int = 0
    communes_floor: int = 0

    @property
    def outputs(self) -> list[OutputInfo]:
        return [o for item in self.activities for o in item.outputs]


def _contributes(output: OutputInfo, agency: AgencyInfo, unit_ids: set[int]) -> bool:
    """A district contributes to an output unless the output names other places only; a provincial
    agency contributes to every output of the activities it leads or supports, but an average per
    commune, which only the districts count (their communes' collaborators ...)."""
    if not agency.is_district:
        return not output.is_per_commune
    named = {u.pk for u in output.units}
    return not named or bool(named & unit_ids)


def form_spec(*, agency: Agency | AgencyInfo, quarter: Quarter | QuarterInfo,
              program: Program | ProgramInfo | None = None) -> FormSpec:  # fmt: skip
    """The shape of an agency's quarterly form, from its indicators, communes and activity roles
    (cached with the program's structure: programs.structure). `program` is the quarter's: read from
    the quarter when it is a model instance and none is given."""
    return structure.cached(
        f"spec:{agency.pk}:{quarter.pk}",
        lambda: _form_spec(
            program=quarter.program if program is None else program, agency=AgencyInfo.of(agency), quarter=quarter
        ),
    )


def _form_spec(*, program: Program | ProgramInfo, agency: AgencyInfo, quarter: Quarter | QuarterInfo) -> FormSpec:
    indicators = [
        indicator_of(i, target=i.target)
        for i in Indicator.objects.filter(target__program_id=program.pk, reporters=agency.pk)
        .select_related("target")
        .order_by("target__number", "order")
    ]
    ticked = tuple(i for i in indicators if i.is_ticked)
    communes = ()
    if agency.is_district:
        communes = tuple(UnitInfo.of(c) for c in communes_of(program=program, district_id=agency.unit_id))
    unit_ids = {agency.unit_id, *(c.pk for c in communes)}
    roles_qs = (
        ActivityRole.objects.filter(agency_id=agency.pk, activity__group__program_id=program.pk)
        .select_related("activity")
        .prefetch_related(
            Prefetch("activity__outputs", queryset=OutputTarget.objects.prefetch_related("units").order_by("order"))
        )
        .order_by("activity__group__order", "activity__order")
    )
    activities = []
    for r in roles_qs:
        activity = activity_of(r.activity, units=True, roles=False)
        outputs = tuple(o for o in activity.outputs if _contributes(o, agency, unit_ids))
        activities.append(ActivityItem(activity=activity, role=r.role, outputs=outputs))
    return FormSpec(
        program=ProgramInfo.of(program),
        agency=agency,
        quarter=QuarterInfo.of(quarter),
        indicators=tuple(i for i in indicators if not i.is_ticked),
        ticked=ticked,
        flags=tuple(dict.fromkeys(i.flag for i in ticked)),
        communes=communes,
        activities=tuple(activities),
        reports_budget=agency.is_district,
        district_floor=program.district_budget_floor if agency.is_district else 0,
        communes_floor=program.commune_budget_floor * len(communes) if agency.is_district else 0,
    )


# ------------------------------------------------------------------------------------------------
# Current values
# ------------------------------------------------------------------------------------------------
@dataclass
class Values:
    """A submission's values keyed by the object they belong to (empty for an unsaved submission)."""

    indicators: dict[int, IndicatorValue] = field(default_factory=dict)
    communes: dict[int, CommuneStatus] = field(default_factory=dict)
    activities: dict[int, ActivityProgress] = field(default_factory=dict)
    outputs: dict[int, OutputProgress] = field(default_factory=dict)


def submission_values(*, submission: Submission) -> Values:
    if submission.pk is None:
        return Values()
    return values_for(submissions=[submission])[submission.pk]


def values_for(*, submissions: list[Submission | None]) -> dict[int, Values]:
    """The values of several submissions, by submission id, in four queries."""
    ids = [s.pk for s in submissions if s is not None and s.pk is not None]
    out = {pk: Values() for pk in ids}
    if not ids:
        return out
    for v in IndicatorValue.objects.filter(submission_id__in=ids):
        out[v.submission_id].indicators[v.indicator_id] = v
    for v in CommuneStatus.objects.filter(submission_id__in=ids):
        out[v.submission_id].communes[v.commune_id] = v
    for v in ActivityProgress.objects.filter(submission_id__in=ids):
        out[v.submission_id].activities[v.activity_id] = v
    for v in OutputProgress.objects.filter(submission_id__in=ids):
        out[v.submission_id].outputs[v.output_id] = v
    return out


def previous_submission(*, submission: Submission) -> Submission | None:
    """The same agency's submission for the quarter before, if any (for the >50% change warning)."""
    if submission.quarter.number <= 1:
        return None
    return (
        Submission.objects.filter(
            agency_id=submission.agency_id,
            quarter__program_id=submission.quarter.program_id,
            quarter__number=submission.quarter.number - 1,
        )
        .select_related("quarter")
        .first()
    )


def submission_transitions(*, submission: Submission) -> list[Transition]:
    if submission.pk is None:
        return []
    return list(submission.transitions.select_related("actor").order_by("at", "pk"))


def submission_return(*, submission: Submission, transitions: list[Transition]) -> Transition | None:
    """The step that returned the report, while it stands returned (its comment is the reason), else None."""
    if submission.status != Submission.Status.RETURNED:
        return None
    return next((t for t in reversed(transitions) if t.action == Transition.Action.RETURN), None)


# ------------------------------------------------------------------------------------------------
# History of values (who, when, old value, new value)
# ------------------------------------------------------------------------------------------------
@dataclass
class Change:
    at: dt.datetime
    user: str
    item: str
    field: str
    old: object
    new: object


def submission_history(*, submission: Submission, spec: FormSpec) -> list[Change]:
    """Every change of a value of this submission, newest first, from django-simple-history: the five
    history tables are read in one query (UNION ALL), each record's tracked fields as a JSON object."""
    if submission.pk is None:
        return []
    labels = {
        IndicatorValue: {i.pk: f"{i.code}. {i.name}" for i in spec.indicators},
        CommuneStatus: {c.pk: c.name for c in spec.communes},
        ActivityProgress: {a.activity.pk: f"{a.activity.code}" for a in spec.activities},
        OutputProgress: {o.pk: f"{o.label}" for o in spec.outputs},
    }
    key = {IndicatorValue: "indicator_id", CommuneStatus: "commune_id", ActivityProgress: "activity_id",
           OutputProgress: "output_id"}  # fmt: skip
    models_ = [Submission, *key]
    parts = []
    for index, model in enumerate(models_):
        base = (
            model.history.filter(id=submission.pk)
            if model is Submission
            else model.history.filter(submission_id=submission.pk)
        )
        parts.append(
            base.annotate(
                kind=Value(index),
                item=Value(0) if model is Submission else F(key[model]),
                username=F("history_user__username"),
                payload=JSONObject(**{name: F(name) for name in _tracked_fields(model)}),
            )
            .values_list("kind", "id", "item", "history_id", "history_date", "history_type", "username", "payload")
            .order_by()  # the history models' default ordering is not allowed inside a UNION
        )
    rows = parts[0].union(*parts[1:], all=True).order_by("kind", "id", "history_date", "history_id")
    changes: list[Change] = []
    previous: dict[tuple[int, int], dict] = {}
    for kind, record_id, item_id, _hid, at, history_type, username, payload in rows:
        model = models_[kind]
        payload = json.loads(payload) if isinstance(payload, str) else payload
        before = previous.get((kind, record_id))
        previous[(kind, record_id)] = payload
        item = _("Thông tin chung") if model is Submission else labels[model].get(item_id, "?")
        for name in _tracked_fields(model):
            model_field = model._meta.get_field(name)
            old = _from_json(model_field, before.get(name)) if before is not None else None
            new = None if history_type == "-" else _from_json(model_field, payload.get(name))
            if old == new or (before is None and new in (None, "", False)):
                continue
            changes.append(
                Change(at, username or "—", item, str(model_field.verbose_name),
                       _display(model_field, old), _display(model_field, new))
            )  # fmt: skip
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes


def _from_json(model_field, value):
    """A history value read back from JSON as its field's type (SQLite stores booleans as 0/1)."""
    if value is None:
        return None
    if isinstance(model_field, models.BooleanField):
        return bool(value)
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _display(model_field, value):
    if value is None or value == "":
        return None
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int):
        return fmt_int(value)
    return value


def _tracked_fields(model) -> list[str]:
    if model is Submission:
        return ["status", "district_budget", "communes_checked", "difficulties", "proposals", "change_explanation",
                "reopened_until"]  # fmt: skip
    skip = {"id", "submission", "indicator", "commune", "activity", "output"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


# ------------------------------------------------------------------------------------------------
# Lists and home pages
# ------------------------------------------------------------------------------------------------
def _waiting(program: Program) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(quarter__program=program, status__in=Submission.AWAITING_REVIEW)
        .select_related("agency", "quarter__program")
        .order_by("submitted_at", "pk")
    )


def review_queue(*, program: Program) -> list[Submission]:
    """Submissions waiting for DOLISA, oldest first."""
    return list(_waiting(program))


def review_queue_next(*, program: Program, after: Submission) -> Submission | None:
    """The submission an officer reviews next once done with `after`: the oldest other one waiting."""
    return _waiting(program).exclude(pk=after.pk).first()


@dataclass
class QuarterState:
    quarter: Quarter
    submission: Submission | None
    deadline_passed: bool
    days_left: int
    editable_until: dt.date | None
    url: str  # the quarter's report page, started or not


def agency_quarters(*, agency: Agency, program: Program) -> list[QuarterState]:
    """Each quarter of the program with the agency's submission state and days left (two queries)."""
    quarters = list(program.quarters.order_by("number"))
    subs = {s.quarter_id: s for s in Submission.objects.filter(agency=agency, quarter__program=program)}
    today = calendar.local_today()
    out = []
    for q in quarters:
        sub = subs.get(q.pk)
        reopened = sub.reopened_until if sub and sub.reopened_until and sub.reopened_until >= today else None
        out.append(
            QuarterState(
                quarter=q,
                submission=sub,
                deadline_passed=calendar.is_past(q.entry_deadline),
                days_left=calendar.days_left(q.entry_deadline, today=today),
                editable_until=reopened,
                url=Submission(agency=agency, quarter=q).get_absolute_url(),
            )
        )
    return out


def submission_list(*, user, program: Program, quarter: int | None = None, status: str | None = None,
                    kind: str | None = None) -> list[Submission]:  # fmt: skip
    qs = submissions_visible_to(user).filter(quarter__program=program)
    if quarter:
        qs = qs.filter(quarter__number=quarter)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(agency__kind=kind)
    return list(qs.order_by("quarter__number", "agency__order"))


def quarter_matrix(*, program: Program) -> tuple[list[Quarter], list[tuple[Agency, list[Submission]]]]:
    """Every agency × every quarter, for DOLISA's overview of who has reported (three queries). A
    quarter an agency has not started holds an unsaved submission, whose page starts it."""
    quarters = list(program.quarters.order_by("number"))
    agencies = list(program_agencies(program=program))
    subs = {(s.agency_id, s.quarter_id): s for s in Submission.objects.filter(quarter__program=program)}
    rows = []
    for a in agencies:
        cells = []
        for q in quarters:
            sub = subs.get((a.pk, q.pk)) or Submission(agency=a, quarter=q, version=0)
            sub.agency, sub.quarter = a, q  # the objects already loaded: no query per cell for its address
            cells.append(sub)
        rows.append((a, cells))
    return quarters, rows


def workbook_upload_for(user, *, submission: Submission, pk: int) -> WorkbookUpload:
    """A stored upload of this submission, for officers and the agency's own reporters; 404 otherwise."""
    may = uploads_visible_to(user, submission=submission)
    upload = WorkbookUpload.objects.filter(pk=pk, submission_id=submission.pk).first() if may else None
    if upload is None:
        raise Http404("No such upload")
    return upload


def workbook_uploads(user, *, submission: Submission) -> list[WorkbookUpload]:
    if submission.pk is None:
        return []
    if not uploads_visible_to(user, submission=submission):
        return []
    return list(submission.uploads.select_related("uploaded_by").order_by("-uploaded_at"))
