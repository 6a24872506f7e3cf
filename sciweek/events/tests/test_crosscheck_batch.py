"""The events' cross-check figures for a whole dashboard in a constant number of queries, equal to what
each report would get on its own."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciweek.events.crosscheck import event_figures_many
from sciweek.events.demo import load_demo_events
from sciweek.reports.crosscheck import _BATCH, known_figures_many
from sciweek.reports.models import Report


def _reports(campaign, names):
    form = campaign.forms.filter(is_current=True).first()
    return [
        Report.objects.create(
            campaign=campaign, unit=campaign.participating_units().get(short_name=n), form=form
        )
        for n in names
    ]


def test_it_answers_for_every_report_in_two_queries(demo):
    load_demo_events(demo.campaign)
    few = _reports(demo.campaign, ["县气象局"])
    many = few + _reports(demo.campaign, ["县农业农村局", "县发改委", "县科协", "县教体局"])
    assert "events" in _BATCH  # registered in its batch form: the dashboard asks once
    with CaptureQueriesContext(connection) as one:
        event_figures_many(few)
    with CaptureQueriesContext(connection) as five:
        figures = event_figures_many(many)
    assert len(one) == len(five) == 2
    # The same figures as asking report by report.
    for report in many:
        assert figures[report.pk] == event_figures_many([report])[report.pk]
    by_unit = {r.unit.short_name: figures[r.pk] for r in many}
    assert by_unit["县气象局"]["events_held"][0] == 2 and by_unit["县发改委"] == {}
    assert known_figures_many(many)[many[0].pk]["events_held"] == by_unit["县气象局"]["events_held"]
