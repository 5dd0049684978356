"""Authentication backend: the signed-in user is loaded with its agency, the agency's unit and its
role in one query, once per request (instead of three)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from .models import User
from .roles import PRECEDENCE


def users_with_role():
    """Users with `agency__unit` joined and `portal_role_name`, the name of their strongest role group."""
    rank = Case(*(When(name=r.value, then=Value(i)) for i, r in enumerate(PRECEDENCE)), output_field=IntegerField())
    strongest = (
        Group.objects.filter(user=OuterRef("pk"), name__in=[r.value for r in PRECEDENCE])
        .annotate(rank=rank)
        .order_by("rank")
        .values("name")[:1]
    )
    return User.objects.select_related("agency__unit").annotate(portal_role_name=Subquery(strongest))


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = users_with_role().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
