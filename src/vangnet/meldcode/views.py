"""The professional's meldcode assistant (partner workspace, /partner/meldcode/).

Thin adapters: parse the form, call one service or selector, render. A professional sees and
writes in their own records; the organisation's contact person (aandachtsfunctionaris)
reads all of the organisation's records (accounts.policy).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may, may_edit_meldcode_record, require
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.errors import show_on_form
from vangnet.regions.models import PartnerOrganisation

from . import framework, pdf, selectors, services
from .forms import (
    SECTOR_OF_KIND,
    AdviceRequestForm,
    AnswerForm,
    ConsultationForm,
    ConversationForm,
    DecisionForm,
    OnlineReportForm,
    PhoneReportForm,
    RecordForm,
    ReminderForm,
    SignalForm,
)
from .models import MeldcodeRecord, RecordStatus, Step
from .reporting import prepared_report, region_accepts_online_reports


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, Action.USE_MELDCODE)
    return user


def _record_context(
    user: User, record: MeldcodeRecord, *, step: int = 0, **extra: Any
) -> dict[str, Any]:
    state = selectors.framework_state(record)
    return {
        "record": record,
        "active_step": step,
        "steps": Step.choices,
        "can_edit": may_edit_meldcode_record(user, record) and record.status != RecordStatus.CLOSED,
        "is_owner": record.professional_id == user.pk,
        "framework": state,
        "consult_at_once": services.consult_veilig_thuis_at_once(record),
        "vt_phone": settings.VANGNET_PHONE_NUMBER,
        **extra,
    }


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page_obj = selectors.records_page(
        user=user, params=request.GET, audit=AuditContext.from_request(request)
    )
    return render(
        request,
        "meldcode/overview.html",
        {
            "page_obj": page_obj,
            "reminders": selectors.due_reminders(user=user),
            "sees_organisation": may(user, Action.VIEW_ORGANISATION_MELDCODE),
            "has_organisation": user.organisation_id is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisation = user.organisation
    sector = (
        SECTOR_OF_KIND.get(PartnerOrganisation.Kind(organisation.kind)) if organisation else None
    )
    initial = {"sector": sector or ""}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.open_record(
                    by=user, audit=AuditContext.from_request(request), **form.cleaned_data
                )
            except services.MeldcodeError as error:
                show_on_form(form, error)
            else:
                messages.success(
                    request, _("Het dossier is geopend. Begin met stap 1: de signalen.")
                )
                return redirect("meldcode:signals", record_id=record.pk)
        return render(request, "meldcode/new.html", {"form": form}, status=400)
    return render(request, "meldcode/new.html", {"form": form})


@require_GET
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request)
    )
    return render(
        request,
        "meldcode/detail.html",
        _record_context(
            user,
            record,
            timeline=record.timeline.select_related("by"),
            reminders=record.reminders.filter(dismissed_at__isnull=True),
            reminder_form=ReminderForm(),
            advice_requests=record.advice_requests.select_related("region"),
        ),
    )


def _step_page(
    request: HttpRequest,
    *,
    record_id: int,
    template: str,
    step: int,
    form_class: type,
    save: Any,
    success: str,
    next_url: str,
    form_kwargs: Any = None,
    extra: Any = None,
) -> HttpResponse:
    """GET shows the step (who may read the record); POST adds to it (only its owner)."""
    user = _user(request)
    editing = request.method == "POST"
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request), edit=editing
    )
    kwargs = form_kwargs(record) if form_kwargs else {}
    form = form_class(request.POST or None, **kwargs)
    status = 200
    if editing:
        if form.is_valid():
            try:
                save(user, record, form.cleaned_data)
            except services.MeldcodeError as error:
                show_on_form(form, error)
            else:
                messages.success(request, success)
                return redirect(next_url, record_id=record.pk)
        status = 400
    context = _record_context(
        user, record, step=step, form=form, **(extra(record) if extra else {})
    )
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def signals(request: HttpRequest, record_id: int) -> HttpResponse:
    return _step_page(
        request,
        record_id=record_id,
        template="meldcode/step_signals.html",
        step=1,
        form_class=SignalForm,
        form_kwargs=lambda record: {"sector": record.sector},
        save=lambda user, record, data: services.add_signals(
            record=record,
            by=user,
            codes=data["codes"],
            description=data["description"],
            observed_on=data["observed_on"],
            audit=AuditContext.from_request(request),
        ),
        success=_("De signalen zijn vastgelegd."),
        next_url="meldcode:signals",
        extra=lambda record: {"signals": record.signals.all()},
    )


@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, record_id: int) -> HttpResponse:
    return _step_page(
        request,
        record_id=record_id,
        template="meldcode/step_consultation.html",
        step=2,
        form_class=ConsultationForm,
        save=lambda user, record, data: services.add_consultation(
            record=record, by=user, audit=AuditContext.from_request(request), **data
        ),
        success=_("Het overleg is vastgelegd."),
        next_url="meldcode:consultation",
        extra=lambda record: {
            "consultations": record.consultations.all(),
            "advice_requests": record.advice_requests.select_related("region"),
        },
    )


@require_http_methods(["GET", "POST"])
def advice_request(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    return _step_page(
        request,
        record_id=record_id,
        template="meldcode/advice_request.html",
        step=2,
        form_class=AdviceRequestForm,
        form_kwargs=lambda record: {
            "initial": {"callback_phone": user.phone_number, "summary": record.concern}
        },
        save=lambda user, record, data: services.request_advice(
            record=record, by=user, audit=AuditContext.from_request(request), **data
        ),
        success=_(
            "Uw terugbelverzoek staat bij Veilig Thuis. Een medewerker belt u terug; de naam "
            "van het gezin is niet doorgegeven."
        ),
        next_url="meldcode:consultation",
    )


@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, record_id: int) -> HttpResponse:
    return _step_page(
        request,
        record_id=record_id,
        template="meldcode/step_conversation.html",
        step=3,
        form_class=ConversationForm,
        save=lambda user, record, data: services.add_conversation(
            record=record, by=user, audit=AuditContext.from_request(request), **data
        ),
        success=_("Het gesprek is vastgelegd."),
        next_url="meldcode:conversation",
        extra=lambda record: {"conversations": record.conversations.all()},
    )


@require_http_methods(["GET", "POST"])
def weighing(request: HttpRequest, record_id: int) -> HttpResponse:
    def save(user: User, record: MeldcodeRecord, data: dict[str, Any]) -> None:
        services.answer_question(
            record=record,
            by=user,
            question=data["question"],
            answer=data["answer"] == "yes",
            reasoning=data["reasoning"],
            audit=AuditContext.from_request(request),
        )

    def extra(record: MeldcodeRecord) -> dict[str, Any]:
        answers = {a.question: a for a in record.answers.all()}
        state = selectors.framework_state(record)
        rows = [
            {"question": q, "answer": answers.get(q.number), "on_path": q.number in state.path}
            for q in framework.QUESTIONS
        ]
        return {"rows": rows}

    return _step_page(
        request,
        record_id=record_id,
        template="meldcode/step_weighing.html",
        step=4,
        form_class=AnswerForm,
        save=save,
        success=_("Uw antwoord is vastgelegd."),
        next_url="meldcode:weighing",
        extra=extra,
    )


@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, record_id: int) -> HttpResponse:
    def after(record: MeldcodeRecord) -> str:
        return "meldcode:report" if record.decided_to_report else "meldcode:detail"

    user = _user(request)
    if request.method == "POST":
        record = selectors.record_for(
            user=user, record_id=record_id, audit=AuditContext.from_request(request), edit=True
        )
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                record = services.record_decision(
                    record=record,
                    by=user,
                    audit=AuditContext.from_request(request),
                    **form.cleaned_data,
                )
            except services.MeldcodeError as error:
                show_on_form(form, error)
            else:
                messages.success(request, _("Uw besluit is vastgelegd."))
                return redirect(after(record), record_id=record.pk)
        return render(
            request,
            "meldcode/step_decision.html",
            _record_context(user, record, step=5, form=form),
            status=400,
        )
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request)
    )
    form = DecisionForm(initial={"decision": record.decision})
    return render(
        request, "meldcode/step_decision.html", _record_context(user, record, step=5, form=form)
    )


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    editing = request.method == "POST"
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request), edit=editing
    )
    form = PhoneReportForm(request.POST or None)
    status = 200
    if editing:
        if form.is_valid():
            try:
                services.record_phone_report(
                    record=record,
                    by=user,
                    audit=AuditContext.from_request(request),
                    **form.cleaned_data,
                )
            except services.MeldcodeError as error:
                show_on_form(form, error)
            else:
                messages.success(request, _("De melding is vastgelegd in het dossier."))
                return redirect("meldcode:detail", record_id=record.pk)
        status = 400
    return render(
        request,
        "meldcode/report.html",
        _record_context(
            user,
            record,
            step=5,
            form=form,
            prepared=prepared_report(record),
            online=region_accepts_online_reports(record.region),
            online_form=OnlineReportForm(),
        ),
        status=status,
    )


@require_POST
def report_online(request: HttpRequest, record_id: int) -> HttpResponse:
    """Send the report to the region's intake (where the region accepts it)."""
    user = _user(request)
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request), edit=True
    )
    form = OnlineReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_online_report(
                record=record,
                by=user,
                family=services.FamilyDetails(
                    child_name=data["child_name"],
                    child_date_of_birth=data["child_date_of_birth"],
                    address=data["address"],
                    parent_names=[data["parent_1"], data["parent_2"]],
                ),
                parents_informed=data["parents_informed"],
                anonymous_to_family=data["anonymous_to_family"],
                is_acute=data["is_acute"],
                audit=AuditContext.from_request(request),
            )
        except services.MeldcodeError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Uw melding is bij Veilig Thuis binnen. Volg de status via de link in het "
                    "dossier."
                ),
            )
            return redirect("meldcode:detail", record_id=record.pk)
    return render(
        request,
        "meldcode/report.html",
        _record_context(
            user,
            record,
            step=5,
            form=PhoneReportForm(),
            prepared=prepared_report(record),
            online=region_accepts_online_reports(record.region),
            online_form=form,
        ),
        status=400,
    )


@require_POST
def reminder_add(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    record = selectors.record_for(
        user=user, record_id=record_id, audit=AuditContext.from_request(request), edit=True
    )
    form = ReminderForm(request.POST)
    if form.is_valid():
        try:
            services.set_reminder(
                record=record,
                by=user,
                audit=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except services.MeldcodeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De herinnering is gezet."))
    else:
        messages.error(request, _("Kies een datum en schrijf op waaraan u herinnerd wilt worden."))
    return redirect("meldcode:detail", record_id=record.pk)


@require_POST
def reminder_dismiss(request: HttpRequest, reminder_id: int) -> HttpResponse:
    user = _user(request)
    reminder = selectors.reminder_of(
        user=user, reminder_id=reminder_id, audit=AuditContext.from_request(request)
    )
    services.dismiss_reminder(reminder=reminder, by=user)
    messages.success(request, _("De herinnering is weggezet."))
    return redirect("meldcode:overview")


@require_GET
def record_pdf(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    record = selectors.record_for(
        user=user,
        record_id=record_id,
        audit=AuditContext.from_request(request),
        action=AccessLogAction.EXPORT,
    )
    response = HttpResponse(pdf.record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meldcode-{record.reference}.pdf"'
    return response
