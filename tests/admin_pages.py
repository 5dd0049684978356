"""Helpers for the admin tests: an object's admin URLs, what a browser posts back from an admin page,
a snapshot of tables (with their history) to show that nothing changed, and the checks that a
read-only admin refuses every write."""

from __future__ import annotations

from django.db import connection, models
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def admin_url(model: type[models.Model], view: str, *args) -> str:
    """admin_url(Submission, "change", pk); views: changelist, add, change, delete, history, simple_history."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def page_data(response) -> dict:
    """The fields of an admin form page as shown (its form and inline forms), as a browser posts them back."""
    forms = [response.context["adminform"].form]
    data: dict = {}
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms += list(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(field.widget, MultiWidget):  # a date and a time in two inputs
                parts = value if isinstance(value, list) else field.widget.decompress(value)
                for i, (widget, part) in enumerate(zip(field.widget.widgets, parts, strict=True)):
                    data[f"{key}_{i}"] = widget.format_value(part)
            else:
                data[key] = "on" if value is True else value
    return data


def snapshot(*tables: type[models.Model]) -> dict:
    """Every row of the tables and of their history tables."""
    out = {}
    for model in tables:
        out[model._meta.label] = list(model._default_manager.order_by("pk").values())
        history = getattr(model, "history", None)
        if history is not None:
            out[f"{model._meta.label} history"] = list(history.order_by("history_id").values())
    return out


# ------------------------------------------------------------------------------------------------
# What a read-only admin answers (core.admin.ReadOnlyAdminMixin), as the superuser sees it
# ------------------------------------------------------------------------------------------------
def assert_pages_show(client, obj) -> None:
    """The list and the record's page display (read only); with its history and an earlier version's
    page where the model keeps history."""
    model = type(obj)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    if hasattr(model, "history"):
        assert client.get(admin_url(model, "history", obj.pk)).status_code == 200
        version = obj.history.earliest()
        assert client.get(admin_url(model, "simple_history", obj.pk, version.history_id)).status_code == 200


def assert_change_refused(client, obj, *, field: str, value: str, tables) -> None:
    """Posting the change page back with `field` set to `value` answers 403 and changes nothing."""
    url = admin_url(type(obj), "change", obj.pk)
    data = {**page_data(client.get(url)), field: value, "_save": "Save"}
    before = snapshot(*tables)
    assert client.post(url, data).status_code == 403
    assert snapshot(*tables) == before


def assert_add_refused(client, model, *, tables) -> None:
    before = snapshot(*tables)
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {"_save": "Save"}).status_code == 403
    assert snapshot(*tables) == before


def assert_delete_refused(client, obj, *, tables) -> None:
    """The delete page answers 403 and the list's “delete selected” action deletes nothing."""
    model = type(obj)
    before = snapshot(*tables)
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    client.post(admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk],
                                                 "post": "yes"})  # fmt: skip
    assert snapshot(*tables) == before


def assert_revert_refused(client, obj, *, tables) -> None:
    """django-simple-history's “revert to this version” page for the earliest version displays, and
    posting it answers 403 and changes nothing."""
    url = admin_url(type(obj), "simple_history", obj.pk, obj.history.earliest().history_id)
    data = {**page_data(client.get(url)), "_save": "Save"}
    before = snapshot(*tables)
    assert client.post(url, data).status_code == 403
    assert snapshot(*tables) == before


def assert_list_queries_do_not_grow(client, model, *, add_more, django_assert_num_queries) -> None:
    """The list's queries are the same after `add_more()` adds rows (related objects read with the rows)."""
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    queries = len(first)  # read now: each request resets the connection's query log
    count = model._default_manager.count()
    add_more()
    assert model._default_manager.count() > count
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
