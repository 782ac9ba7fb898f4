//! The rota board: what the grid draws, with each finding on its visit.

use crate::support;
use caredesk::people;
use caredesk::rota::{self, allocate, allocations::Allocation, board};
use caredesk::rules::{RuleId, Severity};
use caredesk::Store;
use chrono::NaiveDate;
use uuid::Uuid;

fn d(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn ids_on(store: &Store, date: NaiveDate) -> Vec<(Uuid, Uuid)> {
    let mut stmt =
        store.read().prepare("SELECT id, client_id FROM visits WHERE local_date = ?1 ORDER BY starts_at").unwrap();
    stmt.query_map([date.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(|r| {
            let (v, c) = r.unwrap();
            (v.parse().unwrap(), c.parse().unwrap())
        })
        .collect()
}

#[test]
fn a_double_booking_marks_both_visits_as_blocked_with_the_reason() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    for name in ["Margaret", "Albert"] {
        let mut form = support::client_form();
        form.given_name = name.into();
        let client = people::save_client(&mut store, &form).unwrap();
        people::save_package(&mut store, &support::package_form(client)).unwrap();
    }
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_, _| {}).unwrap();
    let monday = ids_on(&store, d(3, 2));
    // Written straight through the write path, as an old import might have.
    store
        .write(|changes| {
            for (visit_id, client_id) in &monday {
                changes.insert(&Allocation {
                    id: caredesk::ids::new_id(),
                    visit_id: *visit_id,
                    slot: 1,
                    carer_id: sarah,
                    client_id: *client_id,
                })?;
            }
            Ok(())
        })
        .unwrap();

    let week = board(store.read(), d(3, 2), 7).unwrap();
    assert_eq!(week.days.len(), 7);
    assert_eq!(week.visits.len(), 6, "two clients, Mon/Wed/Fri");
    for visit in week.visits.iter().filter(|v| v.day == 0) {
        assert_eq!(visit.worst, Some(Severity::Block), "{visit:?}");
        let clash = visit.findings.iter().find(|f| f.rule == RuleId::Overlap).expect("the clash is on the visit");
        assert!(clash.message.contains("Sarah Evans"), "{}", clash.message);
        assert_eq!((visit.start_min, visit.local_start.as_str()), (7 * 60 + 30, "07:30"));
    }
    let wednesday = week.visits.iter().find(|v| v.day == 2).expect("Wednesday's call");
    assert!(wednesday.carers.is_empty() && wednesday.findings.is_empty());
    let lane = week.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah's lane");
    assert_eq!(lane.minutes, 90);
    assert_eq!(lane.available.len(), 1, "Mondays only");
    assert_eq!((lane.available[0].day, lane.available[0].from_min, lane.available[0].to_min), (0, 420, 870));
    assert_eq!(week.blocks, 2);
    assert_eq!(week.drafts.len(), 7, "nothing published yet");
}

#[test]
fn a_call_on_the_night_the_clocks_go_forward_sits_where_the_wall_clock_says() {
    let (mut store, _) = support::store();
    people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut night = support::package_form(client);
    night.weekdays = vec![people::Weekday::Sun];
    night.start_time = "01:30".into();
    night.required_skills = vec![];
    people::save_package(&mut store, &night).unwrap();
    rota::roll_forward(&mut store, d(3, 23), d(3, 29), &mut |_, _| {}).unwrap();
    let sunday = board(store.read(), d(3, 29), 1).unwrap();
    let visit = &sunday.visits[0];
    assert_eq!((visit.local_start.as_str(), visit.start_min), ("02:30", 150));
    assert!(visit.time_note.contains("does not exist"), "{}", visit.time_note);
}

#[test]
fn a_seven_day_board_across_two_weeks_finds_each_weeks_findings_once() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 15), &mut |_, _| {}).unwrap();
    // Friday 6 March: outside Sarah's Monday availability, a warning.
    let friday = ids_on(&store, d(3, 6))[0].0;
    allocate(&mut store, friday, 1, sarah, "Sarah offered").unwrap();
    let board = board(store.read(), d(3, 5), 7).unwrap();
    let on_friday = board.visits.iter().find(|v| v.id == friday).expect("Friday on the board");
    assert_eq!(on_friday.day, 1);
    assert_eq!(on_friday.findings.iter().filter(|f| f.rule == RuleId::OutsideAvailability).count(), 1);
    assert_eq!(on_friday.worst, Some(Severity::Warn));
    assert!(rota::board(store.read(), d(3, 5), 3).is_err(), "only a day or a week");
}
