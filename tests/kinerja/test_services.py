"""The kinerja figures of the small world of ``conftest``: each figure counted as the module's
docstring defines it, for the year and each quarter, and "—" (None) where there is nothing to
count."""

from __future__ import annotations

from typing import Any

import pytest

from satudata.authz import SystemActor
from satudata.errors import Forbidden, Invalid
from satudata.kinerja import services
from satudata.kinerja.services import Period
from satudata.review.quality import quality_of
from tests.kinerja.conftest import TODAY, YEAR, World, add_first_quarter_records


def _figures(world: World, key: str = "dinkes") -> list[services.Figures]:
    org = world.orgs[key]
    return services.compute([org.id], YEAR, today=TODAY)[org.id]


def test_daftar_data_items_by_release_date_on_time_late_overdue_upcoming(world: World) -> None:
    year, q1, q2, q3, q4 = _figures(world)
    d = year.daftar
    assert (d.due, d.on_time, d.late, d.overdue, d.upcoming) == (4, 1, 1, 1, 1)  # E (2026) is not due in 2025
    assert d.on_time_share == pytest.approx(33.3)  # 1 of the 3 whose outcome is known
    assert (q1.daftar.on_time, q1.daftar.due) == (1, 1) and q1.daftar.on_time_share == 100.0
    assert (q2.daftar.late, q2.daftar.on_time_share) == (1, 0.0)  # 0 %, not "—": one item, late
    assert (q3.daftar.overdue, q3.daftar.on_time_share) == (1, 0.0)
    assert (q4.daftar.upcoming, q4.daftar.decided, q4.daftar.on_time_share) == (1, 0, None)  # nothing known yet


def test_the_daftar_figures_agree_with_the_release_calendar(world: World) -> None:
    from satudata.review.daftar import services as daftar
    from satudata.review.daftar.status import ItemStatus

    rows = daftar.list_items(year=YEAR, organization_ids=[world.orgs["dinkes"].id], today=TODAY)
    counts = daftar.count_statuses(rows)
    d = _figures(world)[0].daftar
    assert counts[ItemStatus.PUBLISHED] == d.on_time + d.late
    assert counts[ItemStatus.LATE] == d.overdue


def test_the_next_day_an_upcoming_item_becomes_overdue(world: World) -> None:
    org = world.orgs["dinkes"]
    later = services.compute([org.id], YEAR, today=TODAY.replace(day=25))[org.id][4].daftar
    assert (later.upcoming, later.overdue, later.on_time_share) == (0, 1, 0.0)


def test_quality_is_the_average_score_of_published_datasets(world: World) -> None:
    year, q1, q2, q3, q4 = _figures(world)
    a, b = world.datasets["A"], world.datasets["B"]
    scores = [quality_of(a).score, quality_of(b).score]
    assert year.quality.datasets == 2  # C is a draft
    assert year.quality.average == pytest.approx(round(sum(scores) / 2, 1))
    assert q1.quality.scores == [quality_of(a).score] and q2.quality.scores == [quality_of(b).score]
    assert q3.quality.average is None and q4.quality.average is None


def test_a_table_that_failed_then_passed_counts_as_failed_at_first(world: World) -> None:
    year, q1, q2, q3, q4 = _figures(world)
    assert (year.validation.uploaded, year.validation.passed) == (3, 2)
    assert year.validation.pass_rate == pytest.approx(66.7)
    assert (q1.validation.pass_rate, q2.validation.pass_rate) == (100.0, 100.0)
    assert (q3.validation.uploaded, q3.validation.pass_rate) == (1, 0.0)
    assert q4.validation.pass_rate is None


def test_time_in_review_from_each_submission_to_the_walidatas_decision(world: World) -> None:
    year, q1, q2, q3, q4 = _figures(world)
    assert sorted(year.review.days) == [2.0, 4.0, 6.0]  # C's retracted submission has no decision
    assert (year.review.median_days, year.review.mean_days) == (4.0, 4.0)
    assert q1.review.days == [6.0]
    assert sorted(q2.review.days) == [2.0, 4.0] and q2.review.median_days == 3.0
    assert q3.review.median_days is None and q4.review.mean_days is None


def test_ppid_requests_answered_on_time_by_the_stored_deadline(world: World) -> None:
    year, q1, q2, q3, q4 = _figures(world)
    assert (year.ppid.answered, year.ppid.on_time, year.ppid.overdue) == (2, 1, 1)
    assert year.ppid.on_time_share == 50.0
    assert q1.ppid.on_time_share == 100.0
    assert (q2.ppid.answered, q2.ppid.on_time_share) == (1, 0.0)
    assert (q3.ppid.answered, q3.ppid.overdue, q3.ppid.on_time_share) == (0, 1, None)


def test_an_opd_with_nothing_has_no_shares(world: World) -> None:
    for f in _figures(world, "kominfo"):
        assert f.is_empty
        assert f.daftar.on_time_share is None and f.quality.average is None and f.validation.pass_rate is None
        assert f.review.median_days is None and f.review.mean_days is None and f.ppid.on_time_share is None


def test_details_list_the_records_behind_the_numbers(world: World) -> None:
    org = world.orgs["dinkes"]
    details = services.Details(Period(YEAR))
    services.compute([org.id], YEAR, today=TODAY, details=details)
    assert {(x.item.title, x.status) for x in details.late_items} == {
        (world.items["B"].title, "late"), (world.items["C"].title, "overdue")}
    late_b = next(x for x in details.late_items if x.status == "late")
    assert late_b.days_late == 18  # 15 May -> 2 June
    assert [s.days for s in details.slow_reviews] == [6.0, 4.0, 2.0]
    assert [t.name for t in details.failed_tables] == ["Kasus DBD"]
    assert {r.number for r in details.late_requests} == {world.requests["late"].number,
                                                         world.requests["open"].number}


def test_the_summary_groups_opd_under_their_region_with_totals(world: World) -> None:
    summary = services.summary_for(SystemActor("tests"), Period(YEAR), today=TODAY)
    names = [g.region.slug for g in summary.groups if g.region is not None]
    assert names == ["pemprov-riau", "pemkot-dumai"]  # the province first
    riau = summary.groups[0]
    assert [r.organization.slug for r in riau.rows] == ["dinkes-riau", "diskominfotik-riau"]  # worst first, "—" last
    assert riau.total.daftar.due == 4 and summary.total.daftar.due == 4
    assert [q.daftar.due for q in summary.quarters] == [1, 1, 1, 1]
    q2 = services.summary_for(SystemActor("tests"), Period(YEAR, 2), today=TODAY)
    assert q2.total.daftar.due == 1 and q2.period.label == f"T2 {YEAR}"


def test_sorting_by_name_and_by_a_figure(world: World) -> None:
    by_name = services.public_summary(Period(YEAR), sort="nama", today=TODAY)
    assert [r.organization.slug for r in by_name.groups[0].rows] == ["dinkes-riau", "diskominfotik-riau"]
    by_review = services.public_summary(Period(YEAR), sort="telaah", today=TODAY)
    assert by_review.groups[0].rows[0].organization.slug == "dinkes-riau"


def test_the_walidata_of_another_region_sees_only_their_region(world: World) -> None:
    dumai = services.summary_for(world.users["walidata_dumai"], Period(YEAR), today=TODAY)
    assert [r.organization.slug for r in dumai.rows] == ["dinkes-dumai"]
    riau = services.summary_for(world.users["walidata"], Period(YEAR), today=TODAY)
    assert {r.organization.slug for r in riau.rows} == {"dinkes-riau", "diskominfotik-riau"}
    atasan = services.summary_for(world.users["atasan_ppid"], Period(YEAR), today=TODAY)
    assert {r.organization.slug for r in atasan.rows} == {"dinkes-riau", "diskominfotik-riau"}
    with pytest.raises(Forbidden):
        services.summary_for(world.users["produsen"], Period(YEAR), today=TODAY)
    with pytest.raises(Forbidden):
        services.organization_for(world.users["walidata_dumai"], "dinkes-riau")


@pytest.mark.parametrize(("year", "quarter"), [(1999, None), (2025, 5), (2025, 0), ("2025", None)])
def test_a_bad_period_is_refused_with_what_to_write(app: Any, year: Any, quarter: Any) -> None:
    with pytest.raises(Invalid) as err:
        services.check_period(year, quarter)
    assert err.value.details


def test_quarters_bound_the_days(app: Any) -> None:
    assert (Period(2024, 1).start.isoformat(), Period(2024, 1).end.isoformat()) == ("2024-01-01", "2024-03-31")
    assert Period(2024, 2).end.isoformat() == "2024-06-30" and Period(2024, 4).end.isoformat() == "2024-12-31"
    assert Period(2024).key == "2024" and Period(2024, 3).label == "T3 2024"


# --------------------------------------------------------------------------- the lists of a quarter


def _lists(world: World, quarter: int | None) -> dict[str, set[str]]:
    """What the OPD's page lists for ``quarter`` of the year (None: the whole year)."""
    d = services.opd_detail(SystemActor("tests"), world.orgs["dinkes"], Period(YEAR, quarter), today=TODAY).details
    return {"items": {x.item.title for x in d.late_items}, "reviews": {s.dataset_slug for s in d.slow_reviews},
            "tables": {t.name for t in d.failed_tables}, "requests": {r.number for r in d.late_requests}}


def test_a_quarters_lists_hold_only_that_quarters_records(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = add_first_quarter_records(world, monkeypatch)
    t1 = {"items": {extra.item.title}, "reviews": {world.datasets["A"].slug},
          "tables": {extra.table_name}, "requests": {extra.request.number}}
    t3 = {"items": {world.items["C"].title}, "reviews": {extra.sent_back.slug},
          "tables": {"Kasus DBD"}, "requests": {world.requests["open"].number}}
    assert _lists(world, 1) == t1
    assert _lists(world, 3) == t3
    year = _lists(world, None)
    for key in t1:
        assert t1[key] | t3[key] <= year[key], key  # the year lists both (and T2's)
    assert year["items"] == {extra.item.title, world.items["B"].title, world.items["C"].title}
    assert year["requests"] == {extra.request.number, world.requests["late"].number, world.requests["open"].number}


def test_every_periods_lists_hold_the_records_its_figures_count(world: World,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists and the figures bin each record by the same date and quarter: a list is as long
    as the figure it explains, in the year and in each quarter."""
    add_first_quarter_records(world, monkeypatch)
    org = world.orgs["dinkes"]
    for quarter in (None, *services.QUARTERS):
        found = services.opd_detail(SystemActor("tests"), org, Period(YEAR, quarter), today=TODAY)
        f, d = found.figures, found.details
        assert f is (found.year if quarter is None else found.quarters[quarter - 1])
        assert len(d.late_items) == f.daftar.late + f.daftar.overdue, quarter
        assert len(d.failed_tables) == f.validation.failed, quarter
        assert len(d.late_requests) == f.ppid.late + f.ppid.overdue, quarter
        assert sorted(s.days for s in d.slow_reviews) == sorted(round(x, 1) for x in f.review.days), quarter


def test_the_lists_must_be_of_the_computed_year(world: World) -> None:
    with pytest.raises(ValueError):
        services.compute([world.orgs["dinkes"].id], YEAR, today=TODAY, details=services.Details(Period(YEAR + 1)))
