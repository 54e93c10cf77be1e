"""The DHIS2 mapping page: backbone staff see every measure, stratum and team with the
DHIS2 codes they travel under, change one row at a time, and download the whole as CSV."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coiin import access
from coiin.access import Action
from coiin.spreadsheet import safe_cell
from coiin.web import sign_in_required

from . import mapping, services
from .forms import ElementForm, UnitForm


@require_http_methods(["GET", "POST"])
@sign_in_required
def dhis2_mapping(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.MANAGE_NETWORK)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="coiin-dhis2-mapping.csv"'
        writer = csv.DictWriter(response, fieldnames=mapping.CSV_COLUMNS,
                                lineterminator="\r\n")
        writer.writeheader()
        for row in mapping.csv_rows():
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
        return response
    form: ElementForm | UnitForm | None = None
    if request.method == "POST":
        form = UnitForm(request.POST) if "team" in request.POST else ElementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if isinstance(form, UnitForm):
                    services.set_unit(team=data["team"], org_unit=data["org_unit"],
                                      attribute_option_combo=data["attribute_option_combo"])
                else:
                    services.set_element(
                        measure=data["measure"], stratum=data["stratum"], part=data["part"],
                        data_element=data["data_element"],
                        category_option_combo=data["category_option_combo"])
            except ValueError as exc:
                form.add_error(None, str(exc))
            except IntegrityError:
                form.add_error(None, _("Another row already uses these DHIS2 codes."))
            else:
                messages.success(request, _("Mapping saved."))
                return redirect("dhis2_mapping")
    status = 400 if form is not None and form.errors else 200
    return render(request, "interchange/mapping.html", {
        "elements": mapping.element_rows(), "units": mapping.unit_rows(), "form": form,
    }, status=status)
