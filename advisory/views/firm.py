"""The firm's settings (owners only), and the two things every page draws the firm with: its
logo and a stylesheet in its accent colour."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from advisory.access import firm_for, owned_firm_for
from advisory.colours import darker, rgb
from advisory.firms import firm_settings_save
from advisory.forms import FirmSettingsForm
from advisory.logos import logo_read

# Named by their content (the logo's SHA-256, the colour itself): a changed logo or colour is
# a new address, so browsers may keep each one for good.
FOREVER = "max-age=31536000, immutable"


@login_required
def firm_settings(request: HttpRequest) -> HttpResponse:
    firm = owned_firm_for(request.user)
    form = FirmSettingsForm(
        request.POST or None, request.FILES or None, instance=firm, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        firm_settings_save(
            firm=form.save(commit=False),
            actor=request.user,
            fields=form.changed_data,
            logo=form.cleaned_data.get("logo"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
        )
        messages.success(
            request, "Settings saved. New memos and emails use them; approved memos keep theirs."
        )
        return redirect("firm_settings")
    if form.errors:
        # The instance has taken the posted values; the page header must keep the saved ones.
        firm.refresh_from_db()
    context = {"form": form, "firm": firm, "logo_posted": bool(request.FILES.get("logo"))}
    return render(request, "advisory/firm_settings.html", context)


@login_required
@require_GET
def firm_logo(request: HttpRequest, digest: str) -> HttpResponse:
    """The signed-in person's own firm's logo; any other address is a 404."""
    firm = firm_for(request.user)
    if not firm.logo or firm.logo.name != f"logos/{digest}.png":
        raise Http404("No such logo.")
    content = logo_read(firm.logo.name)
    if content is None:
        raise Http404("The logo file is missing.")
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = f"private, {FOREVER}"
    return response


@require_GET
def accent_css(request: HttpRequest, colour: str) -> HttpResponse:
    """The app's buttons and links in an accent colour. The CSP allows stylesheets from the
    app only, and no inline styles, so the firm's colour comes as a stylesheet of its own."""
    colour = f"#{colour.lower()}"
    dark = darker(colour)
    css = render_to_string(
        "advisory/accent.css",
        {
            "accent": colour,
            "dark": dark,
            "rgb": ", ".join(map(str, rgb(colour))),
            "dark_rgb": ", ".join(map(str, rgb(dark))),
        },
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, {FOREVER}"
    return response
