//! The Working Time Regulations' 17-week average counts the 16 weeks before
//! the rota's as it counts the rota's own: visits, and the travel between
//! them, which is paid working time.

use crate::support;
use caredesk::access::Operation;
use caredesk::people::{self, Weekday};
use caredesk::rota::{self, allocations::Allocation, board};
use caredesk::rules::RuleId;
use caredesk::travel::{estimate, GeoPoint, TravelSettings};
use caredesk::Store;
use chrono::NaiveDate;
use uuid::Uuid;

pub(crate) fn d(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

pub(crate) const MARGARET: GeoPoint = GeoPoint { lat: 52.7008, lon: -2.7498 };
/// Albert lives across Shrewsbury from Margaret: about 20 minutes by car.
pub(crate) const ALBERT_ACROSS_TOWN: GeoPoint = GeoPoint { lat: 52.7700, lon: -2.7000 };
/// Albert lives next door: the shortest leg the agency counts.
const ALBERT_NEXT_DOOR: GeoPoint = GeoPoint { lat: 52.7009, lon: -2.7499 };

/// Sarah Evans (returned), and Margaret's and Albert's calls every day from
/// Monday 2 March for `weeks` weeks: Margaret 07:00, Albert 11:00, each
/// `minutes` long. Nothing is allocated yet.
pub(crate) fn two_clients_every_day(albert_at: GeoPoint, minutes: f64, weeks: i64) -> (Store, Uuid) {
    let (mut store, _) = support::store();
    let mut carer = support::carer_form();
    carer.max_hours = Some(48.0);
    let sarah = people::save_carer(&mut store, &carer).unwrap();
    for (name, at, time) in [("Margaret", MARGARET, "07:00"), ("Albert", albert_at, "11:00")] {
        let mut form = support::client_form();
        form.given_name = name.into();
        (form.lat, form.lon) = (Some(at.lat), Some(at.lon));
        let client = people::save_client(&mut store, &form).unwrap();
        let mut package = support::package_form(client);
        package.weekdays =
            vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        package.start_time = time.into();
        package.duration_min = Some(minutes);
        package.required_skills = vec![];
        people::save_package(&mut store, &package).unwrap();
    }
    let last = d(3, 2) + chrono::Duration::weeks(weeks) - chrono::Duration::days(1);
    rota::roll_forward(&mut store, d(3, 2), last, &mut |_| {}).unwrap();
    (store, sarah)
}

/// Every visit from `from` to `to` given to `carer`, in one write.
pub(crate) fn give_all(store: &mut Store, carer: Uuid, from: NaiveDate, to: NaiveDate) {
    let visits: Vec<(Uuid, Uuid)> = {
        let mut stmt = store
            .read()
            .prepare("SELECT id, client_id FROM visits WHERE local_date BETWEEN ?1 AND ?2 AND deleted_at IS NULL")
            .unwrap();
        stmt.query_map([from.to_string(), to.to_string()], |r| {
            Ok((r.get::<_, String>(0)?.parse().unwrap(), r.get::<_, String>(1)?.parse().unwrap()))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    store
        .write(Operation::EditVisits, |changes| {
            for (visit_id, client_id) in &visits {
                let allocation = Allocation {
                    id: caredesk::ids::new_id(),
                    visit_id: *visit_id,
                    slot: 1,
                    carer_id: carer,
                    client_id: *client_id,
                };
                changes.insert(&allocation)?;
            }
            Ok(())
        })
        .unwrap();
}

/// The travel kept for `carer`'s week from `monday`, in minutes.
fn kept_travel(store: &Store, carer: Uuid, monday: NaiveDate) -> u32 {
    store
        .read()
        .query_row(
            "SELECT coalesce(sum(minutes), 0) FROM carer_week_travel WHERE carer_id = ?1 AND week = ?2",
            [carer.to_string(), monday.to_string()],
            |r| r.get(0),
        )
        .unwrap()
}

/// The travel the rota's own board counts in `carer`'s week from `monday`.
fn board_travel(store: &Store, carer: Uuid, monday: NaiveDate) -> u32 {
    let board = board(store, monday, 7).unwrap();
    board.carers.iter().find(|c| c.carer_id == carer).map_or(0, |c| c.week_travel_minutes)
}

fn assert_kept_as_the_rota_counts(store: &Store, carer: Uuid, after: &str) {
    for monday in [d(3, 2), d(3, 9)] {
        assert_eq!(
            kept_travel(store, carer, monday),
            board_travel(store, carer, monday),
            "the week from {monday}, {after}: the kept travel differs from the rota's own count"
        );
    }
}

fn visit_on(store: &Store, date: NaiveDate, time: &str) -> Uuid {
    store
        .read()
        .query_row(
            "SELECT id FROM visits WHERE local_date = ?1 AND local_time = ?2",
            [date.to_string(), time.into()],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_travel_kept_for_each_week_is_the_rotas_own_count_after_every_change() {
    let (mut store, sarah) = two_clients_every_day(ALBERT_ACROSS_TOWN, 60.0, 2);
    give_all(&mut store, sarah, d(3, 2), d(3, 15));
    let leg = estimate(MARGARET, ALBERT_ACROSS_TOWN, people::Transport::Car, &TravelSettings::default()).minutes;
    assert!(leg > 10, "the two clients are a real journey apart ({leg} min)");
    assert_eq!(kept_travel(&store, sarah, d(3, 2)), 7 * leg, "one journey a day, Margaret's to Albert's");
    assert_kept_as_the_rota_counts(&store, sarah, "after giving her every visit");

    // Albert's Tuesday call moves to 07:30, overlapping Margaret's: no journey counts that day.
    let mut form = rota::visit_form(store.read(), visit_on(&store, d(3, 3), "11:00")).unwrap();
    form.start_time = "07:30".into();
    form.reason = "Albert's daughter is there early".into();
    rota::edit_visit(&mut store, &form).unwrap();
    assert_eq!(kept_travel(&store, sarah, d(3, 2)), 6 * leg, "Tuesday's visits overlap");
    assert_kept_as_the_rota_counts(&store, sarah, "after a visit's time changed");

    let wednesday_first = visit_on(&store, d(3, 4), "07:00");
    rota::cancel_visit(&mut store, wednesday_first, "In hospital overnight").unwrap();
    assert_kept_as_the_rota_counts(&store, sarah, "after a cancellation");
    let next_tuesday_second = visit_on(&store, d(3, 10), "11:00");
    rota::unallocate(&mut store, next_tuesday_second, 1).unwrap();
    assert_kept_as_the_rota_counts(&store, sarah, "after taking her off a visit the next week");
    assert_eq!(kept_travel(&store, sarah, d(3, 9)), 6 * leg);
    rota::reinstate_visit(&mut store, wednesday_first).unwrap();
    assert_kept_as_the_rota_counts(&store, sarah, "after the cancelled visit came back");
    assert_eq!(support::count(&store, "SELECT count(*) FROM carer_weeks_to_recount"), 0, "nothing left waiting");
}

/// The 48-hour finding on Sarah's week from 22 June, the 17th, after every
/// visit of the 17 weeks is given to her, and her page's 17-week average
/// that Wednesday.
fn average_finding(albert_at: GeoPoint) -> (Option<String>, people::WorkingTime) {
    // 200 minutes twice a day, every day: 46 h 40 min of visits a week.
    let (mut store, sarah) = two_clients_every_day(albert_at, 200.0, 17);
    give_all(&mut store, sarah, d(3, 2), d(6, 28));
    let board = board(&store, d(6, 22), 7).unwrap();
    let row = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah has a row");
    let finding = row.findings.iter().find(|f| f.rule == RuleId::WeeklyAverage48h).map(|f| f.message.to_string());
    (finding, people::carer_detail(store.read(), sarah, d(6, 24)).unwrap().working_time)
}

#[test]
fn a_carer_whose_visits_and_travel_average_over_48_hours_is_warned_though_her_visits_alone_do_not() {
    let leg = estimate(MARGARET, ALBERT_ACROSS_TOWN, people::Transport::Car, &TravelSettings::default()).minutes;
    let average = 7 * (400 + leg);
    assert!(7 * 400 < 48 * 60 && average > 48 * 60, "visits alone are under 48 hours; with travel, over");
    let expected = format!("averages {} h {:02} min a week over 17 weeks", average / 60, average % 60);
    let (finding, page) = average_finding(ALBERT_ACROSS_TOWN);
    let message = finding.expect("the 48-hour average is over, counting travel");
    assert!(message.contains(&expected), "expected \"{expected}\" in \"{message}\"");
    assert_eq!(
        (page.from, page.to, page.period, page.average_min, page.average_travelling_min, page.over_limit),
        (d(3, 2), d(6, 28), people::PeriodKind::SeventeenWeeks, average, 7 * leg, true),
        "her page gives the average the rule holds her to"
    );
}

#[test]
fn a_carer_whose_clients_live_next_door_stays_under_the_48_hour_average() {
    let leg = estimate(MARGARET, ALBERT_NEXT_DOOR, people::Transport::Car, &TravelSettings::default()).minutes;
    assert!(7 * (400 + leg) < 48 * 60, "the shortest leg keeps her under 48 hours");
    let (finding, page) = average_finding(ALBERT_NEXT_DOOR);
    assert_eq!(finding, None);
    assert_eq!((page.average_min, page.over_limit), (7 * (400 + leg), false), "her page says the same");
}

#[test]
fn an_agency_upgraded_from_schema_20_has_every_weeks_travel_counted_when_it_opens() {
    let (mut store, sarah) = two_clients_every_day(ALBERT_ACROSS_TOWN, 60.0, 2);
    give_all(&mut store, sarah, d(3, 2), d(3, 15));
    // The file as schema 20 left it: the same visits, no travel kept.
    let (_dir, path) = support::file_at_schema(&store, 20);
    let upgraded = Store::open(&path, "test").unwrap();
    assert!(kept_travel(&upgraded, sarah, d(3, 9)) > 0, "the second week's travel is counted");
    assert_kept_as_the_rota_counts(&upgraded, sarah, "after the upgrade");
    assert_eq!(support::count(&upgraded, "SELECT count(*) FROM carer_weeks_to_recount"), 0, "nothing left waiting");
}

/// Sarah's 48-hour finding on her week from 22 June, and her page's average
/// that Wednesday, when the 17 weeks from 2 March are rolled but only the
/// last three are given to her; and, if `earlier_work`, a visit of 2 March
/// to another carer, so the agency's records of work begin then.
fn three_weeks_of_records(earlier_work: bool) -> (Option<String>, people::WorkingTime) {
    let (mut store, sarah) = two_clients_every_day(ALBERT_ACROSS_TOWN, 200.0, 17);
    give_all(&mut store, sarah, d(6, 8), d(6, 28));
    if earlier_work {
        let mut form = support::carer_form();
        form.given_name = "Priya".into();
        let priya = people::save_carer(&mut store, &form).unwrap();
        give_all(&mut store, priya, d(3, 2), d(3, 2));
    }
    let board = board(&store, d(6, 22), 7).unwrap();
    let row = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah has a row");
    let finding = row.findings.iter().find(|f| f.rule == RuleId::WeeklyAverage48h).map(|f| f.message.to_string());
    (finding, people::carer_detail(store.read(), sarah, d(6, 24)).unwrap().working_time)
}

#[test]
fn an_agency_whose_records_begin_three_weeks_ago_averages_its_carers_over_those_three_weeks() {
    // Sarah started in 2024, but the agency's records of work begin on 8 June.
    let leg = estimate(MARGARET, ALBERT_ACROSS_TOWN, people::Transport::Car, &TravelSettings::default()).minutes;
    let average = 7 * (400 + leg);
    let (finding, page) = three_weeks_of_records(false);
    let message = finding.expect("three weeks over 48 hours average over 48 hours");
    let expected = format!(
        "averages {} h {:02} min a week over the 3 weeks Caredesk has records for, from Mon 8 Jun 2026",
        average / 60,
        average % 60
    );
    assert!(message.contains(&expected), "expected \"{expected}\" in \"{message}\"");
    assert_eq!(
        (page.from, page.weeks, page.period, page.average_min, page.over_limit),
        (d(6, 8), 3, people::PeriodKind::SinceRecords, average, true),
        "her page averages over the same three weeks"
    );
}

#[test]
fn the_same_three_weeks_at_an_agency_with_17_weeks_of_records_are_averaged_over_17() {
    let (finding, page) = three_weeks_of_records(true);
    assert_eq!(finding, None, "three heavy weeks among 17 average under 48 hours");
    assert_eq!(
        (page.from, page.weeks, page.period, page.over_limit),
        (d(3, 2), 17, people::PeriodKind::SeventeenWeeks, false),
        "her page averages over 17 weeks"
    );
}
