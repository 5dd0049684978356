"""Writes to incident reports: filing one (DOLISA is told by e-mail once it is committed), follow-up
notes, closing and reopening. Each function is atomic, checks who may do it, and moves the incidents'
data version on (core.dataversion)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from core import dataversion
from programs import calendar
from programs.models import AdminUnit, Program
from programs.selectors import program_districts

from . import selectors
from .models import COUNT_FIELDS, Incident, IncidentNote

logger = logging.getLogger(__name__)

# What the filing agency gives (the cleaned data of incidents.forms.IncidentForm); everything else is set here.
FILED_FIELDS = [
    "occurred_on", "district", "commune", "kind", *COUNT_FIELDS, "actions", "police_involved", "health_involved",
    "justice_involved", "other_involved", "other_involved_text", "needs",
]  # fmt: skip


def _stamp(obj, user, at: dt.datetime) -> None:
    obj._history_user = user
    obj._history_date = at


def _save_once(obj: Incident | IncidentNote, *, token: uuid.UUID | None) -> tuple[Incident | IncidentNote, bool]:
    """Save a new incident or note: (it, True); or, when its form's token was saved first by the same form
    sent at the same moment (a double click), (the one saved first, False)."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        if token is None:
            raise
        return type(obj).objects.get(submit_token=token), False
    return obj, True


def _incidents_changed() -> None:
    """The figures cached under the incidents' data version (the dashboard) are computed again: every
    service that writes an incident or a note calls this (core.dataversion)."""
    dataversion.bump(dataversion.INCIDENTS)


def _place_and_date_errors(*, program: Program, data: Mapping, at: dt.datetime) -> dict[str, list[str]]:
    """The filing's rules across objects: the district is the program's, the commune is in it, the date
    is not in the future."""
    errors: dict[str, list[str]] = {}
    district: AdminUnit | None = data.get("district")
    commune: AdminUnit | None = data.get("commune")
    if district is not None and district.pk not in {d.pk for d in program_districts(program=program)}:
        errors["district"] = [_("Vui lòng chọn một huyện, thị xã, thành phố của tỉnh.")]
    elif (
        district is not None
        and commune is not None
        and not selectors.commune_in_district(program=program, district=district, commune=commune)
    ):
        errors["commune"] = [
            _("%(commune)s không thuộc %(district)s: vui lòng chọn lại xã, phường, thị trấn.")
            % {"commune": commune.name, "district": district.name}
        ]
    occurred_on = data.get("occurred_on")
    if occurred_on is not None and occurred_on > timezone.localdate(at):
        errors["occurred_on"] = [_("Ngày xảy ra không được sau ngày hôm nay.")]
    return errors


@transaction.atomic
def incident_file(
    *,
    user,
    program: Program,
    data: Mapping,
    site_url: str = "",
    at: dt.datetime | None = None,
    notify: bool = True,
    token: uuid.UUID | None = None,
) -> Incident:
    """File an incident for the user's agency. Refused with ValidationError (by field) when the place
    is not one of the program's districts and its communes, the date is in the future, or no child is
    counted. DOLISA is e-mailed once the incident is committed (unless notify=False, for the demo).
    Idempotent by the form's `token`: the same form sent again returns the incident it filed, and
    nothing is filed or e-mailed a second time."""
    at = at or calendar.now()
    if not roles.is_reporter(user):
        raise PermissionDenied(_("Chỉ cán bộ báo cáo của cơ quan, đơn vị mới gửi được báo cáo đột xuất."))
    if token is not None and (done := Incident.objects.filter(submit_token=token, filed_by=user).first()):
        return done
    incident = Incident(agency_id=user.agency_id, filed_by=user, reported_at=at)
    for name in FILED_FIELDS:
        if name in data and data[name] is not None:
            setattr(incident, name, data[name])
    if not incident.other_involved:
        incident.other_involved_text = ""
    errors = _place_and_date_errors(program=program, data=data, at=at)
    try:
        incident.full_clean(exclude=[*errors, "agency", "filed_by"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _stamp(incident, user, at)
    incident.submit_token = token
    incident, created = _save_once(incident, token=token)
    if not created:
        return incident
    _incidents_changed()
    if notify:
        pk = incident.pk
        transaction.on_commit(lambda: _queue_notification(incident_id=pk, site_url=site_url))
    return incident


def _queue_notification(*, incident_id: int, site_url: str) -> None:
    """Queue the e-mail. The incident is already committed: a broker or mail server that fails here is
    logged, never shown to the agency as if its report had been lost."""
    from .tasks import incident_notify_task

    try:
        incident_notify_task.delay(incident_id=incident_id, site_url=site_url)
    except Exception:
        logger.exception("Incident %s: DOLISA could not be notified by e-mail.", incident_id)


def incident_notify(*, incident_id: int, site_url: str = "") -> int:
    """E-mail DOLISA about a new incident: one message to all its addresses. The message says what
    kind of case, where, when, how many children by sex and age band and who is involved, with a link;
    never the free texts, which might carry what identifies a child. Returns the number of messages sent."""
    incident = Incident.objects.select_related("agency", "district", "commune").filter(pk=incident_id).first()
    recipients = selectors.incident_recipients()
    if incident is None or not recipients:
        if incident is not None:
            logger.warning("Incident %s: no DOLISA address to notify (set PORTAL_DOLISA_EMAIL).", incident_id)
        return 0
    link = site_url.rstrip("/") + reverse("incidents:detail", kwargs={"pk": incident.pk}) if site_url else ""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"incident": incident, "link": link}
        subject = render_to_string("incidents/email/new_incident_subject.txt", context).strip()
        body = render_to_string("incidents/email/new_incident_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=recipients).send()


@transaction.atomic
def incident_note_add(
    *, incident: Incident, user, text: str, at: dt.datetime | None = None, token: uuid.UUID | None = None
) -> IncidentNote:
    """A follow-up note, by DOLISA, the filing agency or the district concerned, while the case is open.
    Idempotent by the form's `token`: the same form sent again returns the note it added."""
    at = at or calendar.now()
    if not selectors.incidents_visible_to(user).filter(pk=incident.pk).exists():
        raise PermissionDenied
    if token is not None and (done := IncidentNote.objects.filter(submit_token=token, author=user).first()):
        return done
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise ValidationError(_("Vụ việc đã kết thúc; Sở cần mở lại trước khi ghi thêm."), code="closed")
    if not text.strip():
        raise ValidationError(_("Vui lòng nhập nội dung ghi chú."), code="empty")
    note = IncidentNote(incident=incident, author=user, at=at, text=text.strip(), submit_token=token)
    _stamp(note, user, at)
    note, created = _save_once(note, token=token)
    if created:
        _incidents_changed()
    return note


def _note_save(incident: Incident, user, at: dt.datetime, text: str) -> IncidentNote:
    note = IncidentNote(incident=incident, author=user, at=at, text=text.strip())
    _stamp(note, user, at)
    note.save()
    return note


def _locked_for_officer(incident: Incident, user) -> Incident:
    """The incident, locked for a change of status: only DOLISA closes or reopens a case."""
    if not roles.is_officer(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được thực hiện thao tác này."))
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _status_save(incident: Incident, user, at: dt.datetime, *, closed: bool) -> None:
    incident.status = Incident.Status.CLOSED if closed else Incident.Status.OPEN
    incident.closed_at, incident.closed_by = (at, user) if closed else (None, None)
    _stamp(incident, user, at)
    incident.save(update_fields=["status", "closed_at", "closed_by"])


@transaction.atomic
def incident_close(*, incident: Incident, user, note: str = "", at: dt.datetime | None = None) -> Incident:
    """DOLISA closes a case (with a closing note if given)."""
    at = at or calendar.now()
    incident = _locked_for_officer(incident, user)
    if not incident.is_open:
        raise ValidationError(_("Vụ việc đã kết thúc."), code="closed")
    if note.strip():
        _note_save(incident, user, at, note)
    _status_save(incident, user, at, closed=True)
    _incidents_changed()
    return incident


@transaction.atomic
def incident_reopen(*, incident: Incident, user, note: str = "", at: dt.datetime | None = None) -> Incident:
    """DOLISA reopens a closed case (why, in a note if given)."""
    at = at or calendar.now()
    incident = _locked_for_officer(incident, user)
    if incident.is_open:
        raise ValidationError(_("Vụ việc đang được theo dõi."), code="open")
    _status_save(incident, user, at, closed=False)
    if note.strip():
        _note_save(incident, user, at, note)
    _incidents_changed()
    return incident
