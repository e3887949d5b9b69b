"""Reads for user management: only users of the administrator's regions, and every look
at a person's account is logged."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import logged_page, record_access, refuse
from vangnet.pagination import Key, KeysetPage
from vangnet.regions.models import PartnerOrganisation, Region

from .lockout import locked_usernames
from .models import Membership, RoleGrantRequest, User
from .policy import (
    Action,
    may_decide_role_grant,
    may_manage_user,
    regions_where,
    require,
    roles_for,
    scope_manageable_users,
)

PAGE_SIZE = 25


def managed_regions(*, by: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=regions_where(by, Action.MANAGE_USERS))


def assignable_organisations(
    *, by: User, current: PartnerOrganisation | None = None
) -> QuerySet[PartnerOrganisation]:
    """Partner organisations of the administrator's regions (plus the user's current one)."""
    condition = Q(region__in=regions_where(by, Action.MANAGE_USERS))
    if current is not None:
        condition |= Q(pk=current.pk)
    return PartnerOrganisation.objects.filter(condition).select_related("region")


def _with_memberships(queryset: QuerySet[User]) -> QuerySet[User]:
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("region"))
    )


# Sorted by name, paged by key `by_id`: the address carries a record number, not a name.
BY_NAME = (
    Key("last_name", parse=str),
    Key("first_name", parse=str),
    Key("username", parse=str),
    Key("id"),
)


def managed_user_page(
    *, by: User, query: str = "", params: Mapping[str, str], audit: AuditContext | None
) -> KeysetPage[User]:
    """One page of the users the administrator manages: those who work only in their regions,
    by name (`params`: the request's `after`/`before`/`last`, vangnet.pagination)."""
    require(by, Action.MANAGE_USERS)
    queryset = scope_manageable_users(User.objects.all(), by)
    for term in query.split():
        queryset = queryset.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    page_obj = logged_page(
        _with_memberships(queryset),
        keys=BY_NAME,
        size=PAGE_SIZE,
        params=params,
        user=by,
        roles=roles_for(by, Action.MANAGE_USERS),
        audit=audit,
        by_id=True,
    )
    locked = locked_usernames(u.username for u in page_obj.object_list)
    for user in page_obj.object_list:
        user.is_locked = user.username in locked  # type: ignore[attr-defined]  # for the template
    return page_obj


def user_to_manage(*, by: User, user_id: int, audit: AuditContext | None) -> User:
    """The account an administrator wants to change; a refusal is logged and raised.

    Raises User.DoesNotExist for an unknown id (a 404), AccessDenied (a 403) for a user
    who works (also) in a region the administrator does not manage.
    """
    require(by, Action.MANAGE_USERS)
    user = _with_memberships(User.objects.select_related("organisation")).get(pk=user_id)
    if not may_manage_user(by, user):
        raise refuse(
            user=by,
            action=Action.MANAGE_USERS,
            obj=user,
            audit=audit,
            reason="gebruiker (ook) buiten de eigen regio's",
        )
    return user


def user_detail(*, by: User, user_id: int, audit: AuditContext | None) -> User:
    """One account with its roles, lock and two-factor state; the look is logged."""
    user = user_to_manage(by=by, user_id=user_id, audit=audit)
    record_access(
        user=by,
        action=AccessLogAction.VIEW,
        obj=user,
        roles=roles_for(by, Action.MANAGE_USERS, user),
        audit=audit,
    )
    user.is_locked = bool(locked_usernames([user.username]))  # type: ignore[attr-defined]  # shown by the template
    user.has_two_factor = TOTPDevice.objects.filter(  # type: ignore[attr-defined]  # shown by the template
        user=user, confirmed=True
    ).exists()
    return user


def pending_role_grants(
    *, by: User, user: User | None = None, audit: AuditContext | None
) -> list[RoleGrantRequest]:
    """Roles waiting for a second administrator, of the accounts `by` manages (of one account,
    when given). Each carries `may_decide` for the page. The list page logs the accounts it
    shows; the account page has logged its look already."""
    require(by, Action.MANAGE_USERS)
    grants = RoleGrantRequest.objects.filter(
        status=RoleGrantRequest.Status.PENDING,
        user__in=scope_manageable_users(User.objects.all(), by),
    ).select_related("user", "region", "requested_by")
    if user is not None:
        grants = grants.filter(user=user)
    shown = list(grants)
    for grant in shown:
        grant.may_decide = may_decide_role_grant(by, grant)  # type: ignore[attr-defined]  # shown by the template
    if shown and user is None:
        record_access(
            user=by,
            action=AccessLogAction.VIEW,
            objects=list({grant.user_id: grant.user for grant in shown}.values()),
            roles=roles_for(by, Action.MANAGE_USERS),
            audit=audit,
            reason="rollen die wachten op goedkeuring",
        )
    return shown
