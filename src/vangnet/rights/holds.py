"""Legal holds (bewaarplicht) on the records the retention destroys, and an organisation's
term for its meldcode records (ADR 0031, 0032).

One screen for every kind: an advice dossier, a contact, a chat and a meldcode record. Who may
put or lift a hold is the policy's (`PLACE_LEGAL_HOLD` in the record's region for Veilig
Thuis's records; the organisation's meldcode contact person for a meldcode record). Putting,
lifting and reading the screen are logged on the record; the record's own page shows
"Bewaarplicht: niet vernietigen" through `core.notices`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    may,
    may_hold_meldcode_record,
    may_set_meldcode_retention,
    roles_for,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.chat.models import Conversation
from vangnet.contacts.models import AdviceDossier, Contact
from vangnet.core.notices import Notice
from vangnet.errors import DomainError
from vangnet.meldcode.models import MeldcodeRecord
from vangnet.regions.models import PartnerOrganisation

from .models import HeldKind, LegalHold, OrganisationRetention

# The kind in the screen's address, and its model.
KINDS: dict[str, tuple[HeldKind, type[Model]]] = {
    "dossier": (HeldKind.ADVICE_DOSSIER, AdviceDossier),
    "contact": (HeldKind.CONTACT, Contact),
    "chat": (HeldKind.CONVERSATION, Conversation),
    "meldcode": (HeldKind.MELDCODE_RECORD, MeldcodeRecord),
}
_SLUG = {model: slug for slug, (_kind, model) in KINDS.items()}

# A sane range for an organisation's meldcode term: at least the advice records' two years,
# at most the longest a client file is kept (WGBO/Jeugdwet 20 years, and a margin).
MELDCODE_YEARS_MIN = 2
MELDCODE_YEARS_MAX = 30


class HoldError(DomainError):
    """A refused hold action, with messages per field (ADR 0028)."""


def may_hold(user: Any, record: Any) -> bool:
    """Deny by default: only the kinds this screen knows, and only for the policy's roles."""
    if isinstance(record, MeldcodeRecord):
        return may_hold_meldcode_record(user, record)
    if isinstance(record, AdviceDossier | Contact | Conversation):
        return may(user, Action.PLACE_LEGAL_HOLD, record)
    return False


def _roles(user: User, record: Any) -> list[str]:
    if isinstance(record, MeldcodeRecord):
        return roles_for(user, Action.VIEW_ORGANISATION_MELDCODE, record)
    return roles_for(user, Action.PLACE_LEGAL_HOLD, record)


def _key(record: Model) -> tuple[str, str]:
    return KINDS[_SLUG[type(record)]][0], str(record.pk)


def active_holds(record: Model) -> list[LegalHold]:
    kind, object_id = _key(record)
    return list(
        LegalHold.objects.filter(object_type=kind, object_id=object_id, lifted_at__isnull=True)
    )


@dataclass(frozen=True)
class HoldScreen:
    slug: str
    record: Any
    label: str
    holds: list[LegalHold]
    lifted: list[LegalHold]


def _label(record: Any) -> str:
    reference = getattr(record, "reference", "")
    if reference:
        return str(reference)
    if isinstance(record, Contact):
        return _("contact van %(day)s") % {
            "day": timezone.localtime(record.received_at).strftime("%d-%m-%Y")
        }
    return _("chat van %(day)s") % {
        "day": timezone.localtime(record.created_at).strftime("%d-%m-%Y")
    }


def record_for_hold(
    *, user: User, slug: str, object_id: int, audit: AuditContext | None
) -> HoldScreen:
    """The hold screen of one record, for one who may hold it; a refusal is logged. Shows the
    record's reference and its holds, not its content."""
    if slug not in KINDS:
        raise LegalHold.DoesNotExist
    kind, model = KINDS[slug]
    record = model._default_manager.get(pk=object_id)
    if not may_hold(user, record):
        record_access(user=user, action=AccessLogAction.REFUSED, obj=record, audit=audit)
        raise AccessDenied(action=Action.PLACE_LEGAL_HOLD, obj=record, logged=True)
    _log(user, record, AccessLogAction.VIEW, audit, "bewaarplicht")
    holds = LegalHold.objects.filter(object_type=kind, object_id=str(record.pk)).select_related(
        "placed_by", "lifted_by"
    )
    return HoldScreen(
        slug=slug,
        record=record,
        label=_label(record),
        holds=[h for h in holds if h.lifted_at is None],
        lifted=[h for h in holds if h.lifted_at is not None],
    )


def _require(by: User, record: Any) -> None:
    if not may_hold(by, record):
        raise AccessDenied(action=Action.PLACE_LEGAL_HOLD, obj=record)


def place_hold(
    *, by: User, record: Model, reason: str, audit: AuditContext | None = None
) -> LegalHold:
    """Do not destroy this record, for a stated reason (a court case, a measure). Logged as a
    change of the record with the reason; the retention and a destruction request skip it."""
    if not reason.strip():
        raise HoldError(errors={"reason": [_("Geef de reden (bijvoorbeeld de rechtszaak).")]})
    _require(by, record)
    kind, object_id = _key(record)
    with transaction.atomic():
        hold = LegalHold.objects.create(
            object_type=kind, object_id=object_id, reason=reason.strip(), placed_by=by
        )
        _log(by, record, AccessLogAction.CHANGE, audit, f"bewaarplicht: {reason.strip()}")
    return hold


def lift_hold(
    *, by: User, record: Model, hold_id: int, reason: str, audit: AuditContext | None = None
) -> LegalHold:
    """The hold ends (the case is over): the retention may destroy the record again."""
    if not reason.strip():
        raise HoldError(
            errors={"lift_reason": [_("Geef de reden waarom de bewaarplicht vervalt.")]}
        )
    _require(by, record)
    kind, object_id = _key(record)
    with transaction.atomic():
        hold = (
            LegalHold.objects.select_for_update()
            .filter(pk=hold_id, object_type=kind, object_id=object_id, lifted_at__isnull=True)
            .first()
        )
        if hold is None:
            raise HoldError(_("Deze bewaarplicht is al opgeheven."))
        hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), by, reason.strip()
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        _log(by, record, AccessLogAction.CHANGE, audit, f"bewaarplicht opgeheven: {reason.strip()}")
    return hold


def _log(
    by: User, record: Model, action: AccessLogAction, audit: AuditContext | None, reason: str
) -> None:
    """The hold screen shown (VIEW) or a hold placed or lifted (CHANGE), with the reason."""
    record_access(
        user=by,
        action=action,
        obj=record,
        roles=_roles(by, record),
        audit=audit,
        reason=reason[:500],
    )


def hold_notices(user: Any, record: Any) -> list[Notice]:
    """On the record's page: the hold, to everyone who sees the page; the link to the screen,
    to those who may hold it."""
    if type(record) not in _SLUG or record.pk is None:
        return []
    notices = []
    if active_holds(record):
        notices.append(Notice(str(_("Bewaarplicht: niet vernietigen")), strong=True))
    if isinstance(user, User) and may_hold(user, record):
        slug = _SLUG[type(record)]
        notices.append(
            Notice(
                "",
                link=reverse("rights:hold", kwargs={"kind": slug, "object_id": record.pk}),
                link_text=str(_("Bewaarplicht beheren")),
            )
        )
    return notices


# --- An organisation's term for its meldcode records ------------------------------------------


@dataclass(frozen=True)
class MeldcodeTerm:
    organisation: PartnerOrganisation
    years: int
    is_default: bool
    default_years: int


def meldcode_term(*, user: User) -> MeldcodeTerm:
    """The term of the user's own organisation, for one who may set it."""
    organisation = user.organisation
    if organisation is None or not may_set_meldcode_retention(user, organisation):
        raise AccessDenied(action=Action.VIEW_ORGANISATION_MELDCODE, obj=organisation)
    own = OrganisationRetention.objects.filter(organisation=organisation).first()
    default = int(settings.MELDCODE_RECORD_RETENTION_YEARS)
    return MeldcodeTerm(
        organisation=organisation,
        years=own.meldcode_record_years if own else default,
        is_default=own is None,
        default_years=default,
    )


def set_meldcode_term(
    *, by: User, organisation: PartnerOrganisation, years: int, audit: AuditContext | None = None
) -> OrganisationRetention:
    """Set how long the organisation keeps its closed meldcode records. Logged."""
    if not may_set_meldcode_retention(by, organisation):
        raise AccessDenied(action=Action.VIEW_ORGANISATION_MELDCODE, obj=organisation)
    if not MELDCODE_YEARS_MIN <= years <= MELDCODE_YEARS_MAX:
        raise HoldError(
            errors={
                "years": [
                    _(
                        "Kies een bewaartermijn van %(min)s tot en met %(max)s jaar. Een "
                        "cliëntdossier wordt meestal 20 jaar bewaard."
                    )
                    % {"min": MELDCODE_YEARS_MIN, "max": MELDCODE_YEARS_MAX}
                ]
            }
        )
    with transaction.atomic():
        term, _created = OrganisationRetention.objects.update_or_create(
            organisation=organisation,
            defaults={"meldcode_record_years": years, "set_by": by, "set_at": timezone.now()},
        )
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=organisation,
            roles=roles_for(by, Action.VIEW_ORGANISATION_MELDCODE, organisation),
            audit=audit,
            reason=f"bewaartermijn meldcodedossiers: {years} jaar",
        )
    return term
