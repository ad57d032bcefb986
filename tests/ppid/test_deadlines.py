"""The working-day clock of UU 14/2008: properties of the count (hypothesis), exact cases counted
by hand against the ``holidays`` package's Indonesian data, and the ``satudata ppid due`` command.

The 2026 and early 2027 dates the exact cases rely on, as the installed package (0.108,
categories ``public`` and ``government``) gives them, which match the SKB 3 Menteri for 2026:

- 18 Mar 2026 (Wed) Cuti Bersama Hari Suci Nyepi; 19 Mar (Thu) Hari Suci Nyepi;
  20 Mar (Fri) Cuti Bersama Idul Fitri; 21 Mar (Sat) Idul Fitri; 22 Mar (Sun) its second day;
  23 Mar (Mon) and 24 Mar (Tue) Cuti Bersama Idul Fitri: 18–24 March is one closed block.
- 3 Apr 2026 (Fri) Wafat Yesus Kristus; 5 Apr (Sun) Kebangkitan Yesus Kristus.
- 16 Jun 2026 (Tue) Tahun Baru Islam.
- 24 Dec 2026 (Thu) Cuti Bersama Natal; 25 Dec (Fri) Natal; no cuti bersama on 26 Dec (a Saturday).
- 1 Jan 2027 (Fri) Tahun Baru Masehi; 5 Jan 2027 (Tue) Isra Mikraj.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from satudata.errors import Invalid
from satudata.ppid.cli import ppid_group
from satudata.ppid.deadlines import (
    DISPUTE_DAYS,
    EXTENSION_MAX_DAYS,
    NOTICE_DAYS,
    OBJECTION_ANSWER_DAYS,
    OBJECTION_FILING_DAYS,
    CalendarOverrideError,
    CalendarRangeError,
    Deadline,
    ExtensionLengthError,
    WorkingCalendar,
    dispute_until,
    extended_due,
    load_calendar,
    notice_due,
    objection_answer_due,
    objection_filing_until,
    reminder_dates,
)

pytestmark = pytest.mark.nodb

CAL = WorkingCalendar()
D = date.fromisoformat

# Fixed examples, no example database: the suite behaves the same on every machine and run.
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)

# Years with both holiday categories in the package (cuti bersama is decreed a year ahead).
days_ = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 10, 31))
periods = st.integers(min_value=0, max_value=45)
positive_periods = st.integers(min_value=1, max_value=45)


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(start=days_, n=periods, m=periods)
def test_a_longer_period_never_ends_earlier(start: date, n: int, m: int) -> None:
    n, m = sorted((n, m))
    due_n, due_m = CAL.add_working_days(start, n), CAL.add_working_days(start, m)
    assert due_n <= due_m
    if 0 < n < m:
        assert due_n < due_m


@PROPERTY
@given(start=days_, n=positive_periods)
def test_a_period_ends_on_a_working_day_after_exactly_n_working_days(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert due > start
    assert CAL.is_working_day(due)
    assert CAL.holiday_name(due) is None
    assert CAL.working_days_between(start, due) == n
    assert CAL.working_day_number(start, due) == n
    assert CAL.working_days_between(due, start) == -n


@PROPERTY
@given(start=days_, n=positive_periods)
def test_every_skipped_day_is_a_named_non_working_day(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    skipped = CAL.days_off(start, due)
    for off in skipped:
        assert start < off.day < due
        assert not CAL.is_working_day(off.day)
        assert off.name == CAL.holiday_name(off.day)
    # The period is exactly its n working days and what it skipped.
    assert (due - start).days == n + len(skipped)


@PROPERTY
@given(start=days_, a=periods, b=periods)
def test_counting_on_is_additive(start: date, a: int, b: int) -> None:
    assert CAL.add_working_days(CAL.add_working_days(start, a), b) == CAL.add_working_days(start, a + b)


@PROPERTY
@given(start=days_, k=st.integers(min_value=1, max_value=EXTENSION_MAX_DAYS))
def test_the_extension_is_added_after_the_notice_due_date(start: date, k: int) -> None:
    original = notice_due(CAL, start)
    extended = extended_due(CAL, start, k)
    assert extended.due == CAL.add_working_days(original.due, k)
    assert extended.working_days == NOTICE_DAYS + k
    assert CAL.working_days_between(original.due, extended.due) == k


@PROPERTY
@given(start=days_, n=positive_periods, offset=st.integers(min_value=-5, max_value=80))
def test_an_extra_holiday_moves_the_due_date_by_one_working_day_only_inside_the_period(
        start: date, n: int, offset: int) -> None:
    closed = start + timedelta(days=offset)
    due = CAL.add_working_days(start, n)
    with_closure = WorkingCalendar(extra_holidays={closed: "Libur daerah"})
    moved = with_closure.add_working_days(start, n)
    if start < closed <= due and CAL.is_working_day(closed):
        assert moved == CAL.add_working_days(start, n + 1)
        assert CAL.working_days_between(due, moved) == 1
        assert with_closure.holiday_name(closed) == "Libur daerah"
    else:
        assert moved == due


@PROPERTY
@given(start=days_, n=positive_periods, offset=st.integers(min_value=-5, max_value=80))
def test_an_extra_working_day_shortens_the_period_only_inside_it(start: date, n: int, offset: int) -> None:
    opened = start + timedelta(days=offset)
    due = CAL.add_working_days(start, n)
    with_opening = WorkingCalendar(extra_working_days={opened})
    moved = with_opening.add_working_days(start, n)
    assert with_opening.is_working_day(opened)
    if start < opened < due and not CAL.is_working_day(opened):
        # The opened day takes a place among the n: the period ends on the old (n-1)-th
        # working day, or on the opened day itself when that comes later.
        assert moved == max(CAL.add_working_days(start, n - 1), opened)
    else:
        assert moved == due


@PROPERTY
@given(a=days_, b=days_)
def test_counting_between_two_days_is_antisymmetric(a: date, b: date) -> None:
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


# --------------------------------------------------------------------------- the 2026 holidays


def test_the_package_gives_nyepi_idul_fitri_and_their_cuti_bersama_2026() -> None:
    assert CAL.holiday_name(D("2026-03-18")) == "Cuti Bersama Hari Suci Nyepi"
    assert CAL.holiday_name(D("2026-03-19")) == "Hari Suci Nyepi"
    assert CAL.holiday_name(D("2026-03-20")) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CAL.holiday_name(D("2026-03-21")) == "Hari Raya Idul Fitri"  # a Saturday: named as the holiday
    assert CAL.holiday_name(D("2026-03-23")) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CAL.holiday_name(D("2026-03-24")) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CAL.is_working_day(D("2026-03-17"))
    assert CAL.is_working_day(D("2026-03-25"))
    assert [d for d in (D("2026-03-16") + timedelta(days=i) for i in range(10)) if not CAL.is_working_day(d)] == [
        D("2026-03-18"), D("2026-03-19"), D("2026-03-20"), D("2026-03-21"), D("2026-03-22"),
        D("2026-03-23"), D("2026-03-24")]


def test_weekends_are_named_and_working_days_are_not() -> None:
    assert CAL.holiday_name(D("2026-06-06")) == "Sabtu"
    assert CAL.holiday_name(D("2026-06-07")) == "Minggu"
    assert CAL.holiday_name(D("2026-06-08")) is None
    assert CAL.holiday_name(D("2026-12-26")) == "Sabtu"  # no cuti bersama after Natal in 2026


# --------------------------------------------------------------------------- exact cases


def test_a_request_registered_just_before_nyepi_and_idul_fitri_2026() -> None:
    # 16 Mar (Mon) is day 0. 17 Mar = 1; 18–24 Mar closed; 25, 26, 27 = 2–4; 30, 31 Mar,
    # 1, 2 Apr = 5–8; 3 Apr (Wafat Yesus Kristus) and 4–5 Apr closed; 6 Apr = 9; 7 Apr = 10.
    deadline = notice_due(CAL, D("2026-03-16"))
    assert deadline == Deadline(D("2026-03-16"), 10, D("2026-04-07"), CAL)
    assert [off.day for off in deadline.days_off() if not off.is_plain_weekend] == [
        D("2026-03-18"), D("2026-03-19"), D("2026-03-20"), D("2026-03-21"), D("2026-03-22"),
        D("2026-03-23"), D("2026-03-24"), D("2026-04-03"), D("2026-04-05")]
    # Registered the day after: 25 Mar is already day 1, 8 Apr day 10.
    assert notice_due(CAL, D("2026-03-17")).due == D("2026-04-08")
    # One working day from 17 Mar jumps the whole closed block.
    assert CAL.add_working_days(D("2026-03-17"), 1) == D("2026-03-25")


def test_registered_on_nyepi_itself() -> None:
    # 19 Mar (Nyepi) is day 0; day 1 is the first working day after it, 25 Mar; then 26, 27,
    # 30, 31 Mar, 1, 2, 6, 7 Apr; day 10 is 8 Apr, the same as for a registration on 17 Mar.
    assert notice_due(CAL, D("2026-03-19")).due == D("2026-04-08")
    assert CAL.working_day_number(D("2026-03-19"), D("2026-03-24")) == 0


def test_the_extension_after_idul_fitri_2026() -> None:
    # The notice was due on 7 Apr; 7 more working days: 8, 9, 10, 13, 14, 15, 16 Apr.
    deadline = extended_due(CAL, D("2026-03-16"), 7)
    assert (deadline.due, deadline.working_days) == (D("2026-04-16"), 17)
    assert extended_due(CAL, D("2026-03-16"), 1).due == D("2026-04-08")


def test_a_request_registered_on_a_saturday_counts_from_the_next_working_day() -> None:
    # Sat 6 Jun is day 0; Mon 8 Jun is day 1 … Fri 12 Jun day 5; Mon 15 Jun day 6; Tue 16 Jun
    # (Tahun Baru Islam) closed; 17, 18, 19 Jun days 7–9; Mon 22 Jun day 10.
    assert notice_due(CAL, D("2026-06-06")).due == D("2026-06-22")
    # The same as for the Friday before: the weekend gains and loses nothing.
    assert notice_due(CAL, D("2026-06-05")).due == D("2026-06-22")
    assert CAL.working_day_number(D("2026-06-06"), D("2026-06-07")) == 0
    assert CAL.working_day_number(D("2026-06-06"), D("2026-06-08")) == 1
    # Sat 14 Mar, just before the closed block: Mon 16 Mar is day 1, 17 Mar day 2 … 6 Apr day 10.
    assert notice_due(CAL, D("2026-03-14")).due == D("2026-04-06")


def test_across_the_year_end_2026_2027() -> None:
    # Mon 21 Dec is day 0. 22, 23 Dec = 1, 2; 24 Dec (cuti bersama Natal), 25 Dec (Natal),
    # 26–27 Dec closed; 28–31 Dec = 3–6; 1 Jan 2027 (Tahun Baru) and 2–3 Jan closed; Mon 4 Jan
    # = 7; Tue 5 Jan (Isra Mikraj 2027) closed; 6, 7, 8 Jan = 8, 9, 10.
    assert CAL.holiday_name(D("2026-12-24")) == "Cuti Bersama Hari Raya Natal"
    assert CAL.holiday_name(D("2026-12-25")) == "Hari Raya Natal"
    assert CAL.holiday_name(D("2027-01-01")) == "Tahun Baru Masehi"
    assert notice_due(CAL, D("2026-12-21")).due == D("2027-01-08")
    assert reminder_dates(CAL, D("2026-12-21")) == [D("2027-01-04"), D("2027-01-08")]
    # Fourteen working days: … 8 Jan = 10, then 11, 12, 13, 14 Jan.
    assert dispute_until(CAL, D("2026-12-21")).due == D("2027-01-14")


def test_the_other_periods_of_the_law() -> None:
    start = D("2026-03-16")
    assert objection_filing_until(CAL, start).working_days == OBJECTION_FILING_DAYS == 30
    assert objection_answer_due(CAL, start).working_days == OBJECTION_ANSWER_DAYS == 30
    assert dispute_until(CAL, start).working_days == DISPUTE_DAYS == 14
    # 30 working days from 16 Mar: 7 Apr is the 10th; 8–10, 13–17, 20–24 and 27–30 Apr add 17
    # for 27; 1 May (Hari Buruh) and 2–3 May closed; 4, 5, 6 May for 28, 29, 30.
    assert objection_answer_due(CAL, start).due == D("2026-05-06")


def test_reminders_on_days_7_and_10_and_on_the_last_day_of_the_extension() -> None:
    # From 16 Mar 2026: day 7 is 1 Apr, day 10 is 7 Apr, the extension of 3 ends on 10 Apr.
    assert reminder_dates(CAL, D("2026-03-16")) == [D("2026-04-01"), D("2026-04-07")]
    assert reminder_dates(CAL, D("2026-03-16"), 3) == [D("2026-04-01"), D("2026-04-07"), D("2026-04-10")]


def test_the_progress_of_a_deadline() -> None:
    deadline = notice_due(CAL, D("2026-03-16"))
    assert str(deadline.progress(D("2026-03-26"))) == "hari kerja ke-3 dari 10"
    assert deadline.progress(D("2026-03-21")).day == 1  # closed days do not move the count
    assert deadline.days_left(D("2026-03-26")) == 7
    assert deadline.days_left(D("2026-04-04")) == 2  # a Saturday: Monday and the due Tuesday are left
    assert deadline.days_left(D("2026-04-07")) == 0
    assert not deadline.is_overdue(D("2026-04-07"))
    assert deadline.is_overdue(D("2026-04-08"))
    assert deadline.days_left(D("2026-04-09")) == -2
    assert str(deadline.progress(D("2026-04-09"))) == "hari kerja ke-12 dari 10"
    with pytest.raises(ValueError):
        deadline.progress(D("2026-03-15"))


def test_day_zero_is_the_registration_day() -> None:
    assert CAL.add_working_days(D("2026-03-16"), 0) == D("2026-03-16")
    assert CAL.add_working_days(D("2026-03-21"), 0) == D("2026-03-21")
    assert CAL.working_days_between(D("2026-03-16"), D("2026-03-16")) == 0
    with pytest.raises(ValueError):
        CAL.add_working_days(D("2026-03-16"), -1)


# --------------------------------------------------------------------------- overrides and refusals


def test_overrides_win_over_the_package() -> None:
    calendar = WorkingCalendar(extra_holidays={D("2026-03-31"): "Libur daerah (banjir)"},
                               extra_working_days={D("2026-03-24")})
    assert calendar.holiday_name(D("2026-03-31")) == "Libur daerah (banjir)"
    assert calendar.is_working_day(D("2026-03-24"))
    # From 16 Mar: 17 = 1, 24 = 2, 25–27 = 3–5, 30 = 6, 31 closed, 1, 2 Apr = 7, 8, 6, 7 Apr = 9, 10.
    assert notice_due(calendar, D("2026-03-16")).due == D("2026-04-07")
    assert notice_due(WorkingCalendar(extra_holidays={D("2026-03-31"): "Libur daerah"}), D("2026-03-16")).due \
        == D("2026-04-08")
    assert notice_due(WorkingCalendar(extra_working_days={D("2026-03-24")}), D("2026-03-16")).due == D("2026-04-06")


def test_calendars_are_immutable_values() -> None:
    overrides = {D("2026-03-31"): "Libur daerah"}
    calendar = WorkingCalendar(extra_holidays=overrides)
    overrides[D("2026-04-01")] = "Later"  # the caller's dict is copied, not kept
    assert calendar.is_working_day(D("2026-04-01"))
    assert calendar == WorkingCalendar(extra_holidays={D("2026-03-31"): "Libur daerah"})
    assert hash(calendar) == hash(WorkingCalendar(extra_holidays={D("2026-03-31"): "Libur daerah"}))
    assert load_calendar() == WorkingCalendar()
    with pytest.raises(AttributeError):
        calendar.extra_holidays = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        calendar.extra_holidays[D("2026-04-02")] = "x"  # type: ignore[index]


def test_contradicting_or_unnamed_overrides_are_refused_in_indonesian() -> None:
    with pytest.raises(CalendarOverrideError, match="sekaligus") as caught:
        WorkingCalendar(extra_holidays={D("2026-03-31"): "Libur daerah"}, extra_working_days={D("2026-03-31")})
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, Invalid)
    with pytest.raises(CalendarOverrideError, match="harus diberi nama"):
        WorkingCalendar(extra_holidays={D("2026-03-31"): "  "})


@pytest.mark.parametrize("days", [0, -1, EXTENSION_MAX_DAYS + 1, True])
def test_an_extension_outside_1_to_7_working_days_is_refused(days: int) -> None:
    with pytest.raises(ExtensionLengthError, match=r"Perpanjangan waktu harus 1 sampai 7 hari kerja") as caught:
        extended_due(CAL, D("2026-03-16"), days)
    assert isinstance(caught.value, ValueError)
    assert caught.value.details == {"extension_days": [caught.value.message]}


def test_a_datetime_is_refused_because_its_local_date_is_unknown() -> None:
    with pytest.raises(TypeError, match="local date"):
        CAL.add_working_days(datetime(2026, 3, 16, 20, 0), 10)


def test_a_year_without_holiday_data_is_refused_rather_than_counted_without_holidays() -> None:
    with pytest.raises(CalendarRangeError, match="di luar jangkauan"):
        CAL.add_working_days(D("2150-01-01"), 0)
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(D("1900-01-01"))


# --------------------------------------------------------------------------- satudata ppid due


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(ppid_group, ["due", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_due_prints_the_iso_date_then_a_human_line() -> None:
    code, lines, _ = run("--from", "2026-03-16", "--days", "10")
    assert code == 0
    assert lines[0] == "2026-04-07"
    assert lines[1].startswith("Jatuh tempo: Selasa, 7 April 2026 (10 hari kerja sejak 16 Maret 2026; dilewati: "
                               "Cuti Bersama Hari Suci Nyepi (18 Maret 2026), Hari Suci Nyepi (19 Maret 2026), ")
    assert "Wafat Yesus Kristus (3 April 2026)" in lines[1]
    assert lines[1].endswith(", 3 hari Sabtu/Minggu)")  # 28, 29 Mar and 4 Apr
    assert len(lines) == 2


def test_due_counts_ten_working_days_by_default() -> None:
    code, lines, _ = run("--from", "2026-12-21")
    assert (code, lines[0]) == (0, "2027-01-08")


def test_due_as_json() -> None:
    code, lines, _ = run("--from", "2026-03-16", "--json")
    assert code == 0 and len(lines) == 1
    answer = json.loads(lines[0])
    assert set(answer) == {"from", "days", "due", "skipped"}
    assert (answer["from"], answer["days"], answer["due"]) == ("2026-03-16", 10, "2026-04-07")
    assert answer["skipped"][0] == {"date": "2026-03-18", "name": "Cuti Bersama Hari Suci Nyepi"}
    assert {"date": "2026-03-28", "name": "Sabtu"} in answer["skipped"]
    assert len(answer["skipped"]) == 12  # 7 closed days in March, 28–29 Mar, 3–5 Apr


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "16-03-2026"], "Tanggal --from tidak valid"),
    (["--from", "2026-02-30"], "Tanggal --from tidak valid"),
    (["--from", "2026-03-16", "--days", "-1"], "Jumlah hari kerja --days tidak valid"),
    (["--from", "2026-03-16", "--days", "366"], "Jumlah hari kerja --days tidak valid"),
    (["--from", "2026-03-16", "--days", "sepuluh"], "Jumlah hari kerja --days tidak valid"),
    (["--from", "2150-01-01"], "Data hari libur hanya tersedia"),
])
def test_due_refuses_bad_input_with_exit_status_2(args: list[str], message: str) -> None:
    code, lines, err = run(*args)
    assert code == 2
    assert message in err
    assert not lines
