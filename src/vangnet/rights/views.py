"""The team lead's view of the retention. Thin adapters: parse, call one selector, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.context import AuditContext
from vangnet.contacts.models import AdviceDossier, DossierPerson
from vangnet.errors import show_on_form
from vangnet.regions.models import Region
from vangnet.reports.models import Report, ReportPerson

from . import holds, selectors, services
from .forms import (
    CorrectionForm,
    DecisionForm,
    ExtendForm,
    FindReportForm,
    HoldForm,
    LiftForm,
    MeldcodeTermForm,
    RequestForm,
    StatementForm,
)
from .models import Release, SubjectRequest

KIND_LABELS = {
    "reports": _("meldingen"),
    "advice_dossiers": _("adviesdossiers"),
    "contacts": _("contacten"),
    "chat_transcripts": _("chatgesprekken (tekst)"),
    "meldcode_records": _("meldcodedossiers"),
    "access_log_entries": _("toegangslogregels"),
}


@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    preview = selectors.upcoming_deletions(
        user=user,
        region=region,
        page=request.GET.get("page"),
        audit=AuditContext.from_request(request),
    )
    runs = [
        {
            "run": run,
            "counts": [(str(KIND_LABELS.get(k, k)), n) for k, n in run.counts.items()],
            "failed": [str(KIND_LABELS.get(k, k)) for k in run.failed],
        }
        for run in preview.runs
    ]
    return render(
        request,
        "rights/retention.html",
        {"preview": preview, "region": region, "runs": runs},
    )


@require_POST
def retention_hold(request: HttpRequest) -> HttpResponse:
    """Niet vernietigen: stop the retention for one record listed on the preview."""
    try:
        object_id = int(request.POST.get("object_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        services.place_legal_hold(
            by=_user(request),
            kind=request.POST.get("kind", ""),
            object_id=object_id,
            reason=request.POST.get("reason", ""),
            audit=AuditContext.from_request(request),
        )
    except (Report.DoesNotExist, AdviceDossier.DoesNotExist) as exc:
        raise Http404 from exc
    except services.RequestError:
        messages.error(request, _("Geef de reden waarom dit niet vernietigd mag worden."))
        return redirect("rights:retention")
    messages.success(request, _("Vastgelegd: dit wordt niet vernietigd."))
    return redirect("rights:retention")


# --- Requests of the people involved ---------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _region(request: HttpRequest) -> Region:
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    return region


@require_http_methods(["GET", "POST"])
def request_list(request: HttpRequest) -> HttpResponse:
    """The region's requests; the form finds the report a new request is about."""
    user, region = _user(request), _region(request)
    find = FindReportForm(request.POST or None)
    page_obj = selectors.request_page(
        user=user,
        region=region,
        page=request.GET.get("page"),
        audit=AuditContext.from_request(request),
    )
    if request.method == "POST" and find.is_valid():
        found = selectors.file_by_reference(
            user=user, region=region, reference=find.cleaned_data["reference"]
        )
        if found is not None and found[0] == "dossier":
            return redirect("rights:request_new_dossier", dossier_id=found[1])
        if found is not None:
            return redirect("rights:request_new", report_id=found[1])
        find.add_error(
            "reference", _("Geen melding of adviesdossier met dit kenmerk in deze regio.")
        )
    return render(
        request,
        "rights/requests.html",
        {"page_obj": page_obj, "find": find, "region": region, "today": timezone.localdate()},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        report = selectors.report_for_request(
            user=_user(request), report_id=report_id, audit=AuditContext.from_request(request)
        )
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    return _register(request, report, list(report.persons.all()))


@require_http_methods(["GET", "POST"])
def request_new_dossier(request: HttpRequest, dossier_id: int) -> HttpResponse:
    try:
        dossier = selectors.dossier_for_request(
            user=_user(request), dossier_id=dossier_id, audit=AuditContext.from_request(request)
        )
    except AdviceDossier.DoesNotExist as exc:
        raise Http404 from exc
    return _register(request, dossier, list(dossier.persons.all()))


def _register(
    request: HttpRequest,
    file: Report | AdviceDossier,
    persons: list[ReportPerson] | list[DossierPerson],
) -> HttpResponse:
    """One form for a request about either kind of file."""
    form = RequestForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.NewRequest(
            kind=data["kind"],
            person=next(p for p in persons if p.pk == data["person"]),
            requester=data["requester"],
            requester_name=data["requester_name"],
            received_on=data["received_on"],
            child_consulted=data["child_consulted"],
            details=data["details"],
        )
        audit = AuditContext.from_request(request)
        try:
            if isinstance(file, AdviceDossier):
                created = services.register_dossier_request(
                    dossier=file, by=_user(request), new=new, audit=audit
                )
            else:
                created = services.register_request(
                    report=file, by=_user(request), new=new, audit=audit
                )
        except services.RequestError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Verzoek geregistreerd."))
            return redirect("rights:request_detail", request_id=created.pk)
    return render(
        request,
        "rights/request_new.html",
        {"file": file, "is_dossier": isinstance(file, AdviceDossier), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest,
    subject_request: SubjectRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    passage_errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    forms_ = {
        "correction": bound.get("correction")
        or CorrectionForm(
            report=subject_request.report,
            dossier=subject_request.dossier,
            auto_id="id_correction_%s",
        ),
        "statement": bound.get("statement") or StatementForm(auto_id="id_statement_%s"),
        "decision": bound.get("decision") or DecisionForm(auto_id="id_decision_%s"),
        "extend": bound.get("extend") or ExtendForm(auto_id="id_extend_%s"),
    }
    passages = [
        {"passage": p, "errors": (passage_errors or {}).get(f"passage-{p.pk}", [])}
        for p in subject_request.passages.all()
    ]
    return render(
        request,
        "rights/request_detail.html",
        {
            "item": subject_request,
            "passages": passages,
            "pending": any(p.decision == Release.PENDING for p in subject_request.passages.all()),
            "today": timezone.localdate(),
            **forms_,
        },
        status=status,
    )


def _subject_request(request: HttpRequest, request_id: int) -> SubjectRequest:
    try:
        return selectors.request_detail(
            user=_user(request), request_id=request_id, audit=AuditContext.from_request(request)
        )
    except SubjectRequest.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _subject_request(request, request_id))


def _review(request: HttpRequest, item: SubjectRequest) -> SubjectRequest:
    decisions = {
        p.pk: (
            request.POST.get(f"decision-{p.pk}", p.decision),
            request.POST.get(f"reason-{p.pk}", p.reason),
        )
        for p in item.passages.all()
    }
    return services.review_passages(
        subject_request=item,
        by=_user(request),
        decisions=decisions,
        audit=AuditContext.from_request(request),
    )


ACTIONS = ("review", "release", "correct", "statement", "decide", "extend")


@require_POST
def request_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    user = _user(request)
    item = _subject_request(request, request_id)
    form: forms.Form | None = None
    try:
        if action == "review":
            _review(request, item)
        elif action == "release":
            _review(request, item)
            services.release_copy(
                subject_request=item, by=user, audit=AuditContext.from_request(request)
            )
        elif action == "correct":
            form = CorrectionForm(
                request.POST, report=item.report, dossier=item.dossier, auto_id="id_correction_%s"
            )
            if form.is_valid():
                services.correct(
                    subject_request=item,
                    by=user,
                    field_name=form.cleaned_data["field_name"],
                    new_text=form.cleaned_data["new_text"],
                    audit=AuditContext.from_request(request),
                )
        elif action == "statement":
            form = StatementForm(request.POST, auto_id="id_statement_%s")
            if form.is_valid():
                services.add_statement(
                    subject_request=item,
                    by=user,
                    text=form.cleaned_data["text"],
                    audit=AuditContext.from_request(request),
                )
        elif action == "decide":
            form = DecisionForm(request.POST, auto_id="id_decision_%s")
            if form.is_valid():
                services.decide(
                    subject_request=item,
                    by=user,
                    grant=form.cleaned_data["grant"],
                    ground=form.cleaned_data["ground"],
                    grounds_text=form.cleaned_data["grounds_text"],
                    audit=AuditContext.from_request(request),
                )
        elif action == "extend":
            form = ExtendForm(request.POST, auto_id="id_extend_%s")
            if form.is_valid():
                services.extend_deadline(
                    subject_request=item,
                    by=user,
                    because=form.cleaned_data["because"],
                    audit=AuditContext.from_request(request),
                )
    except services.RequestError as error:
        if form is None:
            messages.error(request, str(error) or _("Controleer de passages."))
            item = _subject_request(request, request_id)
            return _detail(request, item, passage_errors=error.errors, status=400)
        show_on_form(form, error)
    if form is not None and form.errors:
        name = {"correct": "correction"}.get(action, action)
        return _detail(request, item, bound={name: form}, status=400)
    messages.success(request, _("Vastgelegd."))
    return redirect("rights:request_detail", request_id=request_id)


@require_GET
def copy_pdf(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        name, content = selectors.copy_pdf(
            user=_user(request), request_id=request_id, audit=AuditContext.from_request(request)
        )
    except SubjectRequest.DoesNotExist as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Legal holds on every kind, and the organisation's meldcode term -------------------------


def _hold_page(
    request: HttpRequest,
    screen: holds.HoldScreen,
    *,
    hold_form: HoldForm | None = None,
    lift_form: LiftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "rights/hold.html",
        {
            "screen": screen,
            "hold_form": hold_form or HoldForm(auto_id="id_hold_%s"),
            "lift_form": lift_form or LiftForm(auto_id="id_lift_%s"),
            "back": _record_url(screen),
        },
        status=status,
    )


def _record_url(screen: holds.HoldScreen) -> str:
    names = {
        "dossier": ("contacts:dossier", "dossier_id"),
        "contact": ("contacts:detail", "contact_id"),
        "chat": ("chat_staff:conversation", "conversation_id"),
        "meldcode": ("meldcode:detail", "record_id"),
    }
    name, kwarg = names[screen.slug]
    try:
        return reverse(name, kwargs={kwarg: screen.record.pk})
    except NoReverseMatch:
        return ""


def _screen(request: HttpRequest, kind: str, object_id: int) -> holds.HoldScreen:
    try:
        return holds.record_for_hold(
            user=_user(request),
            slug=kind,
            object_id=object_id,
            audit=AuditContext.from_request(request),
        )
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def hold(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Bewaarplicht: put a legal hold on one record, or lift one, with the reason."""
    screen = _screen(request, kind, object_id)
    if request.method == "GET":
        return _hold_page(request, screen)
    audit = AuditContext.from_request(request)
    if "lift" in request.POST:
        lift_form = LiftForm(request.POST, auto_id="id_lift_%s")
        if lift_form.is_valid():
            try:
                holds.lift_hold(
                    by=_user(request),
                    record=screen.record,
                    hold_id=int(request.POST.get("lift", "0") or 0),
                    reason=lift_form.cleaned_data["lift_reason"],
                    audit=audit,
                )
            except holds.HoldError as error:
                show_on_form(lift_form, error)
            else:
                messages.success(request, _("De bewaarplicht is opgeheven."))
                return redirect("rights:hold", kind=kind, object_id=object_id)
        return _hold_page(request, screen, lift_form=lift_form, status=400)
    hold_form = HoldForm(request.POST, auto_id="id_hold_%s")
    if hold_form.is_valid():
        try:
            holds.place_hold(
                by=_user(request),
                record=screen.record,
                reason=hold_form.cleaned_data["reason"],
                audit=audit,
            )
        except holds.HoldError as error:
            show_on_form(hold_form, error)
        else:
            messages.success(request, _("Vastgelegd: dit wordt niet vernietigd."))
            return redirect("rights:hold", kind=kind, object_id=object_id)
    return _hold_page(request, screen, hold_form=hold_form, status=400)


@require_http_methods(["GET", "POST"])
def meldcode_term(request: HttpRequest) -> HttpResponse:
    """How long the user's organisation keeps its closed meldcode records."""
    user = _user(request)
    term = holds.meldcode_term(user=user)
    form = MeldcodeTermForm(request.POST or None, initial={"years": term.years})
    if request.method == "POST" and form.is_valid():
        try:
            holds.set_meldcode_term(
                by=user,
                organisation=term.organisation,
                years=form.cleaned_data["years"],
                audit=AuditContext.from_request(request),
            )
        except holds.HoldError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("De bewaartermijn is vastgelegd."))
            return redirect("rights:meldcode_term")
    return render(
        request,
        "rights/meldcode_term.html",
        {"term": term, "form": form},
        status=400 if request.method == "POST" else 200,
    )
