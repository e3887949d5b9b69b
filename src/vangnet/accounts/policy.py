"""Who may do what to which record: the one access policy of Vangnet.

Deny by default. A user may perform an action on a record when they hold, in the
record's region, a role that grants the action. A national record (one without a region)
counts as the national desk's, where some actions need a particular role
(NATIONAL_RECORD_ROLES). Staff may "break the glass" for a record of another region by
stating a reason; that grant is short-lived and logged.

Every view, consumer and API endpoint asks this module (`may`, `require`, `scope`);
none decides access on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from vangnet.regions.models import Region

from .models import BreakGlassGrant, Membership, Role, RoleGrantRequest, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vangnet.regions.models import PartnerOrganisation

    from .models import User


class Action(StrEnum):
    USE_STAFF_WORKSPACE = "use_staff_workspace"
    USE_PARTNER_WORKSPACE = "use_partner_workspace"
    VIEW_CONTACT = "view_contact"
    MANAGE_USERS = "manage_users"
    VIEW_ACCESS_LOG = "view_access_log"
    # The access log of every region, not only of the regions where one holds the role.
    VIEW_ALL_ACCESS_LOG = "view_all_access_log"
    HANDLE_CHAT = "handle_chat"
    MANAGE_CHAT_DESK = "manage_chat_desk"
    REQUEST_HANDOVER = "request_handover"
    MANAGE_SOCIAL_MAP = "manage_social_map"
    REGISTER_CONTACT = "register_contact"
    MANAGE_DOSSIER = "manage_dossier"
    SUBMIT_REPORT = "submit_report"
    VIEW_REPORT = "view_report"
    HANDLE_REPORT = "handle_report"
    APPROVE_TRIAGE = "approve_triage"
    VIEW_REPORTER_IDENTITY = "view_reporter_identity"
    ACCEPT_TRANSFER = "accept_transfer"
    # The meldcode assistant (a professional's own records; the contact person's organisation)
    USE_MELDCODE = "use_meldcode"
    VIEW_ORGANISATION_MELDCODE = "view_organisation_meldcode"
    HANDLE_ADVICE_REQUEST = "handle_advice_request"
    # Figures of a region (no personal data); at the national desk: of every region.
    VIEW_INSIGHTS = "view_insights"
    # What the retention will destroy in the coming days, and its past runs (ADR 0031).
    VIEW_RETENTION = "view_retention"
    # Requests of the people involved (inzage, copy, correction, statement, destruction).
    HANDLE_SUBJECT_REQUEST = "handle_subject_request"
    # Put and lift a legal hold (bewaarplicht) on an advice dossier, a contact or a chat of
    # the region: the team lead and the privacy officer, who decide on destruction (ADR 0032).
    PLACE_LEGAL_HOLD = "place_legal_hold"


_CASEWORK = {Action.USE_STAFF_WORKSPACE, Action.VIEW_CONTACT}
# Who takes calls and keeps advice dossiers: the advice desk, triage (reports come in by phone
# too) and the team lead who stands in.
_ADVICE_WORK = {Action.REGISTER_CONTACT, Action.MANAGE_DOSSIER}
# Reports (Handelingsprotocol): the advice desk takes a report by phone; triage, investigators,
# monitoring and the team lead handle it; the behavioural scientist is the second pair of eyes
# on triage. The reporter's identity is for those who may need to call the reporter back.
_REPORT_INTAKE = {Action.SUBMIT_REPORT, Action.VIEW_REPORT}
_REPORT_WORK = {Action.VIEW_REPORT, Action.HANDLE_REPORT}

GRANTS: dict[str, frozenset[Action]] = {
    Role.ADVICE_DESK: frozenset(
        _CASEWORK
        | _ADVICE_WORK
        | {Action.HANDLE_CHAT}
        | _REPORT_INTAKE
        | {Action.HANDLE_ADVICE_REQUEST}
    ),
    Role.TRIAGE: frozenset(
        _CASEWORK | _ADVICE_WORK | _REPORT_INTAKE | _REPORT_WORK | {Action.VIEW_REPORTER_IDENTITY}
    ),
    Role.BEHAVIOURAL_SCIENTIST: frozenset(_CASEWORK | {Action.VIEW_REPORT, Action.APPROVE_TRIAGE}),
    Role.INVESTIGATOR: frozenset(_CASEWORK | _REPORT_WORK | {Action.VIEW_REPORTER_IDENTITY}),
    Role.MONITORING: frozenset(_CASEWORK | _REPORT_WORK),
    Role.TEAM_LEAD: frozenset(
        _CASEWORK
        | _ADVICE_WORK
        | {Action.HANDLE_CHAT, Action.MANAGE_CHAT_DESK, Action.MANAGE_SOCIAL_MAP}
        | _REPORT_INTAKE
        | _REPORT_WORK
        | {Action.VIEW_REPORTER_IDENTITY}
        | {Action.HANDLE_ADVICE_REQUEST}
        | {Action.VIEW_INSIGHTS, Action.VIEW_RETENTION, Action.HANDLE_SUBJECT_REQUEST}
        | {Action.PLACE_LEGAL_HOLD}
    ),
    Role.PRIVACY_OFFICER: frozenset(
        {
            Action.USE_STAFF_WORKSPACE,
            Action.VIEW_ACCESS_LOG,
            Action.HANDLE_SUBJECT_REQUEST,
            Action.PLACE_LEGAL_HOLD,
        }
    ),
    Role.NATIONAL_PRIVACY_OFFICER: frozenset(
        {Action.USE_STAFF_WORKSPACE, Action.VIEW_ACCESS_LOG, Action.VIEW_ALL_ACCESS_LOG}
    ),
    Role.FUNCTIONAL_ADMIN: frozenset(
        {Action.USE_STAFF_WORKSPACE, Action.MANAGE_USERS, Action.MANAGE_SOCIAL_MAP}
    ),
    Role.HELPLINE_VOLUNTEER: frozenset({Action.USE_PARTNER_WORKSPACE, Action.REQUEST_HANDOVER}),
    Role.LOCAL_TEAM_MEMBER: frozenset({Action.USE_PARTNER_WORKSPACE, Action.ACCEPT_TRANSFER}),
    Role.PROFESSIONAL: frozenset(
        {Action.USE_PARTNER_WORKSPACE, Action.SUBMIT_REPORT, Action.USE_MELDCODE}
    ),
    Role.MELDCODE_CONTACT_PERSON: frozenset(
        {
            Action.USE_PARTNER_WORKSPACE,
            Action.SUBMIT_REPORT,
            Action.USE_MELDCODE,
            Action.VIEW_ORGANISATION_MELDCODE,
        }
    ),
}

# Actions for which a staff member may break the glass on a record of another region.
# Reading a report elsewhere (ADR 0032); handling it and the reporter's identity never.
BREAK_GLASS_ACTIONS = frozenset({Action.VIEW_CONTACT, Action.VIEW_REPORT})
BREAK_GLASS_DURATION = timedelta(hours=1)

# A record without a region (a national one, such as a national social-map entry) belongs to
# the national desk; for these actions only these of the desk's roles may act on it.
NATIONAL_RECORD_ROLES: dict[Action, frozenset[str]] = {
    Action.MANAGE_SOCIAL_MAP: frozenset({Role.FUNCTIONAL_ADMIN}),
}


class AccessDenied(PermissionDenied):
    """The user may not do this. Django and the API turn it into a 403 page or JSON answer."""

    def __init__(
        self,
        message: str = "",
        *,
        action: Action | None = None,
        obj: Any = None,
        logged: bool = False,
    ):
        super().__init__(message or gettext("U heeft geen toegang tot deze gegevens."))
        self.action = action
        self.obj = obj
        # True when the refusal is already in the access log (the 403 page then adds none).
        self.logged = logged


def _memberships(user: User) -> list[tuple[int, str]]:
    # Cached on the user object for the request: policy is asked many times per page.
    cached = getattr(user, "_policy_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("region_id", "role"))
        user._policy_memberships = cached  # type: ignore[attr-defined]  # a per-request cache on the instance
    return cached


def policy_inputs(user: User) -> frozenset[tuple[int, str]]:
    """What the policy reads of a user besides the user row: the (region, role) pairs. A
    socket keeps them to confirm cheaply that a decision still stands (ADR 0036)."""
    return frozenset(_memberships(user))


def _is_active(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def region_ids_of(obj: Any) -> set[int]:
    """The regions a record belongs to: its own region, or a user's membership regions."""

    if isinstance(obj, Region):
        return {obj.pk}
    if isinstance(obj, User):
        return {region_id for region_id, _role in _memberships(obj)}
    if is_national_record(obj):
        # A national record (no region) belongs to the national desk's people.
        return set(Region.objects.filter(is_national_desk=True).values_list("pk", flat=True))
    region_id = getattr(obj, "region_id", None)
    if region_id is None:
        raise TypeError(f"The policy does not know the region of {type(obj).__name__}.")
    return {region_id}


def is_national_record(obj: Any) -> bool:
    """A record of a kind that may lack a region, and lacks one: it is national."""
    return bool(getattr(obj, "NATIONAL_WITHOUT_REGION", False)) and (
        getattr(obj, "region_id", None) is None
    )


def _granting_roles(action: Action, obj: Any) -> frozenset[str] | None:
    """The only roles that count for `action` on `obj`; None when every granting role does."""
    if obj is not None and is_national_record(obj):
        return NATIONAL_RECORD_ROLES.get(action)
    return None


def regions_where(
    user: User | AnonymousUser | None, action: Action, *, roles: Iterable[str] | None = None
) -> set[int]:
    """Ids of the regions in which the user holds a role that grants `action` (one of
    `roles`, when given)."""
    if not _is_active(user):
        return set()
    only = None if roles is None else set(roles)
    return {
        region_id
        for region_id, role in _memberships(user)  # type: ignore[arg-type]  # active: a User
        if action in GRANTS.get(role, frozenset()) and (only is None or role in only)
    }


def roles_for(user: User, action: Action, obj: Any = None) -> list[str]:
    """The user's roles that grant `action` (in the record's region when given): for the log."""
    regions = region_ids_of(obj) if obj is not None else None
    only = _granting_roles(action, obj)
    return sorted(
        {
            role
            for region_id, role in _memberships(user)
            if action in GRANTS.get(role, frozenset())
            and (regions is None or region_id in regions)
            and (only is None or role in only)
        }
    )


def may(user: User | AnonymousUser | None, action: Action, obj: Any = None) -> bool:
    """May `user` perform `action` (on `obj`, when the action concerns a record)?"""
    allowed = regions_where(user, action)
    if not allowed:
        return False
    if obj is None:
        return True
    only = _granting_roles(action, obj)
    if only is not None:
        allowed = regions_where(user, action, roles=only)
    if allowed & region_ids_of(obj):
        return True
    return action in BREAK_GLASS_ACTIONS and has_break_glass_grant(user, action, obj)  # type: ignore[arg-type]  # allowed: a User


def require(user: User | AnonymousUser | None, action: Action, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise AccessDenied(action=action, obj=obj)


def scope[M: Model](
    queryset: QuerySet[M],
    user: User | AnonymousUser | None,
    action: Action,
    *,
    region_field: str = "region",
) -> QuerySet[M]:
    """Narrow a queryset to the records the user may act on; empty when nothing is allowed."""
    regions = regions_where(user, action)
    if not regions:
        return queryset.none()
    return queryset.filter(**{f"{region_field}__in": regions})


def may_view_national_insights(user: User | AnonymousUser | None) -> bool:
    """The national view of the figures: VIEW_INSIGHTS held at the national desk."""

    desk = regions_where(user, Action.VIEW_INSIGHTS)
    return bool(desk) and Region.objects.filter(pk__in=desk, is_national_desk=True).exists()


def is_veilig_thuis_staff(user: User | AnonymousUser | None) -> bool:
    """Works for Veilig Thuis (not a partner): may be named to colleagues on a record."""
    return bool(regions_where(user, Action.USE_STAFF_WORKSPACE))


def may_break_glass(user: User | AnonymousUser | None, action: Action) -> bool:
    """Only someone who does this work in their own region may ask for it elsewhere."""
    return action in BREAK_GLASS_ACTIONS and bool(regions_where(user, action))


def object_key(obj: Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def has_break_glass_grant(user: User, action: Action, obj: Model) -> bool:

    object_type, object_id = object_key(obj)
    return BreakGlassGrant.objects.filter(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        expires_at__gt=timezone.now(),
    ).exists()


def action_names(actions: Iterable[Action]) -> list[str]:
    return sorted(str(a) for a in actions)


# --- User management ------------------------------------------------------------------------
# Issue 12: resetting someone's password or two-factor is taking over their account, so a
# functional administrator manages only accounts that work nowhere but in the administrator's
# own regions (a role held, or one waiting for approval). Nobody gives roles to themselves, and
# a role that can reveal a reporter is given only when a second administrator approves.

# Derived from GRANTS, so a role that later gains the action needs four eyes too.
FOUR_EYES_ROLES: frozenset[str] = frozenset(
    role for role, actions in GRANTS.items() if Action.VIEW_REPORTER_IDENTITY in actions
)


def account_region_ids(account: User) -> set[int]:
    """The regions an account works in: its roles, and roles waiting for approval (read fresh)."""
    held = Membership.objects.filter(user_id=account.pk).values_list("region_id", flat=True)
    waiting = RoleGrantRequest.objects.filter(
        user_id=account.pk, status=RoleGrantRequest.Status.PENDING
    ).values_list("region_id", flat=True)
    return set(held) | set(waiting)


def may_manage_user(by: User | AnonymousUser | None, account: User) -> bool:
    """`by` manages users in every region the account works in (and it works somewhere)."""
    managed = regions_where(by, Action.MANAGE_USERS)
    regions = account_region_ids(account)
    return bool(managed) and bool(regions) and regions <= managed


def scope_manageable_users[M: Model](
    queryset: QuerySet[M], by: User | AnonymousUser | None
) -> QuerySet[M]:
    """The accounts of `queryset` that `by` may manage (the rule of `may_manage_user`)."""
    managed = regions_where(by, Action.MANAGE_USERS)
    if not managed:
        return queryset.none()
    pending = RoleGrantRequest.objects.filter(status=RoleGrantRequest.Status.PENDING)
    inside = Membership.objects.filter(region__in=managed).values("user_id")
    waiting_inside = pending.filter(region__in=managed).values("user_id")
    outside = Membership.objects.exclude(region__in=managed).values("user_id")
    waiting_outside = pending.exclude(region__in=managed).values("user_id")
    return (
        queryset.filter(Q(pk__in=inside) | Q(pk__in=waiting_inside))
        .exclude(pk__in=outside)
        .exclude(pk__in=waiting_outside)
    )


def may_grant_role(by: User | AnonymousUser | None, account: User, region_id: int) -> bool:
    """A role in one of `by`'s regions, to an account `by` manages, never to `by` itself."""
    return (
        getattr(by, "pk", None) != account.pk
        and region_id in regions_where(by, Action.MANAGE_USERS)
        and may_manage_user(by, account)
    )


def needs_second_approval(role: str) -> bool:
    return role in FOUR_EYES_ROLES


def may_decide_role_grant(by: User | AnonymousUser | None, grant: RoleGrantRequest) -> bool:
    """Approve or reject: another administrator than the one who asked, never the account."""
    return getattr(by, "pk", None) != grant.requested_by_id and may_grant_role(
        by, grant.user, grant.region_id
    )


# --- The meldcode assistant ---------------------------------------------------------------
# A meldcode record is the professional's own file, not a Veilig Thuis record: it belongs to
# the professional who opened it and to their organisation. The organisation's meldcode
# contact person (aandachtsfunctionaris) reads every record of the organisation; only the
# professional who opened it writes in it. Both must still hold their role in the region of
# the organisation, and belong to the record's organisation.


def may_edit_meldcode_record(user: User | AnonymousUser | None, record: Any) -> bool:
    """Only the professional who opened the record writes in it (while in the organisation)."""
    return (
        may(user, Action.USE_MELDCODE, record)
        and record.professional_id == user.pk  # type: ignore[union-attr]  # may() above admitted an active User
        and record.organisation_id == user.organisation_id  # type: ignore[union-attr]  # may() above admitted an active User
    )


def may_view_meldcode_record(user: User | AnonymousUser | None, record: Any) -> bool:
    """The professional's own records, and every record of the contact person's organisation."""
    if may_edit_meldcode_record(user, record):
        return True
    return (
        may(user, Action.VIEW_ORGANISATION_MELDCODE, record)
        and record.organisation_id == user.organisation_id  # type: ignore[union-attr]  # may() above admitted an active User
    )


def may_hold_meldcode_record(user: User | AnonymousUser | None, record: Any) -> bool:
    """A legal hold on a meldcode record is the organisation's decision: its meldcode contact
    person, for the records of their own organisation. Veilig Thuis does not hold a
    professional's file (ADR 0016, 0032)."""
    return (
        may(user, Action.VIEW_ORGANISATION_MELDCODE, record)
        and record.organisation_id == user.organisation_id  # type: ignore[union-attr]  # may() above admitted an active User
    )


def may_set_meldcode_retention(user: User | AnonymousUser | None, organisation: Any) -> bool:
    """How long an organisation keeps its meldcode records: the organisation's meldcode
    contact person, of that organisation only (ADR 0031, 0032). The organisation keeps these
    records in its own files; no Veilig Thuis role sets its term."""
    return (
        may(user, Action.VIEW_ORGANISATION_MELDCODE, organisation)
        and organisation.pk == user.organisation_id  # type: ignore[union-attr]  # may() above admitted an active User
    )


def scope_meldcode_records[M: Model](
    queryset: QuerySet[M], user: User | AnonymousUser | None
) -> QuerySet[M]:
    """The records `user` may read: their own, plus their organisation's for a contact person."""
    from django.db.models import Q

    if not isinstance(user, User) or not _is_active(user) or user.organisation_id is None:
        return queryset.none()
    own_regions = regions_where(user, Action.USE_MELDCODE)
    organisation_regions = regions_where(user, Action.VIEW_ORGANISATION_MELDCODE)
    in_organisation = Q(organisation_id=user.organisation_id)
    own = Q(professional_id=user.pk, region_id__in=own_regions)
    whole_organisation = Q(region_id__in=organisation_regions)
    return queryset.filter(in_organisation & (own | whole_organisation))


# --- Partners: what is their own ----------------------------------------------------------
# A partner sees only what is its own: a helpline volunteer the handovers they requested, the
# helpline's system its organisation's handovers; a team member and the team's system the
# reports transferred to their organisation. The partner pages, the volunteer's socket and
# the API all ask these functions (ADR 21). A partner system (API token) holds no roles: the
# kind of its organisation says what it may do.

PARTNER_SYSTEM_GRANTS: dict[str, frozenset[Action]] = {
    "helpline": frozenset({Action.REQUEST_HANDOVER}),
    "local_team": frozenset({Action.ACCEPT_TRANSFER}),
    "save_team": frozenset({Action.ACCEPT_TRANSFER}),
}


class PartnerSystem(Protocol):
    """A partner organisation's system calling the API with its token (`api.auth.PartnerClient`)."""

    is_partner_system: bool
    organisation: PartnerOrganisation


def is_partner_system(principal: object) -> bool:
    return getattr(principal, "is_partner_system", False) is True


def may_as_partner(principal: User | AnonymousUser | PartnerSystem | None, action: Action) -> bool:
    """A person by a role (and only within an organisation); a system by its organisation's kind."""
    if is_partner_system(principal):
        kind = principal.organisation.kind  # type: ignore[union-attr]  # a partner system always has an organisation
        return action in PARTNER_SYSTEM_GRANTS.get(kind, frozenset())
    return may(principal, action) and getattr(principal, "organisation_id", None) is not None  # type: ignore[arg-type]  # not a system here


def partner_organisation_id(principal: object) -> int | None:
    if is_partner_system(principal):
        return principal.organisation.pk  # type: ignore[attr-defined]  # a partner system always has an organisation
    return getattr(principal, "organisation_id", None)


def owns_handover(principal: User | AnonymousUser | PartnerSystem | None, handover: Any) -> bool:
    """The volunteer's own handover: one they requested; for the helpline's system, one of its
    organisation."""
    if not may_as_partner(principal, Action.REQUEST_HANDOVER):
        return False
    if is_partner_system(principal):
        return bool(handover.organisation_id == partner_organisation_id(principal))
    return bool(handover.requested_by_id == principal.pk)  # type: ignore[union-attr]  # may() above admitted an active User


def scope_own_handovers[M: Model](
    queryset: QuerySet[M], principal: User | AnonymousUser | PartnerSystem | None
) -> QuerySet[M]:
    """The handovers `principal` may follow: as `owns_handover`, for a list."""
    if not may_as_partner(principal, Action.REQUEST_HANDOVER):
        return queryset.none()
    if is_partner_system(principal):
        return queryset.filter(organisation_id=partner_organisation_id(principal))
    return queryset.filter(requested_by_id=principal.pk)  # type: ignore[union-attr]  # may() above admitted an active User


def is_transferred_to(report: Any, *, organisation_id: int | None) -> bool:
    """The report is transferred (pending or accepted) to this organisation."""
    return (
        organisation_id is not None
        and report.transferred_at is not None
        and report.transferred_to_id == organisation_id
    )


def owns_transfer(principal: User | AnonymousUser | PartnerSystem | None, report: Any) -> bool:
    """The team's own transfer: a report transferred to the organisation of the team member or
    of the team's system."""
    return may_as_partner(principal, Action.ACCEPT_TRANSFER) and is_transferred_to(
        report, organisation_id=partner_organisation_id(principal)
    )


def scope_own_transfers[M: Model](
    queryset: QuerySet[M], principal: User | AnonymousUser | PartnerSystem | None
) -> QuerySet[M]:
    """The transfers `principal` may see: those to its own organisation; none otherwise."""
    if not may_as_partner(principal, Action.ACCEPT_TRANSFER):
        return queryset.none()
    return queryset.filter(transferred_to_id=partner_organisation_id(principal)).exclude(
        transferred_at=None
    )
