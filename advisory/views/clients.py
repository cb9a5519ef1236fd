from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Case, Q, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from advisory.access import firm_for, get_for_firm
from advisory.forms import ClientForm, PersonForm
from advisory.models import Client, Person
from advisory.services import client_archive, client_save, person_archive, person_save


class ClientListView(LoginRequiredMixin, ListView):
    template_name = "advisory/client_list.html"
    context_object_name = "clients"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Client]:
        clients = Client.objects.for_firm(firm_for(self.request.user)).active()
        # NUL cannot be stored or searched in PostgreSQL, and nobody types it.
        if query := self.request.GET.get("q", "").replace("\x00", "").strip():
            clients = clients.filter(Q(name__icontains=query) | Q(sector__icontains=query))
        return clients

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(q=self.request.GET.get("q", ""), **kwargs)


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = form.save(commit=False)
        client.firm = firm_for(request.user)
        client_save(client=client, actor=request.user, fields=form.changed_data)
        messages.success(request, f"Client {client.name} created. Add their CEO and board next.")
        return redirect(client)
    return render(request, "advisory/client_form.html", {"form": form})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_for_firm(request.user, Client.objects.all(), pk=pk)
    # The CEO first, then the board, then anyone else.
    role_rank = Case(
        When(role=Person.Role.CEO, then=0), When(role=Person.Role.BOARD, then=1), default=2
    )
    people = client.people.active().order_by(role_rank, "name")
    engagements = client.engagements.select_related("lead_advisor").order_by("-created_at")
    return render(
        request,
        "advisory/client_detail.html",
        {
            "client": client,
            "people": people,
            "engagements": engagements,
            "audit_events": client.audit_events.select_related("actor")[:20],
        },
    )


@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_for_firm(request.user, Client.objects.all(), pk=pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        client_save(client=form.save(commit=False), actor=request.user, fields=form.changed_data)
        messages.success(request, "Client saved.")
        return redirect(client)
    return render(request, "advisory/client_form.html", {"form": form, "client": client})


@require_POST
@login_required
def client_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_for_firm(request.user, Client.objects.active(), pk=pk)
    client_archive(client=client, actor=request.user)
    messages.success(request, f"Client {client.name} archived.")
    return redirect("client_list")


@login_required
def person_create(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = get_for_firm(request.user, Client.objects.active(), pk=client_pk)
    form = PersonForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.client = client
        person_save(person=person, actor=request.user)
        messages.success(request, f"{person.name} added.")
        return redirect(client)
    return render(request, "advisory/person_form.html", {"form": form, "client": client})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_firm(request.user, Person.objects.select_related("client"), pk=pk)
    form = PersonForm(request.POST or None, instance=person, client=person.client)
    if request.method == "POST" and form.is_valid():
        person_save(person=form.save(commit=False), actor=request.user)
        messages.success(request, f"{person.name} saved.")
        return redirect(person.client)
    return render(
        request,
        "advisory/person_form.html",
        {"form": form, "client": person.client, "person": person},
    )


@require_POST
@login_required
def person_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_firm(request.user, Person.objects.select_related("client"), pk=pk)
    person_archive(person=person, actor=request.user)
    messages.success(request, f"{person.name} removed.")
    return redirect(person.client)
