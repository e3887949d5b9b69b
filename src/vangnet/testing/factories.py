"""factory_boy factories. Tests build exactly the world they need; no fixture files."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import Membership, Role, User
from vangnet.contacts.models import AskerType, Channel, Contact
from vangnet.regions.models import (
    Municipality,
    PartnerOrganisation,
    Postcode,
    Region,
    SocialMapEntry,
)

if TYPE_CHECKING:
    # Named as strings in the factories' base classes below (ruff does not see those as uses):
    # the core app does not import these apps at run time.
    from vangnet.chat.models import ContinuityCode, Conversation, Handover  # noqa: F401
    from vangnet.contacts.models import AdviceDossier, DossierPerson  # noqa: F401

DEFAULT_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105  (test accounts only)


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TR{n:02d}")
    name = factory.Sequence(lambda n: f"Testregio {n}")


def national_desk() -> Region:
    region, _ = Region.objects.get_or_create(
        is_national_desk=True, defaults={"code": "LANDELIJK", "name": "Landelijk loket"}
    )
    return region


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    region = factory.SubFactory(RegionFactory)


class PostcodeFactory(factory.django.DjangoModelFactory[Postcode]):
    class Meta:
        model = Postcode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory[PartnerOrganisation]):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerOrganisation.Kind.LOCAL_TEAM
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(DEFAULT_PASSWORD)


def make_user(*roles: Role | str, region: Region | None = None, **kwargs: Any) -> User:
    """A user holding each of `roles` in `region` (a new region when none is given)."""
    user = UserFactory.create(**kwargs)
    region = region or RegionFactory.create()
    for role in roles:
        Membership.objects.create(user=user, region=region, role=role)
    return user


def add_membership(user: User, role: Role | str, region: Region) -> Membership:
    if hasattr(user, "_policy_memberships"):
        del user._policy_memberships
    return Membership.objects.create(user=user, region=region, role=role)


def confirmed_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    region = factory.SubFactory(RegionFactory)
    channel = Channel.PHONE
    asker_type = AskerType.BYSTANDER
    summary = "Buurvrouw hoort al weken geschreeuw en gehuil bij de buren."
    received_at = factory.LazyFunction(timezone.now)


class ConversationFactory(factory.django.DjangoModelFactory["Conversation"]):
    """A visitor waiting in the chat queue of `region`."""

    class Meta:
        model = "chat.Conversation"

    region = factory.SubFactory(RegionFactory)
    home_region = factory.LazyAttribute(lambda o: o.region)
    nickname = factory.Iterator(["Sam", "Noor", "Jay", "Lotte", ""])
    age = factory.Iterator([14, 16, 34, 41, None])
    gender = ""
    postcode = "3511"


class SocialMapEntryFactory(factory.django.DjangoModelFactory[SocialMapEntry]):
    """A local team on the social map of `region`; `region=None` makes a national entry."""

    class Meta:
        model = SocialMapEntry

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    url = factory.Sequence(lambda n: f"https://www.gemeente{n}.nl/wijkteam")
    description = "Hulp en steun in je eigen wijk."
    kind = SocialMapEntry.Kind.LOCAL_TEAM
    region = factory.SubFactory(RegionFactory)


class AdviceDossierFactory(factory.django.DjangoModelFactory["AdviceDossier"]):
    class Meta:
        model = "contacts.AdviceDossier"

    region = factory.SubFactory(RegionFactory)


class DossierPersonFactory(factory.django.DjangoModelFactory["DossierPerson"]):
    class Meta:
        model = "contacts.DossierPerson"

    dossier = factory.SubFactory(AdviceDossierFactory, is_anonymous=False)
    name = factory.Faker("name", locale="nl_NL")
    relation = "child"


def helpline(region: Region | None = None) -> PartnerOrganisation:
    organisation, _ = PartnerOrganisation.objects.get_or_create(
        name="De Kindertelefoon",
        region=region or national_desk(),
        defaults={"kind": PartnerOrganisation.Kind.HELPLINE},
    )
    return organisation


class HandoverFactory(factory.django.DjangoModelFactory["Handover"]):
    """A phone handover requested by a helpline, waiting in `region`'s queue."""

    class Meta:
        model = "chat.Handover"

    organisation = factory.LazyFunction(helpline)
    channel = "phone"
    consent = True
    summary_by = "volunteer"
    volunteer_stays = False
    child_anonymous = True
    summary = "Jongen van 14, vader slaat hem. Wil anoniem blijven."
    region = factory.SubFactory(RegionFactory)


class ContinuityCodeFactory(factory.django.DjangoModelFactory["ContinuityCode"]):
    class Meta:
        model = "chat.ContinuityCode"

    region = factory.SubFactory(RegionFactory)
    dossier = factory.SubFactory(AdviceDossierFactory, region=factory.SelfAttribute("..region"))
    employee = factory.LazyAttribute(lambda o: UserFactory.create())
    digest = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
