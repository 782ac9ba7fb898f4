//! Hours before Caredesk: an agency new to Caredesk types in its carers'
//! hours from the old rota for the weeks before its records begin, and the
//! 48-hour average is taken over the full 17 weeks with them.

use crate::support;
use crate::working_time::{d, give_all, two_clients_every_day, ALBERT_ACROSS_TOWN, MARGARET};
use caredesk::clock::FixedClock;
use caredesk::import::{import, preview, ImportKind};
use caredesk::people::hours_before::EarlierHoursStatus;
use caredesk::people::{self, HoursBeforeForm, PeriodKind, WeekHoursInput};
use caredesk::rota::board;
use caredesk::rules::RuleId;
use caredesk::travel::{estimate, TravelSettings};
use caredesk::Error;
use caredesk::Store;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// Sarah (started 2024) with 17 weeks of calls rolled from 2 March, only
/// the last three (8 to 28 June) given to her, so the agency's records of
/// work begin on 8 June; today is Wednesday 24 June. Her three weeks are
/// over 48 hours: 400 minutes of visits a day and the travel between them.
fn new_to_caredesk() -> (Store, Uuid, u32) {
    let (mut store, sarah) = two_clients_every_day(ALBERT_ACROSS_TOWN, 200.0, 17);
    give_all(&mut store, sarah, d(6, 8), d(6, 28));
    let store = store.with_clock(Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 6, 24, 9, 0, 0).unwrap())));
    let leg = estimate(MARGARET, ALBERT_ACROSS_TOWN, people::Transport::Car, &TravelSettings::default()).minutes;
    (store, sarah, 7 * (400 + leg))
}

fn average_finding(store: &Store, sarah: Uuid) -> Option<String> {
    let board = board(store, d(6, 22), 7).unwrap();
    let row = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah has a row");
    row.findings.iter().find(|f| f.rule == RuleId::WeeklyAverage48h).map(|f| f.message.to_string())
}

fn page(store: &Store, sarah: Uuid) -> people::WorkingTime {
    people::carer_detail(store.read(), sarah, store.today()).unwrap().working_time
}

/// The same hours typed for each week the form offers.
fn every_week(form: &HoursBeforeForm, hours: &str) -> Vec<WeekHoursInput> {
    form.weeks.iter().map(|w| WeekHoursInput { week: w.week, hours: hours.into() }).collect()
}

fn week(date: NaiveDate, hours: &str) -> WeekHoursInput {
    WeekHoursInput { week: date, hours: hours.into() }
}

#[test]
fn a_carer_whose_hours_before_caredesk_are_entered_is_averaged_over_the_full_17_weeks() {
    let (mut store, sarah, recorded) = new_to_caredesk();
    let form = people::hours_before_form(store.read(), sarah, store.today()).unwrap();
    assert_eq!(form.records_from, Some(d(6, 8)), "the agency's records begin on 8 June");
    let weeks: Vec<NaiveDate> = form.weeks.iter().map(|w| w.week).collect();
    let expected: Vec<NaiveDate> = (0..14).map(|i| d(3, 2) + Duration::weeks(i)).collect();
    assert_eq!(weeks, expected, "the 14 weeks from 2 March, 16 before this one, to the records");
    assert!(form.weeks.iter().all(|w| w.hours.is_empty()), "nothing entered yet");
    let before = average_finding(&store, sarah).expect("three heavy weeks alone are over 48 hours");
    assert!(before.contains("over the 3 weeks Caredesk has records for"), "{before}");

    // Twenty hours a week before Caredesk bring her under 48 over 17 weeks.
    let saved = people::save_hours_before(&mut store, sarah, &every_week(&form, "20")).unwrap();
    assert!(saved.weeks.iter().all(|w| w.hours == "20"), "the form reads back as saved: {saved:?}");
    let light = (14 * 20 * 60 + 3 * recorded) / 17;
    assert!(light < 48 * 60);
    assert_eq!(average_finding(&store, sarah), None, "averaged {light} min a week over 17 weeks");
    let wt = page(&store, sarah);
    assert_eq!(
        (wt.from, wt.weeks, wt.period, wt.entered_min, wt.average_min, wt.over_limit),
        (d(3, 2), 17, PeriodKind::SeventeenWeeks, 14 * 20 * 60, light, false),
        "her page averages over the same 17 weeks"
    );

    // The near miss: fifty hours a week before keep her over.
    people::save_hours_before(&mut store, sarah, &every_week(&form, "50:00")).unwrap();
    let heavy = (14 * 50 * 60 + 3 * recorded) / 17;
    let message = average_finding(&store, sarah).expect("50 hours a week before Caredesk is over 48 on average");
    let expected = format!("averages {} h {:02} min a week over 17 weeks", heavy / 60, heavy % 60);
    assert!(message.contains(&expected), "expected \"{expected}\" in \"{message}\"");
    assert_eq!((page(&store, sarah).average_min, page(&store, sarah).over_limit), (heavy, true));

    let history = caredesk::history::record_history(store.read(), sarah).unwrap();
    let logged = history.iter().filter(|h| h.entity_label == "Hours before Caredesk").count();
    assert_eq!(logged, 28, "14 weeks entered, then 14 changed, each on Sarah's history");
}

#[test]
fn hours_for_only_the_last_weeks_before_caredesk_average_from_the_first_week_entered() {
    let (mut store, sarah, recorded) = new_to_caredesk();
    people::save_hours_before(&mut store, sarah, &[week(d(5, 25), "60"), week(d(6, 1), "60")]).unwrap();
    let wt = page(&store, sarah);
    // 25 May and 1 June, entered, and her three recorded weeks.
    assert_eq!((wt.from, wt.weeks, wt.period), (d(5, 25), 5, PeriodKind::SinceRecords));
    assert_eq!(wt.average_min, (2 * 60 * 60 + 3 * recorded) / 5);
    let message = average_finding(&store, sarah).expect("two weeks of 60 hours and three heavy weeks are over 48");
    assert!(message.contains("over the 5 weeks Caredesk has records for, from Mon 25 May 2026"), "{message}");

    // 1 June emptied: a week left empty after the first entered is no work.
    people::save_hours_before(&mut store, sarah, &[week(d(6, 1), "")]).unwrap();
    let wt = page(&store, sarah);
    let average = (60 * 60 + 3 * recorded) / 5;
    assert!(average < 48 * 60);
    assert_eq!((wt.from, wt.weeks, wt.average_min, wt.over_limit), (d(5, 25), 5, average, false));
    assert_eq!(average_finding(&store, sarah), None, "averaged {average} min a week over five weeks");
}

#[test]
fn hours_for_weeks_caredesk_holds_or_the_average_cannot_reach_are_refused_and_nothing_is_saved() {
    let (mut store, sarah, _) = new_to_caredesk();
    let typed = [
        week(d(3, 9), "37.5"),
        week(d(6, 8), "10"),
        week(d(2, 23), "10"),
        week(d(3, 16), "forty"),
        week(d(3, 23), "169"),
        week(d(3, 9), "12"),
    ];
    let refused = support::invalid_fields(people::save_hours_before(&mut store, sarah, &typed));
    let fields: Vec<&str> = refused.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["weeks[1].hours", "weeks[2].hours", "weeks[3].hours", "weeks[4].hours", "weeks[5].hours"]);
    let says = |i: usize| refused[i].1.as_str();
    assert_eq!(
        says(0),
        "Caredesk holds the agency's work from the week of Mon 8 Jun 2026: the visits of the week of Mon 8 Jun 2026 count already"
    );
    assert_eq!(
        says(1),
        "The week of Mon 23 Feb 2026 is more than 16 weeks before this one: the 48-hour average no longer reaches it"
    );
    assert_eq!(says(2), "\"forty\" is not a number of hours: write 37.5 or 37:30");
    assert_eq!(says(3), "A week has 168 hours: enter the hours worked in this week alone");
    assert_eq!(says(4), "The week of Mon 9 Mar 2026 is given twice");
    assert_eq!(support::count(&store, "SELECT count(*) FROM carer_hours_before_caredesk"), 0, "nothing saved");

    // An emptied week takes its entry away; a week not given keeps its own.
    people::save_hours_before(&mut store, sarah, &[week(d(3, 9), "37.5"), week(d(3, 16), "30")]).unwrap();
    let form = people::save_hours_before(&mut store, sarah, &[week(d(3, 9), " ")]).unwrap();
    let hours = |date| form.weeks.iter().find(|w| w.week == date).map(|w| w.hours.clone());
    assert_eq!((hours(d(3, 9)), hours(d(3, 16))), (Some(String::new()), Some("30".into())));
    assert_eq!(support::count(&store, "SELECT count(*) FROM carer_hours_before_caredesk WHERE deleted_at IS NULL"), 1);
}

#[test]
fn a_carer_who_started_since_can_enter_only_the_weeks_since_starting() {
    let (mut store, _, _) = new_to_caredesk();
    let mut form = support::carer_form();
    form.given_name = "Priya".into();
    form.started_on = "2026-04-15".into();
    let priya = people::save_carer(&mut store, &form).unwrap();
    let offered = people::hours_before_form(store.read(), priya, store.today()).unwrap();
    assert_eq!(offered.weeks.first().map(|w| w.week), Some(d(4, 13)), "from the week she started, a Wednesday");
    assert_eq!(offered.weeks.len(), 8, "13 April to 1 June");
    let refused = support::invalid_fields(people::save_hours_before(&mut store, priya, &[week(d(4, 6), "20")]));
    assert_eq!(refused[0].1, "Priya Evans started on Wed 15 Apr 2026, after the week of Mon 6 Apr 2026");
}

#[test]
fn entered_hours_count_for_nothing_once_the_agencys_records_reach_back_17_weeks() {
    let (mut store, sarah, _) = new_to_caredesk();
    let form = people::hours_before_form(store.read(), sarah, store.today()).unwrap();
    people::save_hours_before(&mut store, sarah, &every_week(&form, "50")).unwrap();
    assert!(average_finding(&store, sarah).is_some(), "50 hours a week before and three heavy weeks are over");
    // Someone gives the visits of 2 March after all: the agency's own
    // records now cover the 17 weeks, and the typed hours would count twice.
    give_all(&mut store, sarah, d(3, 2), d(3, 2));
    let wt = page(&store, sarah);
    assert_eq!((wt.period, wt.entered_min), (PeriodKind::SeventeenWeeks, 0), "the entered hours no longer count");
    assert_eq!(average_finding(&store, sarah), None, "three heavy weeks among 17 are under 48 on average");
    let offered = people::hours_before_form(store.read(), sarah, store.today()).unwrap();
    assert!(offered.weeks.is_empty(), "nothing left to enter: {offered:?}");
}

const PAYROLL_HEADER: &str = "carer_given_name,carer_family_name,carer_phone,week,hours\n";

#[test]
fn an_agencys_hours_before_caredesk_come_in_from_a_payroll_file_and_are_counted() {
    let (mut store, sarah, recorded) = new_to_caredesk();
    // Payroll's weeks end on a Sunday: 8 March to 7 June, 14 weeks.
    let lines: String =
        (0..14).map(|i| format!("sarah,EVANS,07700900123,{},50:00\n", d(3, 8) + Duration::weeks(i))).collect();
    let file = format!("{PAYROLL_HEADER}{lines}");
    let seen = preview(&store, ImportKind::HoursBefore, file.as_bytes()).unwrap();
    assert!(seen.ready, "nothing wrong: {:?}", seen.problems);
    assert_eq!(import(&mut store, ImportKind::HoursBefore, file.as_bytes()).unwrap().count, 14);
    let form = people::hours_before_form(store.read(), sarah, store.today()).unwrap();
    assert!(form.weeks.iter().all(|w| w.hours == "50"), "each Monday's week holds its Sunday's line: {form:?}");
    let heavy = (14 * 50 * 60 + 3 * recorded) / 17;
    let message = average_finding(&store, sarah).expect("50 hours a week before Caredesk is over 48 on average");
    assert!(message.contains(&format!("averages {} h {:02} min a week over 17 weeks", heavy / 60, heavy % 60)));
    let actors =
        support::texts(&store, "SELECT DISTINCT actor FROM change_log WHERE entity = 'carer_hours_before_caredesk'");
    assert_eq!(actors, vec![support::COORDINATOR.to_string()], "through the write path, signed");
}

#[test]
fn a_payroll_file_with_bad_lines_is_refused_with_every_problem_and_nothing_is_imported() {
    let (mut store, _, _) = new_to_caredesk();
    let file = format!(
        "{PAYROLL_HEADER}{}",
        [
            "Sarah,Evans,07700 900123,2026-03-02,40",   // 2: fine
            "Sarah,Evans,07700 999999,2026-03-09,40",   // 3: no such phone
            "Sarah,Evans,07700 900123,9 March,40",      // 4: not a date
            "Sarah,Evans,07700 900123,2026-06-08,40",   // 5: Caredesk holds that week
            "Sarah,Evans,07700 900123,2026-03-16,lots", // 6: not hours
            "Sarah,Evans,07700 900123,2026-03-08,38",   // 7: the week of line 2 again
            "Sarah,Evans,07700 900123,2026-03-23,",     // 8: no hours
        ]
        .map(|line| format!("{line}\n"))
        .concat()
    );
    let seen = preview(&store, ImportKind::HoursBefore, file.as_bytes()).unwrap();
    let problems: Vec<(u32, &str)> = seen.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(
        problems,
        [(3, "carer_family_name"), (4, "week"), (5, "week"), (6, "hours"), (7, "week"), (8, "hours")],
        "{:?}",
        seen.problems
    );
    assert_eq!(seen.problems[4].message, "The same carer and week as line 2");
    assert!(seen.problems[2]
        .message
        .to_string()
        .starts_with("Caredesk holds the agency's work from the week of Mon 8 Jun 2026"));
    match import(&mut store, ImportKind::HoursBefore, file.as_bytes()) {
        Err(Error::Invalid(fields)) => assert_eq!(fields.len(), 6, "every problem, by line: {fields:?}"),
        other => panic!("expected the file refused, got {other:?}"),
    }
    assert_eq!(support::count(&store, "SELECT count(*) FROM carer_hours_before_caredesk"), 0, "not even line 2");
}

#[test]
fn the_today_page_asks_for_carers_earlier_hours_while_the_agencys_records_are_new() {
    let (mut store, sarah, _) = new_to_caredesk();
    let mut form = support::carer_form();
    (form.given_name, form.phone, form.started_on) = ("Priya".into(), "07700 900456".into(), "2026-04-15".into());
    let priya = people::save_carer(&mut store, &form).unwrap();
    let status = |store: &Store| people::overview(store.read(), store.today()).unwrap().earlier_hours;
    let asked = |carers_entered| EarlierHoursStatus { records_from: d(6, 8), weeks_held: 3, carers: 2, carers_entered };
    assert_eq!(status(&store), Some(asked(0)), "three weeks of records, two carers who worked before them");
    people::save_hours_before(&mut store, sarah, &[week(d(5, 25), "40")]).unwrap();
    assert_eq!(status(&store), Some(asked(1)));
    people::save_hours_before(&mut store, priya, &[week(d(4, 13), "20")]).unwrap();
    assert_eq!(status(&store), None, "every carer who could have earlier hours has some");

    // The near miss: an agency whose own records reach back 17 weeks is not asked.
    let (mut store, sarah, _) = new_to_caredesk();
    give_all(&mut store, sarah, d(3, 2), d(3, 2));
    assert_eq!(status(&store), None);
}
