# ruff: noqa: E501  (the matrix is a table: one request per line, one column per role)
"""The access matrix: for every URL of the project and every kind of visitor, what happens.

Deny by default is only true if it is tested for every door. This table lists each URL
pattern with the outcome for an anonymous visitor, someone who gave the password but not
yet the code, and each staff and partner role. `test_every_url_is_in_the_matrix` walks the
root URL resolver and fails when a pattern has no row here: a new view is not done until
its row is written.

Objects: `{own_*}` is a record in the region where the visitor has their role, `{other_*}`
one in another region, `{national_entry}` a national social-map entry (no region; kept by
the national desk), `{missing}` an id that does not exist. Every 403 must leave exactly
one REFUSED entry in the access log, and nothing else may leave one.

The visitors of one row take turns, in column order, in one world built for that row. Only
a successful action changes that world, and none changes what a later column may do.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from vangnet.accounts.models import Role, RoleGrantRequest, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat.models import ContinuityCode, Conversation, Handover
from vangnet.contacts.models import AdviceDossier, Contact, DossierPerson
from vangnet.meldcode import services as meldcode_services
from vangnet.meldcode.models import AdviceRequest, MeldcodeRecord, Reminder
from vangnet.regions.models import PartnerOrganisation, Region, SocialMapEntry
from vangnet.reports.models import Report
from vangnet.rights import services as rights_services
from vangnet.rights.models import SubjectRequest
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    AdviceDossierFactory,
    ContactFactory,
    ContinuityCodeFactory,
    ConversationFactory,
    DossierPersonFactory,
    HandoverFactory,
    PartnerOrganisationFactory,
    PostcodeFactory,
    RegionFactory,
    SocialMapEntryFactory,
    add_membership,
    confirmed_totp_device,
    helpline,
    make_user,
    national_desk,
)
from vangnet.testing.reports import a_report, transferred_report

# Outcomes. Numbers are status codes; redirects say where they go.
LI = "302 → login"
TF = "302 → two-factor"
RD = "302 → elsewhere (done, or sent on)"

ANONYMOUS = "anonymous"
UNVERIFIED = "unverified"  # password given, authenticator code not (yet)
PRINCIPALS = (
    ANONYMOUS,
    UNVERIFIED,
    Role.ADVICE_DESK,
    Role.TRIAGE,
    Role.BEHAVIOURAL_SCIENTIST,
    Role.INVESTIGATOR,
    Role.MONITORING,
    Role.TEAM_LEAD,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONAL_ADMIN,
    Role.HELPLINE_VOLUNTEER,
    Role.LOCAL_TEAM_MEMBER,
    Role.PROFESSIONAL,
)

# fmt: off
MATRIX: list[tuple[str, tuple[int | str, ...]]] = [
    # request                                                      anon unver  advice triage gw   invest monit lead  privacy admin volunt local prof
    # --- public pages --------------------------------------------------------------------------------------------------------------------------
    ("GET /",                                                     (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /",                                                    (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /healthz",                                              (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /healthz",                                             (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /robots.txt",                                           (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /exit/",                                               (204, 204,   204,  204,   204, 204,  204,  204,  204,    204,  204,   204,  204)),
    ("GET /exit/",                                                (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /i18n/setlang/",                                       (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("GET /i18n/setlang/",                                        (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    # --- logging in and out ----------------------------------------------------------------------------------------------------------------------
    ("GET /accounts/login/",                                      (200, 200,   RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("POST /accounts/login/",                                     (200, 200,   RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("PUT /accounts/login/",                                      (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /accounts/two-factor/",                                 (LI,  200,   RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("POST /accounts/two-factor/",                                (LI,  200,   RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("POST /accounts/logout/",                                    (LI,  LI,    LI,   LI,    LI,  LI,   LI,   LI,   LI,     LI,   LI,    LI,   LI)),
    ("GET /accounts/logout/",                                     (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /accounts/security/",                                   (LI,  TF,    200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /accounts/security/",                                  (LI,  TF,    LI,   LI,    LI,  LI,   LI,   LI,   LI,     LI,   LI,    LI,   LI)),
    ("PUT /accounts/security/",                                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- user management ------------------------------------------------------------------------------------------------------------------------
    ("GET /accounts/users/",                                      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("POST /accounts/users/",                                     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /accounts/users/new/",                                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("POST /accounts/users/new/",                                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("GET /accounts/users/{own_user}/",                           (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("GET /accounts/users/{other_user}/",                         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{missing}/",                            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    404,  403,   403,  403)),
    ("POST /accounts/users/{own_user}/",                          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /accounts/users/{own_user}/edit/",                      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("POST /accounts/users/{own_user}/edit/",                     (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/edit/",                   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/password/",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("POST /accounts/users/{own_user}/password/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    200,  403,   403,  403)),
    ("POST /accounts/users/{other_user}/password/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /accounts/users/{own_user}/roles/",                    (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/roles/",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/roles/",                     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/roles/{own_role}/remove/",  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/roles/{other_role}/remove/", (LI, TF,  403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/roles/{own_role}/remove/",   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/deactivate/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/deactivate/",             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/deactivate/",                (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/reactivate/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/reactivate/",             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/reactivate/",                (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/reset-two-factor/",         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/reset-two-factor/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/reset-two-factor/",          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/unlock/",                   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    RD,   403,   403,  403)),
    ("POST /accounts/users/{other_user}/unlock/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /accounts/users/{own_user}/unlock/",                    (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /accounts/users/{own_user}/role-requests/{own_grant}/approve/",     (LI, TF, 403, 403, 403, 403, 403, 403, 403, RD,  403, 403, 403)),
    ("POST /accounts/users/{other_user}/role-requests/{other_grant}/approve/", (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /accounts/users/{own_user}/role-requests/{own_grant}/approve/",      (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /accounts/users/{own_user}/role-requests/{own_grant}/reject/",      (LI, TF, 403, 403, 403, 403, 403, 403, 403, RD,  403, 403, 403)),
    ("POST /accounts/users/{other_user}/role-requests/{other_grant}/reject/",  (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /accounts/users/{own_user}/role-requests/{own_grant}/reject/",       (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # --- staff workspace ------------------------------------------------------------------------------------------------------------------------
    ("GET /staff/",                                               (LI,  TF,    200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /staff/",                                              (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/region/",                                       (LI,  TF,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("GET /staff/region/",                                        (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/contacts/",                                      (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/contacts/",                                     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/contacts/{own_contact}/",                        (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/{other_contact}/",                      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/{missing}/",                            (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /staff/contacts/{own_contact}/",                       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/contacts/{other_contact}/break-glass/",         (LI,  TF,    RD,   RD,    RD,  RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("GET /staff/contacts/{other_contact}/break-glass/",          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- public chat ----------------------------------------------------------------------------------------------------------------------------
    ("GET /chat/",                                                (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /chat/",                                               (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("PUT /chat/",                                                (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /chat/leave/",                                         (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("GET /chat/leave/",                                          (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /chat/feedback/",                                      (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("GET /chat/feedback/",                                       (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /chat/still-here/",                                    (204, 204,   204,  204,   204, 204,  204,  204,  204,    204,  204,   204,  204)),
    ("GET /chat/still-here/",                                     (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- staff chat -----------------------------------------------------------------------------------------------------------------------------
    ("GET /staff/chat/",                                          (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/",                                         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/queue/",                                    (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/queue/",                                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/availability/",                            (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("GET /staff/chat/availability/",                             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/desk/",                                     (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/desk/",                                    (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("PUT /staff/chat/desk/",                                     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/console/",                                  (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/console/",                                 (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/console/next/",                            (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("GET /staff/chat/console/next/",                             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/{own_chat}/transcript/",                    (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{other_chat}/transcript/",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{missing}/transcript/",                     (LI,  TF,    404,  403,   403, 403,  403,  404,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/{own_chat}/transcript/",                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/floor/",                                    (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/",                                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/floor/{own_chat}/look/",                   (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/{other_chat}/look/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/{missing}/look/",                    (LI,  TF,    403,  403,   403, 403,  403,  404,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/floor/{own_chat}/look/",                    (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/floor/{own_chat}/note/",                   (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/{other_chat}/note/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/floor/{own_chat}/note/",                    (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/floor/{own_chat}/take-over/",              (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/{other_chat}/take-over/",            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/floor/{own_chat}/take-over/",               (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/floor/employees/{own_user}/return/",       (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/employees/{other_user}/return/",     (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/floor/employees/{own_user}/return/",        (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/floor/employees/{own_user}/capacity/",     (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/floor/employees/{other_user}/capacity/",   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/floor/employees/{own_user}/capacity/",      (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/standard-texts/",                           (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    200,  403,   403,  403)),
    ("POST /staff/chat/standard-texts/",                          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/standard-texts/new/",                       (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    200,  403,   403,  403)),
    ("POST /staff/chat/standard-texts/new/",                      (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    RD,   403,   403,  403)),
    ("PUT /staff/chat/standard-texts/new/",                       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/standard-texts/{missing}/edit/",            (LI,  TF,    403,  403,   403, 403,  403,  404,  403,    404,  403,   403,  403)),
    ("PUT /staff/chat/standard-texts/{missing}/edit/",            (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/{own_chat}/",                               (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{other_chat}/",                             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{missing}/",                                (LI,  TF,    404,  403,   403, 403,  403,  404,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/{own_chat}/",                              (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/{own_chat}/accept/",                       (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/{other_chat}/accept/",                     (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{own_chat}/accept/",                        (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/{own_chat}/resource/",                     (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/{other_chat}/resource/",                   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{own_chat}/resource/",                      (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/{own_chat}/forward/",                      (LI,  TF,    400,  403,   403, 403,  403,  400,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/{other_chat}/forward/",                    (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{own_chat}/forward/",                       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/{own_chat}/close/",                        (LI,  TF,    400,  403,   403, 403,  403,  400,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/{other_chat}/close/",                      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{own_chat}/close/",                         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/{own_chat}/code/",                         (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/{other_chat}/code/",                       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/{own_chat}/code/",                          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/chat/handovers/{own_handover}/",                 (LI,  TF,    200,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/handovers/{other_handover}/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/handovers/{missing}/",                      (LI,  TF,    404,  403,   403, 403,  403,  404,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/handovers/{own_handover}/",                (LI,  TF,    400,  403,   403, 403,  403,  400,  403,    403,  403,   403,  403)),
    ("PUT /staff/chat/handovers/{own_handover}/",                 (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/handovers/{own_handover}/accept/",         (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/handovers/{other_handover}/accept/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/handovers/{own_handover}/accept/",          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/chat/codes/{own_code}/revoke/",                 (LI,  TF,    RD,   403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/chat/codes/{other_code}/revoke/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/chat/codes/{missing}/revoke/",                  (LI,  TF,    404,  403,   403, 403,  403,  404,  403,    403,  403,   403,  403)),
    ("GET /staff/chat/codes/{own_code}/revoke/",                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- advice dossiers -----------------------------------------------------------------------------------------------------------------------
    ("GET /staff/contacts/dossiers/{own_dossier}/",               (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{other_dossier}/",             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{missing}/",                   (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /staff/contacts/dossiers/{own_dossier}/",              (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/contacts/new/",                                  (LI,  TF,    200,  200,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/new/?dossier={own_dossier}",            (LI,  TF,    200,  200,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/contacts/new/",                                 (LI,  TF,    RD,   RD,    403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("PUT /staff/contacts/new/",                                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/contacts/search/",                               (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/contacts/search/",                              (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("PUT /staff/contacts/search/",                               (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/contacts/dossiers/{own_dossier}/persons/",      (LI,  TF,    RD,   RD,    403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/contacts/dossiers/{other_dossier}/persons/",    (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{own_dossier}/persons/",       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # The first who may removes the person; after that the person is gone for the others.
    ("POST /staff/contacts/dossiers/{named_dossier}/persons/{own_person}/remove/", (LI, TF, RD, 404, 403, 403, 403, 404, 403, 403, 403, 403, 403)),
    ("POST /staff/contacts/dossiers/{other_dossier}/persons/{other_person}/remove/", (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /staff/contacts/dossiers/{named_dossier}/persons/{own_person}/remove/", (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /staff/contacts/dossiers/{own_dossier}/close/",        (LI,  TF,    RD,   RD,    403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/contacts/dossiers/{other_dossier}/close/",      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{own_dossier}/close/",         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/contacts/dossiers/{closed_dossier}/reopen/",    (LI,  TF,    RD,   RD,    403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/contacts/dossiers/{other_dossier}/reopen/",     (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{own_dossier}/reopen/",        (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/contacts/dossiers/{own_dossier}/owner/",        (LI,  TF,    RD,   RD,    403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/contacts/dossiers/{other_dossier}/owner/",      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/contacts/dossiers/{own_dossier}/owner/",         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- partner workspace: warm handovers ------------------------------------------------------------------------------------------------------
    ("GET /partner/handovers/",                                   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  200,   403,  403)),
    ("POST /partner/handovers/",                                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /partner/handovers/new/",                               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  200,   403,  403)),
    ("POST /partner/handovers/new/",                              (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  RD,    403,  403)),
    ("PUT /partner/handovers/new/",                               (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /partner/handovers/{own_handover}/",                    (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /partner/handovers/{missing}/",                         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  404,   403,  403)),
    ("POST /partner/handovers/{own_handover}/",                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /partner/handovers/{own_handover}/leave/",             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /partner/handovers/{own_handover}/leave/",              (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /partner/handovers/{own_handover}/cancel/",            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /partner/handovers/{own_handover}/cancel/",             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- social map ---------------------------------------------------------------------------------------------------------------------------
    ("GET /staff/social-map/",                                    (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    200,  403,   403,  403)),
    ("POST /staff/social-map/",                                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/social-map/new/",                                (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    200,  403,   403,  403)),
    ("POST /staff/social-map/new/",                               (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    RD,   403,   403,  403)),
    ("PUT /staff/social-map/new/",                                (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/social-map/{own_entry}/edit/",                   (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    200,  403,   403,  403)),
    ("GET /staff/social-map/{other_entry}/edit/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/social-map/{national_entry}/edit/",              (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/social-map/{missing}/edit/",                     (LI,  TF,    403,  403,   403, 403,  403,  404,  403,    404,  403,   403,  403)),
    ("POST /staff/social-map/{own_entry}/edit/",                  (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    RD,   403,   403,  403)),
    ("POST /staff/social-map/{other_entry}/edit/",                (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/social-map/{national_entry}/edit/",             (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("PUT /staff/social-map/{own_entry}/edit/",                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/social-map/{own_entry}/deactivate/",            (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    RD,   403,   403,  403)),
    ("POST /staff/social-map/{other_entry}/deactivate/",          (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/social-map/{national_entry}/deactivate/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/social-map/{missing}/deactivate/",              (LI,  TF,    403,  403,   403, 403,  403,  404,  403,    404,  403,   403,  403)),
    ("GET /staff/social-map/{own_entry}/deactivate/",             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/social-map/{own_entry}/reactivate/",            (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    RD,   403,   403,  403)),
    ("POST /staff/social-map/{other_entry}/reactivate/",          (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/social-map/{national_entry}/reactivate/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/social-map/{missing}/reactivate/",              (LI,  TF,    403,  403,   403, 403,  403,  404,  403,    404,  403,   403,  403)),
    ("GET /staff/social-map/{own_entry}/reactivate/",             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/access-log/",                                    (LI,  TF,    403,  403,   403, 403,  403,  403,  200,    403,  403,   403,  403)),
    ("POST /staff/access-log/",                                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- partner workspace: meldcode assistant (the contact person has its own matrix in meldcode/tests) ---------------------------------------
    ("GET /partner/meldcode/",                                      (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    ("POST /partner/meldcode/",                                     (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/new/",                                  (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    ("POST /partner/meldcode/new/",                                 (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/new/",                                  (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/",                         (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /partner/meldcode/{missing}/",                            (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404)),
    ("POST /partner/meldcode/{own_record}/",                        (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/signals/",                 (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/signals/",                (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/signals/",                 (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/consultation/",            (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/consultation/",           (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/consultation/",            (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/advice/",                  (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/advice/",                 (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/advice/",                  (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/conversation/",            (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/conversation/",           (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/conversation/",            (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/weighing/",                (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/weighing/",               (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/weighing/",                (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/decision/",                (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/decision/",               (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/decision/",                (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/report/",                  (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/report/",                 (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("PUT /partner/meldcode/{own_record}/report/",                  (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{missing}/signals/",                    (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404)),
    ("POST /partner/meldcode/{own_record}/report/online/",          (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /partner/meldcode/{own_record}/report/online/",           (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /partner/meldcode/{own_record}/reminders/",              (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /partner/meldcode/{own_record}/reminders/",               (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /partner/meldcode/{own_record}/pdf/",                     (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/{own_record}/pdf/",                    (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /partner/meldcode/reminders/{own_reminder}/dismiss/",    (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("POST /partner/meldcode/reminders/{missing}/dismiss/",         (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404)),
    ("GET /partner/meldcode/reminders/{own_reminder}/dismiss/",     (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # --- staff: call-back requests from the meldcode assistant -------------------------------------------------------------------------------
    ("GET /staff/advice-requests/",                                 (LI, TF, 200, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)),
    ("POST /staff/advice-requests/",                                (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("GET /staff/advice-requests/{own_advice_request}/",            (LI, TF, 200, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)),
    ("GET /staff/advice-requests/{other_advice_request}/",          (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /staff/advice-requests/{missing}/",                       (LI, TF, 404, 403, 403, 403, 403, 404, 403, 403, 403, 403, 403)),
    ("POST /staff/advice-requests/{own_advice_request}/",           (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /staff/advice-requests/{own_advice_request}/take/",      (LI, TF, RD, 403, 403, 403, 403, RD, 403, 403, 403, 403, 403)),
    ("POST /staff/advice-requests/{other_advice_request}/take/",    (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /staff/advice-requests/{own_advice_request}/take/",       (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("POST /staff/advice-requests/{own_advice_request}/done/",      (LI, TF, 400, 403, 403, 403, 403, 400, 403, 403, 403, 403, 403)),
    ("POST /staff/advice-requests/{other_advice_request}/done/",    (LI, TF, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403)),
    ("GET /staff/advice-requests/{own_advice_request}/done/",       (LI, TF, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # --- API (decides per endpoint; these are public) --------------------------------------------------------------------------------------------
    ("POST /api/v1/handovers/",                                   (401, 401,   401,  401,   401, 401,  401,  401,  401,    401,  401,   401,  401)),
    ("GET /api/v1/handovers/",                                    (401, 401,   401,  401,   401, 401,  401,  401,  401,    401,  401,   401,  401)),  # no key, no answer
    ("GET /api/v1/handovers/{own_handover}",                      (401, 401,   401,  401,   401, 401,  401,  401,  401,    401,  401,   401,  401)),
    ("GET /api/v1/openapi.json",                                  (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("GET /api/v1/regions/",                                      (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /api/v1/regions/",                                     (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /api/v1/regions/route?postcode={postcode}",             (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /api/v1/regions/route",                                (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /api/v1/regions/{own_region_code}/municipalities",      (200, 200,   200,  200,   200, 200,  200,  200,  200,    200,  200,   200,  200)),
    ("POST /api/v1/regions/{own_region_code}/municipalities",     (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- reports (meldingen) ---------------------------------------------------------------------------------------------------------------------
    ("GET /staff/reports/",                                       (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/",                                      (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/reports/new/",                                   (LI,  TF,    200,  200,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/new/",                                  (LI,  TF,    200,  200,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/deadlines/",                             (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/deadlines/",                            (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- insights: figures of the own region for its team lead, nobody else's -------------------------------------------------------
    ("GET /staff/insights/",                                      (LI,  TF,    403,  403,   403, 403,  403,  RD,   403,    403,  403,   403,  403)),
    ("POST /staff/insights/",                                     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/insights/{own_region_code}/",                    (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/insights/{own_region_code}/",                   (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/insights/{other_region_code}/",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/landelijk/",                            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{own_region_code}/csv/chat/",           (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{other_region_code}/csv/chat/",         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{own_region_code}/bezetting/",          (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{other_region_code}/bezetting/",        (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{own_region_code}/statistiek/",         (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/insights/{other_region_code}/statistiek/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    # --- retention: what goes soon in the own region, for its team lead (ADR 0031) -----------------------------------------------------------
    ("GET /staff/rights/retention/",                              (LI,  TF,    403,  403,   403, 403,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/rights/retention/",                             (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # The privacy officer may put a hold too (PLACE_LEGAL_HOLD), though the page is the team lead's.
    ("POST /staff/rights/retention/hold/",                        (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("POST /staff/rights/retention/hold/?other",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/retention/hold/",                         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # --- requests of the people involved: the region's privacy officer and team lead (ADR 0032) ----------------------------------------------
    # Legal holds on every kind (ADR 0032): the team lead and the privacy officer of the region;
    # a meldcode record only by its organisation's contact person (no column here).
    ("GET /staff/rights/holds/dossier/{own_dossier}/",            (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/holds/dossier/{own_dossier}/",           (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("GET /staff/rights/holds/dossier/{other_dossier}/",          (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/holds/contact/{own_contact}/",            (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/holds/contact/{other_contact}/",         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/holds/chat/{own_chat}/",                  (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/holds/chat/{own_chat}/",                 (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("GET /staff/rights/holds/meldcode/{own_record}/",            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/holds/report/{own_dossier}/",             (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/rights/holds/dossier/{missing}/",                (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("PUT /staff/rights/holds/dossier/{own_dossier}/",            (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # An organisation's meldcode term: its contact person only (no column here).
    ("GET /staff/rights/meldcode-retention/",                     (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/rights/meldcode-retention/",                    (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/requests/",                               (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/requests/",                              (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("GET /staff/rights/requests/new/{own_report}/",              (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/requests/new/{own_report}/",             (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("GET /staff/rights/requests/new/{other_report}/",            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/requests/new/{missing}/",                 (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/rights/requests/new/dossier/{named_dossier}/",   (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("POST /staff/rights/requests/new/dossier/{named_dossier}/",  (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("GET /staff/rights/requests/new/dossier/{other_dossier}/",   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/requests/new/dossier/{missing}/",         (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/rights/requests/{own_request}/",                 (LI,  TF,    403,  403,   403, 403,  403,  200,  200,    403,  403,   403,  403)),
    ("GET /staff/rights/requests/{other_request}/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/rights/requests/{missing}/",                     (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /staff/rights/requests/{own_request}/review/",         (LI,  TF,    403,  403,   403, 403,  403,  RD,   RD,     403,  403,   403,  403)),
    ("POST /staff/rights/requests/{other_request}/review/",       (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/rights/requests/{own_request}/no_such_action/", (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/rights/requests/{own_request}/review/",          (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/rights/requests/{own_request}/copy.pdf",         (LI,  TF,    403,  403,   403, 403,  403,  404,  404,    403,  403,   403,  403)),
    ("POST /staff/rights/requests/{own_request}/copy.pdf",        (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/reports/{own_report}/",                          (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{other_report}/",                        (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{missing}/",                             (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /staff/reports/{own_report}/",                         (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/reporter/",                (LI,  TF,    403,  200,   403, 200,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/reporter/",              (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/reporter/",                 (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/steps/record_safety_assessment/", (LI, TF, 403, RD,  403, RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{own_report}/steps/approve_triage/",    (LI,  TF,    403,  403,   RD,  403,  403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/steps/record_safety_assessment/", (LI, TF, 403, 403, 403, 403, 403,  403,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/{own_report}/steps/no_such_step/",      (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/reports/{own_report}/steps/close_report/",       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/owner/",                   (LI,  TF,    403,  RD,    403, RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/owner/",                 (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/owner/",                    (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/journal/",                 (LI,  TF,    403,  RD,    403, RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/journal/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/journal/",                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/persons/",                 (LI,  TF,    403,  RD,    403, RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/persons/",               (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/persons/",                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("POST /staff/reports/{own_report}/legal-hold/",              (LI,  TF,    403,  RD,    403, RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/legal-hold/",            (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/legal-hold/",               (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # break-the-glass: whoever reads reports in their own region may read one elsewhere for an hour (ADR 0032)
    ("POST /staff/reports/{other_report}/break-glass/",           (LI,  TF,    RD,   RD,    RD,  RD,   RD,   RD,   403,    403,  403,   403,  403)),
    ("POST /staff/reports/{missing}/break-glass/",                (LI,  TF,    404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("GET /staff/reports/{other_report}/break-glass/",            (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    # a new status link for a reporter who identified themselves: those who may see the reporter
    ("POST /staff/reports/{own_report}/status-link/",             (LI,  TF,    403,  200,   403, 200,  403,  200,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/{other_report}/status-link/",           (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/status-link/",              (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /staff/reports/{transferred_report}/transfer.pdf",      (LI,  TF,    200,  200,   200, 200,  200,  200,  403,    403,  403,   403,  403)),
    ("GET /staff/reports/{own_report}/transfer.pdf",              (LI,  TF,    404,  404,   404, 404,  404,  404,  403,    403,  403,   403,  403)),
    ("POST /staff/reports/{transferred_report}/transfer.pdf",     (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /partner/transfers/",                                   (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   200,  403)),
    ("POST /partner/transfers/",                                  (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /partner/transfers/{transferred_report}/",              (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   200,  403)),
    ("GET /partner/transfers/{other_transfer}/",                  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /partner/transfers/{missing}/",                         (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   404,  403)),
    ("GET /partner/transfers/{transferred_report}/document.pdf",  (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   200,  403)),
    ("POST /partner/transfers/{transferred_report}/accept/",      (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   RD,   403)),
    ("POST /partner/transfers/{other_transfer}/accept/",          (LI,  TF,    403,  403,   403, 403,  403,  403,  403,    403,  403,   403,  403)),
    ("GET /partner/transfers/{transferred_report}/accept/",       (LI,  TF,    405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /melding/{own_report_reference}/{status_token}/",       (RD,  RD,    RD,   RD,    RD,  RD,   RD,   RD,   RD,     RD,   RD,    RD,   RD)),
    ("GET /melding/{own_report_reference}/",                      (404, 404,   404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /melding/{own_report_reference}/",                     (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /melding/{own_report_reference}/not-the-secret/",       (404, 404,   404,  404,   404, 404,  404,  404,  404,    404,  404,   404,  404)),
    ("POST /melding/{own_report_reference}/{status_token}/",      (405, 405,   405,  405,   405, 405,  405,  405,  405,    405,  405,   405,  405)),
    ("GET /api/v1/transfers/",                                    (401, 401,   401,  401,   401, 401,  401,  401,  401,    401,  401,   401,  401)),
    ("POST /api/v1/transfers/{transferred_report}/accept",        (401, 401,   401,  401,   401, 401,  401,  401,  401,    401,  401,   401,  401)),
]
# fmt: on

BREAK_GLASS_REASON = "Politie belt over acute situatie; het gezin is net verhuisd naar onze regio"
STRONG_PASSWORD = "Zonnebloem-Kastanje-8472"

# What a form-posting request sends. Values may name objects of the world, like paths do.
BODIES: dict[str, dict[str, object]] = {
    "POST /i18n/setlang/": {"language": "nl", "next": "/"},
    "POST /accounts/login/": {"username": "niemand", "password": "geen-wachtwoord"},
    "POST /accounts/two-factor/": {"token": "12345a"},
    "POST /accounts/users/new/": {
        "username": "nieuwe-collega",
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": "nieuw@veiligthuis.example",
        "region": "{own_region}",
        "roles": [Role.ADVICE_DESK],
        "password_mode": "type",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    },
    "POST /accounts/users/{own_user}/edit/": {
        "first_name": "Tim",
        "last_name": "Jansen",
        "email": "tim@veiligthuis.example",
    },
    "POST /accounts/users/{other_user}/edit/": {
        "first_name": "Anouk",
        "last_name": "Meijer",
        "email": "anouk@veiligthuis.example",
    },
    "POST /accounts/users/{own_user}/password/": {"password_mode": "generate"},
    "POST /accounts/users/{other_user}/password/": {"password_mode": "generate"},
    "POST /accounts/users/{own_user}/roles/": {"region": "{own_region}", "role": Role.TEAM_LEAD},
    "POST /accounts/users/{other_user}/roles/": {"region": "{own_region}", "role": Role.TEAM_LEAD},
    "POST /staff/region/": {"region": "{own_region}"},
    "POST /staff/contacts/{other_contact}/break-glass/": {"reason": BREAK_GLASS_REASON},
    "POST /staff/contacts/new/": {
        "channel": "phone",
        "asker_type": "bystander",
        "is_anonymous": "on",
        "forms_of_violence": ["neglect"],
        "question": "Buurvrouw maakt zich zorgen om de kinderen naast haar.",
        "advice_given": "Uitgelegd welke signalen er zijn en hoe zij kan melden.",
        "received_at": "{now}",
    },
    "POST /staff/contacts/search/": {"reference": "AD-2026-000000"},
    "POST /staff/contacts/dossiers/{own_dossier}/persons/": {"relation": "child", "name": "Sem"},
    "POST /staff/contacts/dossiers/{other_dossier}/persons/": {"relation": "child", "name": "Sem"},
    "POST /staff/contacts/dossiers/{closed_dossier}/reopen/": {"reason": "Moeder belt opnieuw"},
    "POST /staff/contacts/dossiers/{other_dossier}/reopen/": {"reason": "Moeder belt opnieuw"},
    "POST /staff/contacts/dossiers/{own_dossier}/owner/": {"owner": "{own_user}"},
    "POST /staff/contacts/dossiers/{other_dossier}/owner/": {"owner": "{other_user}"},
    "POST /staff/social-map/new/": {
        "name": "Wijkteam van {principal}",  # each visitor adds their own
        "kind": "local_team",
        "url": "https://www.eigenstad.nl/wijkteam",
        "description": "Hulp dichtbij, in je eigen wijk.",
        "region": "{own_region}",
    },
    "POST /staff/social-map/{own_entry}/edit/": {
        "name": "Wijkteam Eigen stad",
        "kind": "local_team",
        "url": "https://www.eigenstad.nl/wijkteam",
        "description": "Hulp dichtbij.",
        "region": "{own_region}",
    },
    "POST /staff/social-map/{other_entry}/edit/": {
        "name": "Wijkteam Andere stad",
        "kind": "local_team",
        "url": "https://www.anderestad.nl/wijkteam",
        "region": "{own_region}",
    },
    "POST /staff/social-map/{national_entry}/edit/": {
        "name": "Landelijke hulplijn",
        "kind": "helpline",
        "url": "https://www.hulplijn.example",
        "region": "",
    },
    "POST /staff/chat/floor/{own_chat}/look/": {"reason": "Ter ondersteuning van de collega"},
    "POST /staff/chat/floor/{own_chat}/note/": {"note": "Let op de veiligheid thuis."},
    "POST /staff/chat/floor/employees/{own_user}/capacity/": {"capacity": "3"},
    "POST /staff/chat/standard-texts/new/": {
        "title": "Welkom van {principal}",
        "body": "Fijn dat je er bent.",
        "region": "{own_region}",
        "is_active": "on",
    },
    "POST /partner/handovers/new/": {
        "channel": "phone",
        "consent": "on",
        "summary_by": "volunteer",
        "volunteer_stays": "0",
        "child_anonymous": "1",
        "summary": "Jongen van 14, vader slaat hem.",
    },
    "POST /chat/": {"nickname": "Sam", "age": "15", "postcode": "{postcode}"},
    "POST /partner/meldcode/new/": {
        "sector": "education",
        "pseudonym": "Leerling groep 5",
        "concern": "Blauwe plekken.",
    },
    "POST /staff/reports/new/": {
        "channel": "phone",
        "reporter_is_professional": "on",
        "reporter_name": "Juf Annemiek",
        "reporter_organisation": "Basisschool De Regenboog",
        "reporter_sector": "education",
        "reporter_phone": "030-1234567",
        "forms_of_violence": ["neglect"],
        "concerns": "Kind komt zonder eten en in vieze kleren naar school.",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "12",
        "persons-0-role": "child",
        "persons-0-name": "Noor",
    },
    "POST /staff/reports/{own_report}/reporter/": {"reason": "Melder terugbellen"},
    "POST /staff/reports/{own_report}/owner/": {"owner": "{own_report_owner}"},
    "POST /staff/reports/{other_report}/owner/": {"owner": "{own_report_owner}"},
    "POST /staff/reports/{own_report}/journal/": {"text": "Moeder gebeld; afspraak gemaakt."},
    "POST /staff/reports/{other_report}/journal/": {"text": "Moeder gebeld."},
    "POST /staff/reports/{own_report}/persons/": {"role": "child", "name": "Zus van Sem"},
    "POST /staff/reports/{other_report}/persons/": {"role": "child", "name": "Zus"},
    "POST /staff/reports/{own_report}/legal-hold/": {"legal_hold": "on", "reason": "OTS loopt"},
    "POST /staff/reports/{other_report}/break-glass/": {"reason": BREAK_GLASS_REASON},
    "POST /staff/rights/retention/hold/": {
        "kind": "dossier",
        "object_id": "{own_dossier}",
        "reason": "Rechtszaak loopt",
    },
    "POST /staff/rights/retention/hold/?other": {
        "kind": "dossier",
        "object_id": "{other_dossier}",
        "reason": "Rechtszaak",
    },
    "POST /staff/rights/requests/": {"reference": "{own_report_reference}"},
    "POST /staff/rights/requests/new/dossier/{named_dossier}/": {
        "kind": "copy",
        "person": "{own_person}",
        "requester": "parent",
        "requester_name": "Mirjam Jansen",
        "received_on": "{today}",
    },
    "POST /staff/rights/holds/dossier/{own_dossier}/": {"reason": "Rechtszaak loopt"},
    "POST /staff/rights/holds/contact/{other_contact}/": {"reason": "Rechtszaak"},
    "POST /staff/rights/holds/chat/{own_chat}/": {"reason": "Rechtszaak loopt"},
    "POST /staff/rights/meldcode-retention/": {"years": "15"},
    "POST /staff/rights/requests/new/{own_report}/": {
        "kind": "copy",
        "person": "{own_child}",
        "requester": "parent",
        "requester_name": "Mirjam Jansen",
        "received_on": "{today}",
    },
    "POST /staff/reports/{missing}/break-glass/": {"reason": BREAK_GLASS_REASON},
    "POST /staff/reports/{own_report}/status-link/": {
        "identified_how": "Teruggebeld op bekend nummer"
    },
    "POST /staff/reports/{other_report}/status-link/": {"identified_how": "Teruggebeld"},
    "POST /staff/reports/{other_report}/legal-hold/": {"legal_hold": "on", "reason": "OTS"},
    "POST /staff/reports/{other_report}/reporter/": {"reason": "Melder terugbellen"},
    "POST /staff/reports/{own_report}/steps/record_safety_assessment/": {
        "structural_unsafety": "on",
        "assessment": "Structurele zorgen over verwaarlozing.",
    },
    "POST /staff/reports/{other_report}/steps/record_safety_assessment/": {
        "structural_unsafety": "on",
        "assessment": "Structurele zorgen over verwaarlozing.",
    },
    "POST /staff/chat/availability/": {"available": "1"},
    "POST /staff/chat/desk/": {
        "is_open": "on",
        "overflow_to_national_desk": "on",
        "overflow_after_seconds": "120",
    },
}

MISSING_ID = 987654321


@dataclass
class World:
    own_region: Region
    other_region: Region
    own_contact: Contact
    other_contact: Contact
    own_chat: Conversation
    own_dossier: AdviceDossier
    other_dossier: AdviceDossier
    named_dossier: AdviceDossier
    closed_dossier: AdviceDossier
    own_person: DossierPerson
    other_person: DossierPerson
    own_handover: Handover
    own_code: ContinuityCode
    other_code: ContinuityCode
    other_handover: Handover
    own_entry: SocialMapEntry
    other_entry: SocialMapEntry
    national_entry: SocialMapEntry
    other_chat: Conversation
    own_user: User  # a colleague in the visitor's region, with two roles
    other_user: User  # someone who works only in the other region
    own_grant: RoleGrantRequest  # team lead for own_user, asked by another admin of the region
    other_grant: RoleGrantRequest  # the same in the other region, for other_user
    postcode: str
    own_team: PartnerOrganisation  # the local team a LOCAL_TEAM_MEMBER visitor belongs to
    reports: ReportWorld | None  # built only for the rows about reports (it is slow to build)
    meldcode: MeldcodeWorld | None  # built only for the rows about the meldcode assistant

    def names(self) -> dict[str, object]:
        return {
            "own_region": self.own_region.pk,
            "own_region_code": self.own_region.code,
            "other_region_code": self.other_region.code,
            "other_region": self.other_region.pk,
            "own_contact": self.own_contact.pk,
            "own_chat": self.own_chat.pk,
            "own_dossier": self.own_dossier.pk,
            "other_dossier": self.other_dossier.pk,
            "named_dossier": self.named_dossier.pk,
            "closed_dossier": self.closed_dossier.pk,
            "own_person": self.own_person.pk,
            "other_person": self.other_person.pk,
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "today": timezone.localdate().isoformat(),
            "own_handover": self.own_handover.pk,
            "own_code": self.own_code.pk,
            "other_code": self.other_code.pk,
            "other_handover": self.other_handover.pk,
            "own_entry": self.own_entry.pk,
            "other_entry": self.other_entry.pk,
            "national_entry": self.national_entry.pk,
            "other_chat": self.other_chat.pk,
            "other_contact": self.other_contact.pk,
            "own_user": self.own_user.pk,
            "other_user": self.other_user.pk,
            "own_role": self.own_user.memberships.get(role=Role.TRIAGE).pk,
            "other_role": self.other_user.memberships.get().pk,
            "own_grant": self.own_grant.pk,
            "other_grant": self.other_grant.pk,
            "missing": MISSING_ID,
            "postcode": self.postcode,
            **(self.reports.names() if self.reports is not None else {}),
            **(self.meldcode.names() if self.meldcode is not None else {}),
        }


@dataclass
class ReportWorld:
    own_report: Report
    other_report: Report
    transferred_report: Report  # transferred to own_team, waiting for acceptance
    other_transfer: Report  # transferred to another team of the region
    status_token: str  # the secret of own_report's status link for the reporter
    own_request: SubjectRequest  # a parent's request to inspect own_report (open)
    other_request: SubjectRequest  # the same for other_report

    def names(self) -> dict[str, object]:
        return {
            "own_request": self.own_request.pk,
            "other_request": self.other_request.pk,
            "own_child": self.own_report.persons.get(role="child").pk,
            "own_report": self.own_report.pk,
            "own_report_reference": self.own_report.reference,
            "own_report_owner": self.own_report.owner_id,
            "other_report": self.other_report.pk,
            "transferred_report": self.transferred_report.pk,
            "other_transfer": self.other_transfer.pk,
            "status_token": self.status_token,
        }


@dataclass
class MeldcodeWorld:
    own_record: MeldcodeRecord  # a colleague professional's, at a school of the own region
    own_reminder: Reminder
    own_advice_request: AdviceRequest
    other_advice_request: AdviceRequest

    def names(self) -> dict[str, object]:
        return {
            "own_record": self.own_record.pk,
            "own_reminder": self.own_reminder.pk,
            "own_advice_request": self.own_advice_request.pk,
            "other_advice_request": self.other_advice_request.pk,
        }


MELDCODE_PATHS = ("/partner/meldcode/", "/staff/advice-requests/", "/staff/rights/holds/meldcode")
REPORT_PATHS = (
    "/staff/reports/",
    "/partner/transfers/",
    "/melding/",
    "/api/v1/transfers",
    "/staff/rights/requests",
)


def _inspection(report: Report) -> SubjectRequest:
    officer = make_user(Role.PRIVACY_OFFICER, region=report.region)
    return rights_services.register_request(
        report=report,
        by=officer,
        new=rights_services.NewRequest(
            kind="inspection",
            person=report.persons.get(role="child"),
            requester="parent",
            requester_name="Mirjam Jansen",
            received_on=timezone.localdate(),
        ),
    )


def build_report_world(own: Region, other: Region, own_team: PartnerOrganisation) -> ReportWorld:
    received = a_report(own)
    other_report = a_report(other).report
    return ReportWorld(
        own_request=_inspection(received.report),
        other_request=_inspection(other_report),
        own_report=received.report,
        other_report=other_report,
        transferred_report=transferred_report(own, own_team),
        other_transfer=transferred_report(
            own, PartnerOrganisationFactory.create(region=own, name="Wijkteam Andere wijk")
        ),
        status_token=urlsplit(received.status_url).path.rstrip("/").rsplit("/", 1)[1],
    )


def build_world(*, with_reports: bool = False, with_meldcode: bool = False) -> World:
    own, other = RegionFactory.create(name="Eigen regio"), RegionFactory.create(name="Andere regio")
    national_desk()
    colleague = make_user(Role.ADVICE_DESK, region=own, username="tim")
    add_membership(colleague, Role.TRIAGE, own)
    own_person = DossierPersonFactory.create(dossier__region=own)
    own_team = PartnerOrganisationFactory.create(region=own, name="Wijkteam Eigen stad")
    other_user = make_user(Role.ADVICE_DESK, region=other, username="anouk")
    return World(
        own_region=own,
        other_region=other,
        own_contact=ContactFactory.create(region=own),
        other_contact=ContactFactory.create(region=other),
        own_chat=ConversationFactory.create(region=own),
        own_dossier=AdviceDossierFactory.create(region=own),
        other_dossier=AdviceDossierFactory.create(region=other),
        named_dossier=own_person.dossier,
        closed_dossier=AdviceDossierFactory.create(region=own, closed_at=timezone.now()),
        own_person=own_person,
        other_person=DossierPersonFactory.create(dossier__region=other),
        own_handover=HandoverFactory.create(region=own),
        own_code=ContinuityCodeFactory.create(region=own),
        other_code=ContinuityCodeFactory.create(region=other),
        other_handover=HandoverFactory.create(region=other),
        own_entry=SocialMapEntryFactory.create(region=own),
        other_entry=SocialMapEntryFactory.create(region=other),
        national_entry=SocialMapEntryFactory.create(region=None),
        other_chat=ConversationFactory.create(region=other),
        own_user=colleague,
        other_user=other_user,
        own_grant=RoleGrantRequest.objects.create(
            user=colleague,
            region=own,
            role=Role.TEAM_LEAD,
            requested_by=make_user(Role.FUNCTIONAL_ADMIN, region=own, username="greet"),
        ),
        other_grant=RoleGrantRequest.objects.create(
            user=other_user,
            region=other,
            role=Role.TEAM_LEAD,
            requested_by=make_user(Role.FUNCTIONAL_ADMIN, region=other, username="gert"),
        ),
        postcode=str(PostcodeFactory.create(municipality__region=own).code),
        own_team=own_team,
        reports=build_report_world(own, other, own_team) if with_reports else None,
        meldcode=build_meldcode_world(own, other) if with_meldcode else None,
    )


def build_meldcode_world(own: Region, other: Region) -> MeldcodeWorld:
    from vangnet.meldcode.tests.factories import open_record, school

    own_school, other_school = school(region=own), school(region=other)
    record = open_record(own_school.teacher)
    other_record = open_record(other_school.teacher)
    return MeldcodeWorld(
        own_record=record,
        own_reminder=Reminder.objects.create(
            record=record, professional=own_school.teacher, due_on=record.opened_at.date()
        ),
        own_advice_request=meldcode_services.request_advice(
            record=record, by=own_school.teacher, summary="Blauwe plekken.", callback_phone="06"
        ),
        other_advice_request=meldcode_services.request_advice(
            record=other_record, by=other_school.teacher, summary="Zorg.", callback_phone="06"
        ),
    )


def visitor(principal: str, world: World, client: Client) -> User | None:
    """Make the client a fresh browser of this kind of visitor."""
    client.cookies.clear()
    if principal == ANONYMOUS:
        return None
    if principal == UNVERIFIED:
        # Holds powerful roles, to show that without the code none of them counts.
        user = make_user(
            Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER, Role.ADVICE_DESK, region=world.own_region
        )
        confirmed_totp_device(user)
        response = client.post(
            "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
        )
        assert response["Location"] == "/accounts/two-factor/"
        return user
    # A volunteer belongs to a helpline, as in real life (the handover pages need it).
    extra: dict[str, object] = (
        {"organisation": helpline()} if principal == Role.HELPLINE_VOLUNTEER else {}
    )
    if principal == Role.LOCAL_TEAM_MEMBER:
        extra = {"organisation": world.own_team}  # a team member belongs to a local team
    user = make_user(principal, region=world.own_region, **extra)
    login_verified(client, user)
    return user


def outcome(response) -> int | str:
    if response.status_code in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target == "/accounts/login/":
            return LI
        if target == "/accounts/two-factor/":
            return TF
        return RD
    return response.status_code


def fill(value: object, names: dict[str, object]) -> object:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return value


def ask(client: Client, request_line: str, names: dict[str, object]):
    method, path = request_line.split(" ", 1)
    body = {k: fill(v, names) for k, v in BODIES.get(request_line, {}).items()}
    send = getattr(client, method.lower())
    url = str(fill(path, names))
    return send(url, body) if method in {"GET", "POST"} else send(url)


@pytest.mark.django_db
@pytest.mark.parametrize(("request_line", "row"), MATRIX, ids=[line for line, _ in MATRIX])
def test_access_matrix(request_line, row):
    world = build_world(
        with_reports=any(part in request_line for part in REPORT_PATHS),
        with_meldcode=any(part in request_line for part in MELDCODE_PATHS),
    )
    names = world.names()
    client = Client()  # one browser, its cookies cleared per visitor (starting one is slow)
    problems = []
    for principal, expected in zip(PRINCIPALS, row, strict=True):
        user = visitor(principal, world, client)
        refusals_before = AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count()
        got = outcome(ask(client, request_line, {**names, "principal": principal}))
        refusals = list(
            AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).order_by("sequence")[
                refusals_before:
            ]
        )
        if got != expected:
            problems.append(f"{principal}: expected {expected}, got {got}")
        elif expected == 403 and [r.user_id for r in refusals] != [getattr(user, "pk", None)]:
            problems.append(
                f"{principal}: a 403 must write one REFUSED entry, found {len(refusals)}"
            )
        elif expected != 403 and refusals:
            problems.append(f"{principal}: {got} but a REFUSED entry was written")
    assert not problems, "\n".join(problems)


# --- The matrix covers every URL ---------------------------------------------------------


def _join(prefix: str, part: str) -> str:
    # As Django's ResolverMatch.route does: regex anchors do not belong in the middle.
    return prefix + (part[1:] if part.startswith("^") else part)


def project_url_patterns(patterns=None, prefix: str = "") -> set[str]:
    """Every URL pattern reachable from the root URLconf, as its full route."""
    found: set[str] = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            found |= project_url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.add(route)
    return found


class _AnyId(dict):
    def __missing__(self, key: str) -> int:
        return 1


def covered_url_patterns() -> set[str]:
    routes = set()
    for request_line, _row in MATRIX:
        path = request_line.split(" ", 1)[1].format_map(_AnyId()).split("?", 1)[0]
        routes.add(resolve(path).route)
    return routes


def test_every_url_is_in_the_matrix():
    missing = project_url_patterns() - covered_url_patterns()
    assert not missing, (
        "These URL patterns have no row in the access matrix; add one per method with the "
        f"outcome for every visitor: {sorted(missing)}"
    )


def test_the_matrix_enumerates_patterns_from_the_root_resolver():
    # Guards the guard: if the walk found nothing, the test above could never fail.
    patterns = project_url_patterns()
    assert {"", "staff/contacts/<int:contact_id>/", "accounts/users/"} <= patterns
    assert covered_url_patterns() <= patterns
