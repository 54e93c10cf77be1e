"""Official vital statistics entered by hand.

* A jurisdiction's vital-records office enters its figures (provisional quarterly births
  and infant deaths, before the national files have them): the people backbone staff
  named for that jurisdiction (``VitalRecordsRole``), and backbone staff. Nobody else:
  not a team of the jurisdiction (their official outcomes are read from what the office
  entered), not the office of another jurisdiction.
* Backbone staff name and withdraw the office's people.
"""

from __future__ import annotations

from typing import Any

from coiin.network.models import Jurisdiction
from coiin.vitals.models import VitalRecordsRole

from .actions import Action, AnyUser, Rule, Rules
from .roles import is_backbone


def is_vital_records_office(user: AnyUser, jurisdiction: Jurisdiction) -> bool:
    """Named for this jurisdiction's vital-records office."""
    return bool(user.is_authenticated and user.is_active
                and VitalRecordsRole.objects.filter(user=user,
                                                    jurisdiction=jurisdiction).exists())


def _enters(user: AnyUser, jurisdiction: Jurisdiction) -> bool:
    return is_backbone(user) or is_vital_records_office(user, jurisdiction)


def _backbone(user: AnyUser, obj: Any) -> bool:
    return is_backbone(user)


RULES: Rules = {
    Action.ENTER_VITALS: Rule(_enters, needs=Jurisdiction, what="a jurisdiction",
                              refusal="Only the jurisdiction's vital-records office (and "
                                      "backbone staff) enter its official figures."),
    Action.GRANT_VITALS_ROLE: Rule(_backbone),
}
