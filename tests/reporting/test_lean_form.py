"""reporting.lean_form cleans a form's fields without a BoundField each: for valid and invalid input,
its cleaned_data and errors are those of Django's own full_clean."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from programs import structure
from reporting.fields import act_field, commune_field, ind_field, out_field
from reporting.forms import SubmissionForm
from reporting.lean_form import LeanForm
from tests.reporting.helpers import fill_indicators, make_submission, post_data, spec_for, url_for

pytestmark = pytest.mark.django_db
DISTRICT = "ubnd-cho-moi"


class DjangoSubmissionForm(SubmissionForm):
    """The same form cleaned the standard way (a BoundField per field)."""

    _clean_fields = forms.BaseForm._clean_fields


def outcome(form: forms.Form) -> tuple[bool, dict, dict]:
    valid = form.is_valid()
    return valid, form.cleaned_data, form.errors.get_json_data()


def cases(spec) -> dict[str, dict]:
    ind = spec.indicators[0].pk
    item = next(i for i in spec.activities if i.outputs)
    a, out, commune = item.activity.pk, item.outputs[0].pk, spec.communes[0].pk
    full = {
        **fill_indicators(DISTRICT, num=7, den=9),
        commune_field(commune, spec.flags[0]): "on",
        act_field(a, "status"): "done",
        act_field(a, "boys"): "1.200",
        act_field(a, "money"): "150.000.000",
        act_field(a, "account"): "Đã tổ chức",
        out_field(out): "12",
        "district_budget": "300 000 000",
    }
    return {
        "empty": {},
        "valid": full,
        "negative, fraction, text, too large": {
            **full,
            ind_field(ind, "num"): "-3",
            ind_field(ind, "den"): "4,5",
            act_field(a, "girls"): "mười",
            act_field(a, "money"): "1.000.000.000.000.000",
        },
        "numerator over denominator, a pair half filled": {
            **full,
            ind_field(ind, "num"): "10",
            ind_field(ind, "den"): "9",
            ind_field(spec.indicators[1].pk, "den"): None,
        },
        "unknown choice, text too long, no version": {
            **full,
            act_field(a, "status"): "finished",
            "difficulties": "x" * 5000,
            "version": None,
        },
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "valid",
        "negative, fraction, text, too large",
        "numerator over denominator, a pair half filled",
        "unknown choice, text too long, no version",
    ],
)
def test_the_quarterly_form_cleans_as_django_does(program, clock, case):
    spec = spec_for(DISTRICT)
    overrides = cases(spec)[case]
    data = post_data(DISTRICT, **overrides) if case != "empty" else {}
    lean, standard = SubmissionForm(data, spec=spec), DjangoSubmissionForm(data, spec=spec)
    assert outcome(lean) == outcome(standard)
    if case == "valid":
        assert lean.is_valid()
    elif case != "empty":
        assert lean.errors


def test_a_read_only_form_cleans_its_initial_values_as_django_does(program, clock):
    """Disabled fields take their initial values, whatever is posted."""
    spec = spec_for(DISTRICT)
    initial = {ind_field(spec.indicators[0].pk, "num"): 3, ind_field(spec.indicators[0].pk, "den"): 4, "version": 2}
    posted = post_data(DISTRICT, **fill_indicators(DISTRICT, num=1, den=1))
    results = []
    for form_class in (SubmissionForm, DjangoSubmissionForm):
        form = form_class(posted, spec=spec, initial=initial)
        form.make_readonly()
        results.append(outcome(form))
    assert results[0] == results[1]
    assert results[0][1][ind_field(spec.indicators[0].pk, "num")] == 3


class Toy(LeanForm):
    """A small form with what the quarterly form does not use: a clean_<name> hook, a file field,
    a multi-value widget and a prefix."""

    name = forms.CharField(max_length=5)
    when = forms.SplitDateTimeField(required=False)
    paper = forms.FileField(required=False)
    tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)

    def clean_name(self):
        if self.cleaned_data["name"] == "bad":
            raise forms.ValidationError("no bad names", code="bad")
        return self.cleaned_data["name"].upper()


class DjangoToy(Toy):
    _clean_fields = forms.BaseForm._clean_fields


@pytest.mark.parametrize(
    "data",
    [
        {"t-name": "ok", "t-when_0": "2018-03-15", "t-when_1": "10:00", "t-tags": ["a", "b"]},
        {"t-name": "bad", "t-when_0": "someday", "t-tags": ["c"]},
        {"t-name": "toolongname"},
        {},
    ],
)
@pytest.mark.parametrize("with_file", [False, True])
def test_hooks_files_widgets_and_prefixes_clean_as_django_does(data, with_file):
    from django.utils.datastructures import MultiValueDict

    posted = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    files = {"t-paper": SimpleUploadedFile("a.txt", b"x")} if with_file else {}
    lean, standard = Toy(posted, files, prefix="t"), DjangoToy(posted, files, prefix="t")
    lean_valid, lean_data, lean_errors = outcome(lean)
    valid, cleaned, errors = outcome(standard)
    assert (lean_valid, lean_errors) == (valid, errors)
    assert lean_data.keys() == cleaned.keys()
    assert all(
        (lean_data[k].name == cleaned[k].name) if k == "paper" and cleaned[k] else lean_data[k] == cleaned[k]
        for k in cleaned
    )


# ------------------------------------------------------------------------------------------------
# The shared fields: built once per process and structure version, never changed by a form
# ------------------------------------------------------------------------------------------------
def fields_state(fields) -> dict:
    """Everything a field and its widget hold (their attributes, the widget's attrs, the choices)."""
    return {name: (type(f), repr(vars(f)), repr(vars(f.widget))) for name, f in fields.items()}


def test_forms_never_change_the_fields_they_share(login, program, clock):
    """The district's form read, posted with errors and with >50% warnings, read only by DOLISA and
    as a workbook: the shared fields are the same objects, holding what they held when built, and
    the mapping that holds them cannot be changed."""
    make_submission(DISTRICT, status="accepted", num=5, den=10)
    spec = spec_for(DISTRICT, quarter=2)
    shared = SubmissionForm(spec=spec).fields
    key = f"form-fields:{spec.agency.pk}:{spec.quarter.pk}"
    cached = next(value for k, (_at, value) in structure._local.items() if k.endswith(key))
    before, objects = fields_state(cached), dict(cached)
    with pytest.raises(TypeError):
        cached["extra"] = forms.CharField()

    url = url_for(DISTRICT, quarter=2)
    c = login(DISTRICT)
    assert c.get(url).status_code == 200
    bad = {ind_field(spec.indicators[0].pk, "num"): "-3", act_field(spec.activities[0].activity.pk, "money"): "1,5"}
    assert c.post(url, post_data(DISTRICT, quarter=2, **bad, action="save")).status_code == 200
    jump = fill_indicators(DISTRICT, quarter=2, num=9, den=10)
    c.post(url, post_data(DISTRICT, quarter=2, **jump, action="save"))
    assert c.get(url).status_code == 200  # with the >50% warnings
    assert c.get(url + "workbook.xlsx").status_code == 200
    c.post(url, post_data(DISTRICT, quarter=2, action="submit", change_explanation="Số liệu rà soát lại"))
    assert login("dolisa").get(url).status_code == 200  # read only: the form's own copies are disabled

    assert (
        SubmissionForm(spec=spec).fields[ind_field(spec.indicators[0].pk, "num")]
        is shared[ind_field(spec.indicators[0].pk, "num")]
    )
    assert dict(cached) == objects
    assert fields_state(cached) == before


def test_read_only_forms_share_disabled_copies_never_the_editable_fields(program, clock):
    """A read-only form takes the disabled copies of its shape, built once per process (issue 17: a deep
    copy of 400 fields per read-only page was most of its time); the editable fields stay enabled."""
    spec = spec_for(DISTRICT)
    name = ind_field(spec.indicators[0].pk, "num")
    first, second, editable = SubmissionForm(spec=spec), SubmissionForm(spec=spec), SubmissionForm(spec=spec)
    first.make_readonly()
    second.make_readonly()
    assert first.fields[name] is second.fields[name]
    assert first.fields[name] is not editable.fields[name]
    assert all(f.disabled for f in first.fields.values())
    assert not any(f.disabled for f in editable.fields.values())
    assert SubmissionForm(spec=spec).fields[name] is editable.fields[name] and not editable.fields[name].disabled
