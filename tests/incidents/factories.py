"""factory_boy factories of the incidents app, one per model. Place and filer are given by the test
(a real district of the 2018 program and one of its communes, a demo reporter)."""

from __future__ import annotations

import datetime as dt

import factory

from incidents.models import Incident, IncidentNote


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    agency = factory.SelfAttribute("filed_by.agency")
    reported_at = factory.LazyAttribute(lambda o: dt.datetime.combine(o.occurred_on, dt.time(9), tzinfo=dt.UTC))
    occurred_on = dt.date(2018, 2, 1)
    district = factory.SelfAttribute("commune.parent")
    kind = Incident.Kind.VIOLENCE
    boys_6_11 = 1
    actions = "Đã can thiệp, hỗ trợ kịp thời."


class IncidentNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentNote

    incident = factory.SubFactory(IncidentFactory)
    author = factory.SelfAttribute("incident.filed_by")
    at = factory.LazyAttribute(lambda o: o.incident.reported_at + dt.timedelta(days=1))
    text = "Đã theo dõi, trẻ ổn định."
