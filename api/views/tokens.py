"""The API tokens page, under the account menu: a user (DOLISA or an agency's reporter) creates named
tokens, sees each one's prefix and last use, and revokes them. A new token's secret is shown once, in the
answer to its creation, which no cache keeps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import TokenForm


def _holder(request) -> None:
    if not selectors.may_hold_tokens(request.user):
        raise Http404("No API tokens for this user")


@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens and the form for a new one. Template: api/tokens.html (context: tokens, form,
    created: the new token and its secret, only in the answer to its creation)."""
    _holder(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(user=request.user, name=form.cleaned_data["name"], request=request)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            form = TokenForm()
    context = {"tokens": selectors.tokens_of(request.user), "form": form, "created": created}
    response = render(request, "api/tokens.html", context)
    add_never_cache_headers(response)
    return response


@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own live tokens (404 for any other)."""
    _holder(request)
    token = services.token_revoke(token=selectors.token_of(request.user, pk=pk), user=request.user, request=request)
    messages.success(request, _("Đã thu hồi khóa “%(n)s”: từ nay khóa này không dùng được nữa.") % {"n": token.name})
    return redirect("api:tokens")
