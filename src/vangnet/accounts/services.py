"""Account actions: two-factor enrolment, logging out everywhere, breaking the glass, and
the functional administrator's user management (create, edit, roles, (de)activate, reset
two-factor, unlock, new password).

Every user-management action checks the policy itself (`policy.may_manage_user`: the
administrator manages every region the account works in; `policy.may_grant_role`: never to
themselves) and writes its access-log entry in the same transaction. A role that can reveal a
reporter waits as a `RoleGrantRequest` until a second administrator approves it (four eyes).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.errors import DomainError
from vangnet.regions.models import PartnerOrganisation, Region

from .models import BreakGlassGrant, Membership, Role, RoleGrantRequest, User
from .policy import (
    BREAK_GLASS_DURATION,
    GRANTS,
    AccessDenied,
    Action,
    may_break_glass,
    may_decide_role_grant,
    may_grant_role,
    may_manage_user,
    needs_second_approval,
    object_key,
    regions_where,
    roles_for,
)
from .websocket import recheck_sockets

DEVICE_NAME = "Authenticator-app"
MIN_BREAK_GLASS_REASON = 20


class AccountError(DomainError):
    """A refused account action, with a message the user can act on."""


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (made on first need)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def has_confirmed_device(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_access(
        user=user,
        action=AccessLogAction.CHANGE,
        obj=user,
        reason="tweestapsverificatie ingesteld",
    )


@transaction.atomic
def log_out_everywhere(
    *, user: User, audit: AuditContext | None = None, by: User | None = None
) -> None:
    """Invalidate every session of this user, on every device (rotates the security stamp).

    `by` is the functional administrator when it is not the user's own choice.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.security_stamp = uuid.uuid4()
    locked.save(update_fields=["security_stamp"])
    user.security_stamp = locked.security_stamp
    recheck_sockets(user_id=locked.pk)
    by_other = by is not None and by.pk != user.pk
    record_access(
        user=by if by_other else user,
        action=AccessLogAction.LOGOUT,
        obj=user,
        audit=audit,
        reason="overal uitgelogd door functioneel beheerder" if by_other else "overal uitgelogd",
    )


@transaction.atomic
def break_glass(
    *, user: User, action: Action, obj: Model, reason: str, audit: AuditContext | None = None
) -> BreakGlassGrant:
    """Grant one hour of access to one record outside the user's regions, for a stated reason."""
    reason = reason.strip()
    if not may_break_glass(user, action):
        raise AccessDenied(action=action, obj=obj)
    if len(reason) < MIN_BREAK_GLASS_REASON:
        raise AccountError(
            f"Geef een reden van minstens {MIN_BREAK_GLASS_REASON} tekens: waarom heeft u "
            "deze gegevens nu nodig?"
        )
    object_type, object_id = object_key(obj)
    grant = BreakGlassGrant(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        expires_at=timezone.now() + BREAK_GLASS_DURATION,
    )
    grant.full_clean()
    grant.save()
    record_access(
        user=user,
        action=AccessLogAction.BREAK_GLASS,
        obj=obj,
        audit=audit,
        reason=reason,
        roles=sorted(user.roles),
    )
    return grant


# --- User management by the functional administrator -----------------------------------

# No look-alike characters (0/O, 1/l/I): the password is read aloud or copied by hand.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105  (an alphabet)


def generate_password(*, groups: int = 4, group_length: int = 5) -> str:
    """A strong initial password in readable groups, e.g. `hT4kq-9Wmzp-...`."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(group_length))
        for _ in range(groups)
    )


def _managed_region_ids(by: User) -> set[int]:
    return regions_where(by, Action.MANAGE_USERS)


def _require_manageable(by: User, user: User) -> None:
    """`by` manages users in every region where `user` works (holds or waits for a role)."""
    if not may_manage_user(by, user):
        raise AccessDenied(action=Action.MANAGE_USERS, obj=user)


def _require_may_grant(by: User, user: User, region: Region) -> None:
    if user.pk == by.pk:
        raise AccessDenied(
            gettext("U kunt uzelf geen rol geven. Vraag een andere functioneel beheerder."),
            action=Action.MANAGE_USERS,
            obj=user,
        )
    if not may_grant_role(by, user, region.pk):
        raise AccessDenied(action=Action.MANAGE_USERS, obj=user)


def _grant(*, by: User, user: User, region: Region, role: str) -> Membership | RoleGrantRequest:
    """The role at once, or, for a role that can reveal a reporter, a request for approval."""
    if Membership.objects.filter(user=user, region=region, role=role).exists():
        raise AccountError(gettext("Deze gebruiker heeft die rol in die regio al."))
    if not needs_second_approval(role):
        membership = Membership(user=user, region=region, role=role)
        membership.full_clean()
        membership.save()
        return membership
    if RoleGrantRequest.objects.filter(
        user=user, region=region, role=role, status=RoleGrantRequest.Status.PENDING
    ).exists():
        raise AccountError(
            gettext("Deze rol in die regio wacht al op goedkeuring van een tweede beheerder.")
        )
    grant = RoleGrantRequest(user=user, region=region, role=role, requested_by=by)
    grant.full_clean()
    grant.save()
    return grant


def _grant_reason(granted: Membership | RoleGrantRequest) -> str:
    if isinstance(granted, RoleGrantRequest):
        return (
            f"rol {granted.role} in {granted.region.code} aangevraagd; wacht op goedkeuring "
            "van een tweede functioneel beheerder"
        )
    return f"rol {granted.role} in {granted.region.code} toegevoegd"


def _log_change(
    *,
    by: User,
    user: User,
    reason: str,
    audit: AuditContext | None,
    action: AccessLogAction = AccessLogAction.CHANGE,
) -> None:
    record_access(
        user=by,
        action=action,
        obj=user,
        roles=roles_for(by, Action.MANAGE_USERS),
        audit=audit,
        reason=reason,
    )


def _username_errors(username: str) -> list[str]:
    # Logging in is case-sensitive; two accounts that differ only in case would confuse people.
    if User.objects.filter(username__iexact=username).exists():
        return [gettext("Deze gebruikersnaam is al in gebruik. Kies een andere.")]
    return []


def _password_errors(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _check_organisation(
    by: User, organisation: PartnerOrganisation | None, current_id: int | None = None
) -> None:
    if organisation is None or organisation.pk == current_id:
        return
    if organisation.region_id not in _managed_region_ids(by):
        raise ValidationError(
            {
                "organisation": gettext(
                    "Kies een organisatie uit een regio waarin u gebruikers beheert."
                )
            }
        )


def _new_user(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    phone_number: str,
    organisation: PartnerOrganisation | None,
    password: str,
) -> User:
    username = username.strip()
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        phone_number=phone_number.strip(),
        organisation=organisation,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if taken := _username_errors(username):
        errors.setdefault("username", []).extend(taken)
    if weak := _password_errors(password, user):
        errors["password"] = weak
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def create_user(
    *,
    by: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    region: Region,
    roles: Iterable[str],
    password: str,
    phone_number: str = "",
    organisation: PartnerOrganisation | None = None,
    audit: AuditContext | None = None,
) -> User:
    """Create an account with at least one role in a region the administrator manages."""
    if region.pk not in _managed_region_ids(by):
        raise AccessDenied(action=Action.MANAGE_USERS, obj=region)
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": gettext("Kies minstens één rol.")})
    _check_organisation(by, organisation)
    user = _new_user(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone_number=phone_number,
        organisation=organisation,
        password=password,
    )
    granted = [_grant(by=by, user=user, region=region, role=role) for role in roles]
    waiting = [g.role for g in granted if isinstance(g, RoleGrantRequest)]
    given = [g.role for g in granted if isinstance(g, Membership)]
    reason = f"gebruiker aangemaakt met rol(len) {', '.join(given) or '-'} in {region.code}"
    if waiting:
        reason += f"; wacht op goedkeuring van een tweede beheerder: {', '.join(waiting)}"
    _log_change(by=by, user=user, action=AccessLogAction.CREATE, reason=reason, audit=audit)
    return user


@transaction.atomic
def create_first_functional_admin(
    *, username: str, region: Region, password: str, email: str = ""
) -> User:
    """Bootstrap: the first functional administrator, made from the command line."""
    user = _new_user(
        username=username,
        first_name="",
        last_name="",
        email=email,
        phone_number="",
        organisation=None,
        password=password,
    )
    Membership.objects.create(user=user, region=region, role=Role.FUNCTIONAL_ADMIN)
    record_access(
        user=None,
        action=AccessLogAction.CREATE,
        obj=user,
        username="beheeropdracht",
        reason=f"eerste functioneel beheerder aangemaakt in {region.code}",
    )
    return user


@transaction.atomic
def update_user_details(
    *,
    by: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    phone_number: str = "",
    organisation: PartnerOrganisation | None = None,
    audit: AuditContext | None = None,
) -> User:
    """Change name, e-mail, work phone and organisation. The username never changes: the
    access log names people by it."""
    _require_manageable(by, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_organisation(by, organisation, current_id=locked.organisation_id)
    locked.first_name = first_name.strip()
    locked.last_name = last_name.strip()
    locked.email = User.objects.normalize_email(email.strip())
    locked.phone_number = phone_number.strip()
    locked.organisation = organisation
    locked.full_clean()
    locked.save(update_fields=["first_name", "last_name", "email", "phone_number", "organisation"])
    _log_change(by=by, user=locked, reason="gegevens gewijzigd", audit=audit)
    return locked


@transaction.atomic
def add_membership(
    *, by: User, user: User, region: Region, role: str, audit: AuditContext | None = None
) -> Membership | RoleGrantRequest:
    """Give another user a role in a region the administrator manages.

    A role that can reveal a reporter (policy.FOUR_EYES_ROLES) is not given yet: the answer is
    a pending RoleGrantRequest that a second administrator approves or rejects.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    _require_may_grant(by, locked, region)
    granted = _grant(by=by, user=locked, region=region, role=role)
    _log_change(by=by, user=locked, reason=_grant_reason(granted), audit=audit)
    return granted


def _decided_grant(*, by: User, grant: RoleGrantRequest) -> RoleGrantRequest:
    locked = (
        RoleGrantRequest.objects.select_for_update()
        .select_related("region", "user", "requested_by")
        .get(pk=grant.pk)
    )
    if locked.status != RoleGrantRequest.Status.PENDING:
        raise AccountError(gettext("Over deze aanvraag is al beslist."))
    return locked


@transaction.atomic
def approve_role_grant(
    *, by: User, grant: RoleGrantRequest, audit: AuditContext | None = None
) -> Membership:
    """The second administrator approves: only now does the user hold the role."""
    User.objects.select_for_update().get(pk=grant.user_id)
    locked = _decided_grant(by=by, grant=grant)
    if not may_decide_role_grant(by, locked):
        raise AccessDenied(
            gettext("Een andere functioneel beheerder dan wie de rol aanvroeg moet hem goedkeuren.")
            if by.pk in (locked.requested_by_id, locked.user_id)
            else "",
            action=Action.MANAGE_USERS,
            obj=locked.user,
        )
    membership, _created = Membership.objects.get_or_create(
        user=locked.user, region=locked.region, role=locked.role
    )
    _decide(
        locked,
        by=by,
        status=RoleGrantRequest.Status.APPROVED,
        reason=(
            f"rol {locked.role} in {locked.region.code} goedgekeurd "
            f"(aangevraagd door {locked.requested_by.username})"
        ),
        audit=audit,
    )
    return membership


@transaction.atomic
def reject_role_grant(
    *, by: User, grant: RoleGrantRequest, audit: AuditContext | None = None
) -> RoleGrantRequest:
    """Another administrator rejects the role, or the one who asked withdraws it."""
    User.objects.select_for_update().get(pk=grant.user_id)
    locked = _decided_grant(by=by, grant=grant)
    withdrawn = by.pk == locked.requested_by_id
    allowed = (
        may_grant_role(by, locked.user, locked.region_id)
        if withdrawn
        else may_decide_role_grant(by, locked)
    )
    if not allowed:
        raise AccessDenied(action=Action.MANAGE_USERS, obj=locked.user)
    _decide(
        locked,
        by=by,
        status=RoleGrantRequest.Status.REJECTED,
        reason=(
            f"aanvraag rol {locked.role} in {locked.region.code} "
            + (
                "ingetrokken"
                if withdrawn
                else f"afgewezen (aangevraagd door {locked.requested_by.username})"
            )
        ),
        audit=audit,
    )
    return locked


def _decide(
    grant: RoleGrantRequest,
    *,
    by: User,
    status: RoleGrantRequest.Status,
    reason: str,
    audit: AuditContext | None,
) -> None:
    """Record the decision on a locked request, and log it as a change to the user."""
    grant.status = status
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    _log_change(by=by, user=grant.user, reason=reason, audit=audit)


def _grants_user_management(role: str) -> bool:
    return Action.MANAGE_USERS in GRANTS.get(role, frozenset())


@transaction.atomic
def remove_membership(
    *, by: User, membership: Membership, audit: AuditContext | None = None
) -> None:
    """Take a role away, only in a region the administrator manages."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if membership.region_id not in _managed_region_ids(by) or not may_manage_user(by, user):
        raise AccessDenied(action=Action.MANAGE_USERS, obj=user)
    others = Membership.objects.filter(user=user).exclude(pk=membership.pk)
    if not others.exists():
        raise AccountError(
            gettext(
                "Dit is de laatste rol van deze gebruiker. Wilt u dat deze persoon niet meer "
                "kan inloggen? Schakel het account dan uit."
            )
        )
    if (
        user.pk == by.pk
        and _grants_user_management(membership.role)
        and not any(_grants_user_management(role) for role in others.values_list("role", flat=True))
    ):
        raise AccountError(
            gettext(
                "U kunt uw eigen laatste beheerrol niet verwijderen. Vraag een andere "
                "functioneel beheerder om dit te doen."
            )
        )
    reason = f"rol {membership.role} in {membership.region.code} verwijderd"
    membership.delete()
    recheck_sockets(user_id=user.pk)
    _log_change(by=by, user=user, reason=reason, audit=audit)


@transaction.atomic
def deactivate_user(*, by: User, user: User, audit: AuditContext | None = None) -> User:
    """Switch the account off and end all of its sessions. Nothing is deleted."""
    _require_manageable(by, user)
    if user.pk == by.pk:
        raise AccountError(
            gettext("U kunt uw eigen account niet uitschakelen. Vraag een andere beheerder.")
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise AccountError(gettext("Dit account is al uitgeschakeld."))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    _log_change(by=by, user=locked, reason="account uitgeschakeld", audit=audit)
    log_out_everywhere(user=locked, audit=audit, by=by)
    return locked


@transaction.atomic
def reactivate_user(*, by: User, user: User, audit: AuditContext | None = None) -> User:
    _require_manageable(by, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        raise AccountError(gettext("Dit account is al actief."))
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    _log_change(by=by, user=locked, reason="account weer ingeschakeld", audit=audit)
    return locked


@transaction.atomic
def reset_two_factor(*, by: User, user: User, audit: AuditContext | None = None) -> int:
    """Forget the user's authenticator (lost or new phone): the next login sets up a new one.

    The user's sessions end too, so the new authenticator is only ever set up after the
    password has been given again.
    """
    _require_manageable(by, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    deleted, _details = TOTPDevice.objects.filter(user=locked).delete()
    _log_change(by=by, user=locked, reason="tweestapsverificatie gereset", audit=audit)
    log_out_everywhere(user=locked, audit=audit, by=by)
    return deleted


@transaction.atomic
def reset_two_factor_by_operator(*, user: User) -> int:
    """The same, from the server's command line: for the last administrator who lost their
    phone, or a demo account. Logged as an operator's command (no user is logged in)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    deleted, _details = TOTPDevice.objects.filter(user=locked).delete()
    locked.security_stamp = uuid.uuid4()  # every session ends: the password comes first again
    locked.save(update_fields=["security_stamp"])
    record_access(
        user=None,
        action=AccessLogAction.CHANGE,
        obj=locked,
        username="beheeropdracht",
        reason="tweestapsverificatie gereset via de opdrachtregel",
    )
    return deleted


@transaction.atomic
def unlock_user(*, by: User, user: User, audit: AuditContext | None = None) -> int:
    """Lift a lockout after repeated wrong passwords (django-axes) before the cool-off ends."""
    _require_manageable(by, user)
    removed = axes_reset(username=user.username)
    _log_change(by=by, user=user, reason="account gedeblokkeerd", audit=audit)
    return removed


@transaction.atomic
def set_password(*, by: User, user: User, password: str, audit: AuditContext | None = None) -> None:
    """Give the user a new password (forgotten). Every session of the user ends with it."""
    _require_manageable(by, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if weak := _password_errors(password, locked):
        raise ValidationError({"password": weak})
    locked.set_password(password)
    locked.save(update_fields=["password"])
    recheck_sockets(user_id=locked.pk)
    _log_change(by=by, user=locked, reason="nieuw wachtwoord ingesteld", audit=audit)
