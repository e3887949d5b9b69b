"""The reports register in the staff workspace: list, intake by phone, the report page with
the steps of its state, the reporter's identity on request, the transfer PDF and the team's
deadlines. Thin adapters: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import GRANTS, AccessDenied, Action, may, may_break_glass, require
from vangnet.accounts.services import AccountError
from vangnet.audit.context import AuditContext
from vangnet.contacts import selectors as contact_selectors
from vangnet.contacts.models import AdviceDossier, PersonRelation
from vangnet.errors import show_on_form
from vangnet.regions.models import Region

from . import selectors, services
from .deadlines import current_deadline
from .forms import (
    AssessmentForm,
    ConclusionForm,
    ConditionForm,
    FilterForm,
    IdentityForm,
    LegalHoldForm,
    MonitoringForm,
    NoteForm,
    OwnerForm,
    PersonForm,
    PersonFormSet,
    PlanForm,
    ReasonForm,
    ReportForm,
    StatusLinkForm,
    TransferForm,
    TriageForm,
    show_report_errors,
)
from .models import PersonRole, Report
from .transfer_document import transfer_pdf
from .workflow import STEPS, WorkflowError, may_take

# Steps that are never the case's main action: going back, undoing, ending.
SIDE_STEPS = frozenset({"reject_triage", "withdraw_transfer", "close_report"})


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _active_region(request: HttpRequest) -> Region:
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    return region


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    region = _active_region(request)
    filters = FilterForm(request.GET or None)
    state, overdue = "", False
    if filters.is_valid():
        state, overdue = filters.cleaned_data["state"], filters.cleaned_data["overdue"]
    page_obj = selectors.report_page(
        user=user,
        region=region,
        params=request.GET,
        state=state,
        overdue_only=overdue,
        audit=AuditContext.from_request(request),
    )
    query = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        query.pop(name, None)
    return render(
        request,
        "reports/list.html",
        {
            "page_obj": page_obj,
            "region": region,
            "filters": filters,
            "query": query.urlencode(),
            "can_submit": may(user, Action.SUBMIT_REPORT, region),
        },
    )


# Dossier person relation → report person role.
_ROLE_OF_RELATION: dict[str, str] = {
    PersonRelation.CHILD: "child",
    PersonRelation.PARENT: "parent",
    PersonRelation.OTHER_FAMILY: "other",
    PersonRelation.OTHER: "other",
}


def _prefill(dossier: AdviceDossier) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A report from a named advice dossier starts with what the dossier already knows."""
    contacts = sorted(dossier.contacts.all(), key=lambda c: c.received_at)
    forms_of_violence = sorted({code for c in contacts for code in c.forms_of_violence})
    concerns = "\n\n".join(
        f"{c.received_at:%d-%m-%Y} ({c.get_channel_display()}): {c.summary}" for c in contacts
    )
    initial = {"forms_of_violence": forms_of_violence, "concerns": concerns}
    persons = [
        {
            "role": _ROLE_OF_RELATION.get(p.relation, "other"),
            "name": p.name,
            "date_of_birth": p.date_of_birth,
            "address": p.address,
        }
        for p in dossier.persons.all()
    ]
    return initial, persons or [{"role": PersonRole.CHILD}]


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """A report by phone (or in writing, in person); with ?dossier=<id> from an advice dossier."""
    user = _staff(request)
    region = _active_region(request)
    require(user, Action.VIEW_REPORT, region)
    require(user, Action.SUBMIT_REPORT, region)
    dossier = contact_selectors.dossier_for_report_intake(
        user=user,
        region=region,
        dossier_id=request.GET.get("dossier", ""),
        audit=AuditContext.from_request(request),
    )
    if request.method == "POST":
        form = ReportForm(request.POST)
        persons = PersonFormSet(request.POST, prefix="persons")
        if form.is_valid() and persons.is_valid():
            try:
                received = services.receive_report(
                    region=region,
                    by=user,
                    channel=form.cleaned_data["channel"],
                    reporter=form.reporter(),
                    persons=[p.person() for p in persons.forms if not p.is_blank()],
                    forms_of_violence=form.cleaned_data["forms_of_violence"],
                    concerns=form.cleaned_data["concerns"],
                    signals=form.cleaned_data["signals"],
                    actions_taken=form.cleaned_data["actions_taken"],
                    is_acute=form.cleaned_data["is_acute"],
                    source_dossier=dossier,
                    audit=AuditContext.from_request(request),
                )
            except services.ReportError as error:
                show_report_errors(form, persons, error)
            else:
                return render(
                    request,
                    "reports/received.html",
                    {"report": received.report, "status_url": received.status_url},
                )
        return render(
            request,
            "reports/new.html",
            {"form": form, "persons": persons, "region": region, "dossier": dossier},
            status=400,
        )
    initial: dict[str, Any] = {}
    person_initial: list[dict[str, Any]] = [{"role": PersonRole.CHILD}, {"role": PersonRole.PARENT}]
    if dossier is not None:
        initial, person_initial = _prefill(dossier)
    form = ReportForm(initial=initial)
    persons = PersonFormSet(prefix="persons", initial=person_initial)
    return render(
        request,
        "reports/new.html",
        {"form": form, "persons": persons, "region": region, "dossier": dossier},
    )


def _report(request: HttpRequest, report_id: int) -> Report:
    try:
        return selectors.report_detail(
            user=_staff(request), report_id=report_id, audit=AuditContext.from_request(request)
        )
    except Report.DoesNotExist as exc:
        raise Http404 from exc


def _render_report(
    request: HttpRequest,
    report: Report,
    *,
    bound: dict[str, forms.Form] | None = None,
    reporter: Any = None,
    new_status_link: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _staff(request)
    history = selectors.earlier_history(
        user=user, report=report, audit=AuditContext.from_request(request)
    )
    steps = {name: may_take(user, name, report) for name in STEPS}
    # The case overview's main action: the first step forward that may be taken now.
    main_step = next(
        (name for name, allowed in steps.items() if allowed and name not in SIDE_STEPS), ""
    )
    blank: dict[str, Callable[[], forms.Form]] = {
        "record_safety_assessment": AssessmentForm,
        "record_triage_decision": TriageForm,
        "reject_triage": ReasonForm,
        "record_investigation_conclusion": ConclusionForm,
        "set_safety_conditions": ConditionForm,
        "transfer_report": lambda: TransferForm(region=report.region),
        "withdraw_transfer": ReasonForm,
        "plan_monitoring": PlanForm,
        "close_report": ReasonForm,
    }
    # Only the steps the page offers get a form (the template shows no other).
    offered = {name: make() for name, make in blank.items() if steps.get(name)}
    step_forms = {**offered, **(bound or {})}
    identity_form = (bound or {}).get("identity") or IdentityForm()
    identity_form.auto_id = "id_identity_%s"
    for name, form in step_forms.items():
        form.auto_id = f"id_{name}_%s"  # one page, many forms: ids must not clash
    open_moments = [m for m in report.monitoring_moments.all() if m.recorded_at is None]
    can_handle = may(user, Action.HANDLE_REPORT, report)
    owner_form = (bound or {}).get("owner") or OwnerForm(
        colleagues=_colleagues(report) if can_handle else [],
        initial={"owner": report.owner_id},
    )
    hold_form = (bound or {}).get("legal_hold") or LegalHoldForm(
        initial={"legal_hold": report.legal_hold}
    )
    note_form = (bound or {}).get("note") or NoteForm()
    person_form = (bound or {}).get("person") or PersonForm()
    note_form.auto_id = "id_note_%s"
    person_form.auto_id = "id_person_%s"
    owner_form.auto_id = "id_owner_%s"
    hold_form.auto_id = "id_hold_%s"
    status_link_form = (bound or {}).get("status_link") or StatusLinkForm()
    status_link_form.auto_id = "id_status_link_%s"
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "history": history,
            "steps": steps,
            "main_step": main_step,
            "step_forms": step_forms,
            "identity_form": identity_form,
            "can_handle": can_handle,
            "owner_form": owner_form,
            "hold_form": hold_form,
            "note_form": note_form,
            "person_form": person_form,
            "status_link_form": status_link_form,
            "new_status_link": new_status_link,
            "may_see_reporter": may(user, Action.VIEW_REPORTER_IDENTITY, report),
            "may_handle_requests": may(user, Action.HANDLE_SUBJECT_REQUEST, report),
            "reporter": reporter,
            "reporter_facts": report.reporter,
            "journal": selectors.journal_lines(report),
            "deadline": current_deadline(report),
            "open_moment": open_moments[0] if open_moments else None,
            "monitoring_form": _with_ids(
                (bound or {}).get("record_monitoring")
                or MonitoringForm(initial={"moment": open_moments[0].pk} if open_moments else None),
                "record_monitoring",
            ),
        },
        status=status,
    )


def _colleagues(report: Report) -> list[User]:
    """Who may handle reports in the report's region."""

    roles = [role for role, actions in GRANTS.items() if Action.HANDLE_REPORT in actions]
    return list(
        User.objects.filter(
            is_active=True, memberships__region=report.region, memberships__role__in=roles
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


@require_POST
def report_owner(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff(request)
    report = _report(request, report_id)
    require(user, Action.HANDLE_REPORT, report)
    form = OwnerForm(request.POST, colleagues=_colleagues(report))
    if not form.is_valid():
        return _render_report(request, report, bound={"owner": form}, status=400)
    try:
        services.assign_report(
            report=report,
            by=user,
            owner=form.cleaned_data["owner"],
            audit=AuditContext.from_request(request),
        )
    except services.ReportError as error:
        show_on_form(form, error, field="owner")
        return _render_report(request, report, bound={"owner": form}, status=400)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Behandelaar gewijzigd."))
    return redirect("reports:detail", report_id=report_id)


@require_POST
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff(request)
    report = _report(request, report_id)
    require(user, Action.HANDLE_REPORT, report)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_journal_note(
                report=report,
                by=user,
                text=form.cleaned_data["text"],
                audit=AuditContext.from_request(request),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Notitie vastgelegd in het journaal."))
            return redirect("reports:detail", report_id=report_id)
    return _render_report(request, report, bound={"note": form}, status=400)


@require_POST
def report_add_person(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _staff(request)
    report = _report(request, report_id)
    require(user, Action.HANDLE_REPORT, report)
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.add_report_person(
                report=report,
                by=user,
                person=form.person(),
                audit=AuditContext.from_request(request),
            )
        except services.ReportError as error:
            show_on_form(form, error)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("reports:detail", report_id=report_id)
        else:
            messages.success(request, _("Betrokkene toegevoegd."))
            return redirect("reports:detail", report_id=report_id)
    return _render_report(request, _report(request, report_id), bound={"person": form}, status=400)


@require_POST
def report_legal_hold(request: HttpRequest, report_id: int) -> HttpResponse:
    """DOMAIN.md: kept longer when a child-protection measure needs it."""
    user = _staff(request)
    report = _report(request, report_id)
    require(user, Action.HANDLE_REPORT, report)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return _render_report(request, report, bound={"legal_hold": form}, status=400)
    services.set_legal_hold(
        report=report,
        by=user,
        legal_hold=form.cleaned_data["legal_hold"],
        reason=form.cleaned_data["reason"],
        audit=AuditContext.from_request(request),
    )
    messages.success(request, _("Vastgelegd of het dossier na de bewaartermijn blijft."))
    return redirect("reports:detail", report_id=report_id)


def _with_ids(form: forms.Form, name: str) -> forms.Form:
    form.auto_id = f"id_{name}_%s"
    return form


def _denied(request: HttpRequest, report_id: int, *, status: int, **extra: Any) -> HttpResponse:
    return render(
        request,
        "workspace/denied.html",
        {
            "refusal": _(
                "Deze melding hoort bij een regio waarin u niet werkt. Deze poging is vastgelegd "
                "in het toegangslog."
            ),
            "glass_explanation": _(
                "Heeft u deze melding nu echt nodig, bijvoorbeeld bij acuut gevaar? Geef de "
                "reden. U krijgt één uur inzage in deze ene melding, zonder de gegevens van de "
                "melder; de privacyfunctionaris van die regio ziet uw reden in het toegangslog."
            ),
            "glass_url": reverse("reports:break_glass", args=[report_id]),
            "can_break_glass": may_break_glass(_staff(request), Action.VIEW_REPORT),
            **extra,
        },
        status=status,
    )


@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        report = _report(request, report_id)
    except AccessDenied:
        # Logged by the selector; someone who handles reports in their own region may break
        # the glass here (ADR 0032).
        return _denied(request, report_id, status=403)
    return _render_report(request, report)


@require_POST
def report_break_glass(request: HttpRequest, report_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    try:
        services.break_the_glass_for_report(
            user=_staff(request),
            report_id=report_id,
            reason=reason,
            audit=AuditContext.from_request(request),
        )
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    except AccountError as exc:
        return _denied(request, report_id, status=400, error=str(exc), reason=reason)
    messages.warning(
        request, _("Noodtoegang verleend voor één uur. Dit is vastgelegd in het toegangslog.")
    )
    return redirect("reports:detail", report_id=report_id)


@require_POST
def report_status_link(request: HttpRequest, report_id: int) -> HttpResponse:
    """A new status link for a reporter who lost theirs and identified themselves."""
    user = _staff(request)
    report = _report(request, report_id)
    require(user, Action.VIEW_REPORTER_IDENTITY, report)
    form = StatusLinkForm(request.POST)
    if not form.is_valid():
        return _render_report(request, report, bound={"status_link": form}, status=400)
    url = services.reissue_status_link(
        report=report,
        by=user,
        identified_how=form.cleaned_data["identified_how"],
        audit=AuditContext.from_request(request),
    )
    return _render_report(request, _report(request, report_id), new_status_link=url)


@require_POST
def reporter_identity(request: HttpRequest, report_id: int) -> HttpResponse:
    """Show who reported, with a reason that goes into the access log."""
    report = _report(request, report_id)
    form = IdentityForm(request.POST)
    if not form.is_valid():
        require(_staff(request), Action.VIEW_REPORTER_IDENTITY, report)
        return _render_report(request, report, bound={"identity": form}, status=400)
    reporter = selectors.reporter_identity(
        user=_staff(request),
        report=report,
        reason=form.cleaned_data["reason"],
        audit=AuditContext.from_request(request),
    )
    return _render_report(request, report, reporter=reporter)


# Each step: the form it reads and how it calls its service.
StepCall = Callable[[Report, User, forms.Form, HttpRequest], Report]


def _conditions(report: Report, by: User, form: forms.Form, request: HttpRequest) -> Report:
    assert isinstance(form, ConditionForm)
    return services.set_safety_conditions(
        report=report,
        by=by,
        conditions=[form.condition()],
        audit=AuditContext.from_request(request),
    )


def _monitoring(report: Report, by: User, form: forms.Form, request: HttpRequest) -> Report:
    return services.record_monitoring(
        report=report,
        moment_id=form.cleaned_data["moment"],
        by=by,
        conditions_met=form.cleaned_data["conditions_met"],
        notes=form.cleaned_data["notes"],
        audit=AuditContext.from_request(request),
    )


STEP_VIEWS: dict[str, tuple[Callable[..., forms.Form] | None, StepCall]] = {
    "record_safety_assessment": (
        AssessmentForm,
        lambda r, by, f, rq: services.record_safety_assessment(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "record_triage_decision": (
        TriageForm,
        lambda r, by, f, rq: services.record_triage_decision(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "approve_triage": (
        None,
        lambda r, by, f, rq: services.approve_triage(
            report=r, by=by, audit=AuditContext.from_request(rq)
        ),
    ),
    "reject_triage": (
        ReasonForm,
        lambda r, by, f, rq: services.reject_triage(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "start_investigation": (
        None,
        lambda r, by, f, rq: services.start_investigation(
            report=r, by=by, audit=AuditContext.from_request(rq)
        ),
    ),
    "record_investigation_conclusion": (
        ConclusionForm,
        lambda r, by, f, rq: services.record_investigation_conclusion(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "set_safety_conditions": (ConditionForm, _conditions),
    "transfer_report": (
        TransferForm,
        lambda r, by, f, rq: services.transfer_report(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "withdraw_transfer": (
        ReasonForm,
        lambda r, by, f, rq: services.withdraw_transfer(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
    "plan_monitoring": (
        PlanForm,
        lambda r, by, f, rq: services.plan_monitoring(
            report=r,
            by=by,
            dates=f.dates(),  # type: ignore[attr-defined]  # a PlanForm
            audit=AuditContext.from_request(rq),
        ),
    ),
    "record_monitoring": (MonitoringForm, _monitoring),
    "close_report": (
        ReasonForm,
        lambda r, by, f, rq: services.close_report(
            report=r, by=by, audit=AuditContext.from_request(rq), **f.cleaned_data
        ),
    ),
}


@require_POST
def report_step(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    """Take one step of the workflow (accepting a transfer is the partner's, not here)."""
    if step not in STEP_VIEWS:
        raise Http404
    user = _staff(request)
    report = _report(request, report_id)
    require(user, STEPS[step].action, report)  # who may, before what the state allows
    form_class, call = STEP_VIEWS[step]
    if form_class is None:
        form: forms.Form = forms.Form(request.POST)
    elif step == "transfer_report":
        form = TransferForm(request.POST, region=report.region)
    else:
        form = form_class(request.POST)
    if not form.is_valid():
        return _render_report(request, report, bound={step: form}, status=400)
    try:
        call(report, user, form, request)
    except services.ReportError as error:
        show_on_form(form, error)
        return _render_report(request, _report(request, report_id), bound={step: form}, status=400)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("reports:detail", report_id=report_id)
    messages.success(request, _("Vastgelegd: %(step)s.") % {"step": STEPS[step].label})
    return redirect("reports:detail", report_id=report_id)


@require_GET
def transfer_document(request: HttpRequest, report_id: int) -> HttpResponse:
    """The transfer PDF: what the receiving team needs; never the reporter's identity."""
    report = _report(request, report_id)
    if report.transferred_to_id is None:
        raise Http404
    response = HttpResponse(transfer_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="overdracht-{report.reference}.pdf"'
    return response


@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    """The team's deadlines: what is overdue, due soon, and later."""
    user = _staff(request)
    region = _active_region(request)
    overview = selectors.deadline_overview(
        user=user, region=region, params=request.GET, audit=AuditContext.from_request(request)
    )
    rows = overview.rows
    return render(
        request,
        "reports/deadlines.html",
        {
            "region": region,
            "overview": overview,
            "page_obj": overview.page,
            "overdue": [r for r in rows if r.overdue],
            "soon": [r for r in rows if r.due_soon],
            "later": [r for r in rows if not r.overdue and not r.due_soon],
            "later_count": overview.total_count - overview.overdue_count - overview.due_soon_count,
        },
    )
