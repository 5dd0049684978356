"""The quarterly form's speed tricks, in one place: a district's form has some 400 fields.

- Lean cleaning: Django's `_clean_fields` makes a BoundField for each field just to read its value;
  `LeanForm` reads the values directly, with the same outcome (cleaned_data and errors per field,
  `clean_<name>` hooks, file fields, disabled fields read from their initial value).
- Shared fields: the fields of a form's shape are built once per process (`shared_fields`, under the
  program's structure version) and shared by the form instances, instead of the deep copy of every
  field that Django makes for each form. That is safe because nothing changes a field after it is
  built: the cleaning above only reads them, the form's template tags
  (reporting/templatetags/submission_form.py) render inputs from BoundFields without touching the
  field or its widget, and `make_readonly` gives a form disabled copies, never the shared fields
  themselves (the disabled copies of a shape are shared too, built once per process). The shared
  mappings themselves are read-only. tests/reporting/test_lean_form.py renders, posts and re-renders
  forms and checks that the shared fields are as they were built.

Measured in docs/benchmarks.md ("What the figures showed": save, "a BoundField per field to read its
value"). tests/reporting/test_lean_form.py holds the lean cleaning to Django's own for valid and
invalid input.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType

from django import forms
from django.core.exceptions import ValidationError

from programs import structure


class LeanForm(forms.Form):
    """A form whose fields are cleaned without a BoundField each."""

    def _clean_fields(self):
        hooks = _clean_hooks(type(self))
        for name, field in self.fields.items():
            if field.disabled:
                value = self.get_initial_for_field(field, name)
            else:
                value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                if isinstance(field, forms.FileField):
                    value = field.clean(value, self.get_initial_for_field(field, name))
                else:
                    value = field.clean(value)
                self.cleaned_data[name] = value
                if name in hooks:
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as e:
                self.add_error(name, e)

    shared_key: str | None = None  # set by use_shared_fields

    def use_shared_fields(self, key: str, build: Callable[[], dict[str, forms.Field]]) -> None:
        """The form's fields of its shape, built once per process (`shared_fields`)."""
        self.shared_key = key
        self.fields.update(shared_fields(key, build))

    def make_readonly(self) -> None:
        """Every field disabled (a read-only view), on copies of the fields, never the shared ones: a
        form of a shared shape takes the disabled copies of that shape, built once per process too
        (copying a district's 400 fields for every read-only view was most of that page's time)."""
        if self.shared_key is None:
            self.fields = _disabled(self.fields)
            return
        fields = self.fields
        self.fields = dict(structure.cached(f"{self.shared_key}:readonly", lambda: MappingProxyType(_disabled(fields))))


def _disabled(fields: Mapping[str, forms.Field]) -> dict[str, forms.Field]:
    copies = copy.deepcopy(dict(fields))
    for field in copies.values():
        field.disabled = True
    return copies


@functools.cache
def _clean_hooks(form_class: type) -> frozenset[str]:
    """The field names for which the form class defines clean_<name>."""
    return frozenset(name.removeprefix("clean_") for name in dir(form_class) if name.startswith("clean_"))


def shared_fields(key: str, build: Callable[[], dict[str, forms.Field]]) -> Mapping[str, forms.Field]:
    """The fields of one form shape, built once per process and structure version: read-only for the
    forms that use them (LeanForm.make_readonly copies them before changing them)."""
    return structure.cached(key, lambda: MappingProxyType(build()))
