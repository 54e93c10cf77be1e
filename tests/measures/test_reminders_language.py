"""A reminder reaches each data lead in the language of their profile."""

from __future__ import annotations

import datetime as dt

from coiin.measures.reminders import send_reminders
from coiin.network.models import Team

DUE_SOON_DAY = dt.date(2026, 4, 25)  # March 2026 is due April 30 with 30 days to report
OVERDUE_DAY = dt.date(2026, 5, 5)


def test_a_data_lead_who_chose_spanish_gets_the_reminder_in_spanish(
        settings, team, chosen, data_lead, mailoutbox, django_capture_on_commit_callbacks):
    settings.REPORTING_DUE_DAYS, settings.REPORTING_GRACE_DAYS = 30, 14
    settings.REPORTING_REMINDER_DAYS = 7
    Team.objects.filter(pk=team.pk).update(joined_on=dt.date(2015, 1, 1))
    data_lead.language = "es"
    data_lead.save()

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=DUE_SOON_DAY)
    march = next(m for m in mailoutbox if "marzo de 2026" in m.subject)
    assert march.to == [data_lead.email]
    assert "vencen" in march.subject and "30 de abril de 2026" in march.subject
    assert "Hola:" in march.body and "Medidas que reportar:" in march.body
    assert "30 de abril de 2026" in march.body and "Hello" not in march.body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=OVERDUE_DAY)
    late = next(m for m in mailoutbox if "marzo de 2026" in m.subject)
    assert "atrasados" in late.subject and "no se han enviado" in late.body

