//! The weekly rest over a fortnight, as an agency may choose under the
//! Working Time Regulations (regulation 11(2)): the choice saved through the
//! write path, each week's rests kept as the rota changes, and the rota's
//! finding following both.

use crate::support::{self, count};
use caredesk::people::{self, PackageInput, Weekday};
use caredesk::rota::{self, allocate, board};
use caredesk::rules::RuleId;
use caredesk::working_time_settings::{
    save_working_time_settings, working_time_settings, RestPeriod, WorkingTimeSettings, WorkingTimeSettingsInput,
};
use caredesk::{Error, Store};
use chrono::NaiveDate;
use uuid::Uuid;

fn d(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// Margaret's calls at 08:00 and 20:00 every day of the fortnight from
/// Monday 2 March, and Sarah given every one of them up to `last_day`:
/// twelve days on (to Friday 13 March) is alternate weekends.
fn sarah_every_day_until(last_day: NaiveDate) -> (Store, Uuid) {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let margaret = people::save_client(&mut store, &support::client_form()).unwrap();
    for at in ["08:00", "20:00"] {
        let every_day = PackageInput {
            weekdays: Weekday::ALL.to_vec(),
            start_time: at.into(),
            duration_min: Some(60.0),
            required_skills: vec![],
            ..support::package_form(margaret)
        };
        people::save_package(&mut store, &every_day).unwrap();
    }
    rota::roll_forward(&mut store, d(3, 2), d(3, 15), &mut |_| {}).unwrap();
    give(&mut store, sarah, d(3, 2), last_day);
    (store, sarah)
}

/// Gives Sarah every visit from `from` to `to`.
fn give(store: &mut Store, sarah: Uuid, from: NaiveDate, to: NaiveDate) {
    let waiting = support::texts(
        store,
        &format!("SELECT id FROM visits WHERE local_date BETWEEN '{from}' AND '{to}' ORDER BY starts_at"),
    );
    for visit in waiting {
        allocate(store, visit.parse().unwrap(), 1, sarah, "Sarah works evenings this fortnight").unwrap();
    }
}

/// The weekly rest's sentence on Sarah's row for the week from `monday`.
fn weekly_rest(store: &Store, sarah: Uuid, monday: NaiveDate) -> Option<String> {
    let board = board(store, monday, 7).unwrap();
    let row = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah has a row");
    row.findings.iter().find(|f| f.rule == RuleId::WeeklyRest24h).map(|f| f.message.to_string())
}

fn fortnights_from(monday: &str) -> WorkingTimeSettingsInput {
    WorkingTimeSettingsInput { weekly_rest: Some(RestPeriod::Fortnight), fortnights_from: monday.into() }
}

#[test]
fn alternate_weekends_are_warned_of_each_week_and_not_once_the_agency_takes_weekly_rest_over_a_fortnight() {
    let (mut store, sarah) = sarah_every_day_until(d(3, 13));
    let first_week = weekly_rest(&store, sarah, d(3, 2)).expect("seven days on: no 24 hours off that week");
    assert!(
        first_week.starts_with("Sarah Evans has no 24 hours off in the week Mon 2 Mar to Sun 8 Mar"),
        "{first_week}"
    );
    assert_eq!(weekly_rest(&store, sarah, d(3, 9)), None, "the second week's weekend is off");

    save_working_time_settings(&mut store, &fortnights_from("2026-03-02")).unwrap();
    assert_eq!(weekly_rest(&store, sarah, d(3, 2)), None, "Friday 13 March 21:00 to the fortnight's end is 51 hours");
    assert_eq!(weekly_rest(&store, sarah, d(3, 9)), None);

    // Sunday's calls given too: 35 hours off on the Saturday, one rest of 24.
    give(&mut store, sarah, d(3, 15), d(3, 15));
    for monday in [d(3, 2), d(3, 9)] {
        let found = weekly_rest(&store, sarah, monday).expect("both weeks of the fortnight are short of rest");
        assert!(
            found.starts_with(
                "Sarah Evans has neither 48 hours off nor two rests of 24 hours in the fortnight Mon 2 Mar to \
                 Sun 15 Mar, at most 35 h in a row"
            ),
            "the week from {monday}: {found}"
        );
    }
}

#[test]
fn fortnights_counted_from_the_week_after_pair_each_week_with_a_week_off() {
    // Fourteen days on, from 2 to 15 March.
    let (mut store, sarah) = sarah_every_day_until(d(3, 15));
    save_working_time_settings(&mut store, &fortnights_from("2026-03-02")).unwrap();
    assert!(weekly_rest(&store, sarah, d(3, 2)).is_some(), "a fortnight of the fourteen days has no rest");
    // Fortnights from 9 March: the week from 2 March is the second of the
    // fortnight from 23 February, and the week from 9 March the first of
    // the one to 22 March. The week beside each is off.
    save_working_time_settings(&mut store, &fortnights_from("2026-03-09")).unwrap();
    assert_eq!(weekly_rest(&store, sarah, d(3, 2)), None, "the week from 23 February was a week off");
    assert_eq!(weekly_rest(&store, sarah, d(3, 9)), None, "the week from 16 March is a week off");
}

#[test]
fn a_fortnight_without_its_monday_or_from_another_day_is_refused_and_nothing_is_saved() {
    let (mut store, _) = support::store();
    let log = count(&store, "SELECT count(*) FROM change_log");
    for (typed, expected) in [
        ("", "Enter the Monday a fortnight starts on"),
        ("2026-03-03", "3 Mar 2026 is a Tuesday: a fortnight starts on a Monday"),
        ("3 March", "\"3 March\" is not a date (use YYYY-MM-DD)"),
    ] {
        let Err(Error::Invalid(errors)) = save_working_time_settings(&mut store, &fortnights_from(typed)) else {
            panic!("expected {typed:?} to be refused");
        };
        let said: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(said, [("fortnights_from", expected)], "for {typed:?}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), log, "nothing written");
    assert_eq!(working_time_settings(store.read()).unwrap(), WorkingTimeSettings::default(), "each week, as before");

    // Each week needs no Monday: whatever was typed before the change, out
    // of sight once each week is chosen, is let go unread.
    let each_week = WorkingTimeSettingsInput { weekly_rest: Some(RestPeriod::Week), fortnights_from: "3 March".into() };
    let saved = save_working_time_settings(&mut store, &each_week).unwrap();
    assert_eq!(saved, WorkingTimeSettings::default());
    let logged =
        support::texts(&store, "SELECT op || ' ' || actor FROM change_log WHERE entity = 'working_time_settings'");
    assert_eq!(logged, ["insert Jo Coordinator"], "saved through the write path");
}

#[test]
fn an_agency_upgraded_from_schema_21_has_every_weeks_rests_kept_when_it_opens() {
    let (store, sarah) = sarah_every_day_until(d(3, 13));
    let kept = "SELECT count(*) FROM carer_week_rests";
    assert_eq!(count(&store, kept), 2, "a row for each of Sarah's weeks");
    let (_dir, path) = support::file_at_schema(&store, 21);
    let mut upgraded = Store::open(&path, "test").unwrap();
    assert_eq!(count(&upgraded, kept), 2, "each week counted as the store opened");
    save_working_time_settings(&mut upgraded, &fortnights_from("2026-03-02")).unwrap();
    assert_eq!(weekly_rest(&upgraded, sarah, d(3, 2)), None, "the kept second week gives the fortnight its rest");
}
