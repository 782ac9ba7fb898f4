//! The rota board: what the grid draws, with each finding on its visit.

use crate::support;
use caredesk::access::Operation;
use caredesk::people;
use caredesk::rota::{self, allocate, board, week};
use caredesk::rules::{RuleId, Severity};
use caredesk::Store;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;
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

/// Two clients' calls on Mon, Wed and Fri 2-6 March at 07:30, both of
/// Monday's given to Sarah Evans (returned), so they clash.
fn double_booked_monday() -> (Store, Uuid) {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    for name in ["Margaret", "Albert"] {
        let mut form = support::client_form();
        form.given_name = name.into();
        let client = people::save_client(&mut store, &form).unwrap();
        people::save_package(&mut store, &support::package_form(client)).unwrap();
    }
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    let monday = ids_on(&store, d(3, 2));
    support::give_past_the_rules(&mut store, &monday, sarah);
    (store, sarah)
}

#[test]
fn a_double_booking_marks_both_visits_as_blocked_with_the_reason() {
    let (store, sarah) = double_booked_monday();
    let week = board(&store, d(3, 2), 7).unwrap();
    assert_eq!(week.days.len(), 7);
    assert_eq!(week.visits.len(), 6, "two clients, Mon/Wed/Fri");
    for visit in week.visits.iter().filter(|v| v.day == 0) {
        assert_eq!(visit.worst, Some(Severity::Block), "{visit:?}");
        let clash = visit.findings.iter().find(|f| f.rule == RuleId::Overlap).expect("the clash is on the visit");
        assert!(clash.message.to_string().contains("Sarah Evans"), "{}", clash.message);
        assert_eq!((visit.start_min, &*visit.local_start), (7 * 60 + 30, "07:30"));
    }
    let wednesday = week.visits.iter().find(|v| v.day == 2).expect("Wednesday's call");
    assert!(wednesday.carers.is_empty() && wednesday.findings.is_empty());
    assert!(wednesday.needs_carer && !week.visits.iter().find(|v| v.day == 0).unwrap().needs_carer);
    assert_eq!(week.unallocated, 4, "Wednesday's and Friday's calls for both clients");
    let lane = week.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah's lane");
    assert_eq!(lane.minutes, 90);
    assert_eq!(lane.available.len(), 1, "Mondays only");
    assert_eq!((lane.available[0].day, lane.available[0].from_at, lane.available[0].to_at), (0, 420, 870));
    assert_eq!(week.blocks, 2);
    assert_eq!(week.drafts.len(), 7, "nothing published yet");
}

#[test]
fn the_board_sent_to_the_grid_leaves_out_what_is_usual_and_keeps_what_is_particular() {
    let (store, _) = double_booked_monday();
    let sent = serde_json::to_value(board(&store, d(3, 2), 7).unwrap()).unwrap();
    let visits = sent["visits"].as_array().expect("the visits");
    let on = |day: u64| visits.iter().find(|v| v["day"] == day).expect("a visit that day");
    // Monday's clash: its carer, its finding and its colour are sent.
    let monday = on(0);
    assert_eq!(monday["carers"][0]["name"], "Sarah Evans", "{monday}");
    assert_eq!(monday["worst"], "block", "{monday}");
    assert_eq!(monday["findings"][0]["rule"], "overlap", "{monday}");
    assert_eq!(monday["needs_carer"], false, "{monday}");
    // Wednesday's call has nobody, no finding, no note: none of that is sent,
    // while what every visit has (its time, whether it waits) is.
    let wednesday = on(2);
    for usual in ["carers", "findings", "worst", "cancelled", "cancel_reason", "time_note", "queue_note", "short_visit"]
    {
        assert!(wednesday.get(usual).is_none(), "{usual} was sent: {wednesday}");
    }
    assert_eq!((&wednesday["local_start"], &wednesday["needs_carer"]), (&"07:30".into(), &true.into()), "{wednesday}");
    assert_eq!(wednesday["label"], "Morning call", "its package's name: {wednesday}");
    // Rolled from a package, so not one-off; said only of a one-off visit.
    assert!(wednesday.get("one_off").is_none(), "{wednesday}");
    // The client's name and postcode come once for the board, by client id,
    // not with each of their visits.
    for text in ["client_name", "postcode", "area", "package_id"] {
        assert!(wednesday.get(text).is_none(), "{text} was sent with the visit: {wednesday}");
    }
    let clients = sent["clients"].as_object().expect("the board's clients");
    let names: Vec<&str> = clients.values().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(clients.len(), 2, "Margaret and Albert, once each for their 14 visits: {names:?}");
    let hers = &clients[wednesday["client_id"].as_str().unwrap()];
    assert_eq!((&hers["postcode"], &hers["area"]), (&"SY3 7NR".into(), &"SY3".into()), "{hers}");
    // A carer's row: what it shows, not the area and skills the filters
    // use in the core.
    let sarah = &sent["carers"][0];
    assert_eq!((&sarah["name"], &sarah["contracted_hours"]), (&"Sarah Evans".into(), &30.0.into()), "{sarah}");
    for filtered_on in ["area", "skills", "transport"] {
        assert!(sarah.get(filtered_on).is_none(), "{filtered_on} was sent with the row: {sarah}");
    }
}

#[test]
fn a_visit_no_longer_from_a_package_is_shown_as_one_off() {
    let (mut store, _) = double_booked_monday();
    let (wednesday, _) = ids_on(&store, d(3, 4))[0];
    let visit = rota::visits::load_visit(store.read(), wednesday).unwrap();
    store
        .write(Operation::EditVisits, |changes| {
            changes.update(&visit, &rota::Visit { package_id: None, ..visit.clone() })?;
            Ok(())
        })
        .unwrap();
    let week = board(&store, d(3, 2), 7).unwrap();
    let one_off: Vec<Uuid> = week.visits.iter().filter(|v| v.one_off).map(|v| v.id).collect();
    assert_eq!(one_off, vec![wednesday], "only the detached visit is one-off");
}

/// On the March night a call at 00:30 GMT for 90 minutes and the 01:30
/// call the clocks move on to 02:30 BST both fall within 00:30-02:00 GMT:
/// Sarah cannot do both. The board draws them where time puts them, so the
/// clash the rules find shows as one, the calls stacked in her row, while
/// each says the time on the wall clock.
#[test]
fn on_the_night_the_clocks_go_forward_a_clash_the_rules_find_is_drawn_as_one() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    for (name, at, minutes) in [("Margaret", "00:30", 90.0), ("Albert", "01:30", 30.0)] {
        let mut form = support::client_form();
        form.given_name = name.into();
        let client = people::save_client(&mut store, &form).unwrap();
        let mut night = support::package_form(client);
        night.weekdays = vec![people::Weekday::Sun];
        (night.start_time, night.duration_min, night.required_skills) = (at.into(), Some(minutes), vec![]);
        people::save_package(&mut store, &night).unwrap();
    }
    rota::roll_forward(&mut store, d(3, 23), d(3, 29), &mut |_| {}).unwrap();
    let sunday_calls = ids_on(&store, d(3, 29));
    support::give_past_the_rules(&mut store, &sunday_calls, sarah);

    let sunday = board(&store, d(3, 29), 1).unwrap();
    assert_eq!(sunday.timeline.length_min, 23 * 60, "the night the clocks go forward is 23 hours long");
    let placed: Vec<(&str, u32, u32)> =
        sunday.visits.iter().map(|v| (&*v.local_start, v.start_min, v.at_min)).collect();
    assert_eq!(placed, [("00:30", 30, 30), ("02:30", 150, 90)], "(wall clock, its minute, minutes since midnight)");
    assert!(sunday.visits[1].time_note.contains("does not exist"), "{}", sunday.visits[1].time_note);
    for visit in &sunday.visits {
        assert!(visit.findings.iter().any(|f| f.rule == RuleId::Overlap), "the clash is on {visit:?}");
    }
    let view = rota::board_view(&store, d(3, 29), 1, &rota::BoardFilters::default()).unwrap();
    let row = view.carers.iter().find(|r| r.carer.carer_id == sarah).expect("Sarah's row");
    assert_eq!(row.rows, 2, "the two calls stacked, neither drawn over the other");
}

#[test]
fn a_week_board_runs_monday_to_sunday_whichever_day_is_asked_for() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 15), &mut |_| {}).unwrap();
    // Friday 6 March: outside Sarah's Monday availability, a warning.
    let friday = ids_on(&store, d(3, 6))[0].0;
    allocate(&mut store, friday, 1, sarah, "Sarah offered").unwrap();
    let board = board(&store, d(3, 5), 7).unwrap();
    assert_eq!((board.days[0], board.days[6]), (d(3, 2), d(3, 8)), "asked for Thursday, shown its week");
    let on_friday = board.visits.iter().find(|v| v.id == friday).expect("Friday on the board");
    assert_eq!(on_friday.day, 4);
    assert_eq!(on_friday.findings.iter().filter(|f| f.rule == RuleId::OutsideAvailability).count(), 1);
    assert_eq!(on_friday.worst, Some(Severity::Warn));
    assert_eq!(board.unallocated, 2, "Monday and Wednesday still wait");
    assert!(rota::board(&store, d(3, 5), 3).is_err(), "only a day or a week");
}

#[test]
fn a_carer_with_a_call_every_day_has_no_day_off_said_once_on_their_row_not_on_each_visit() {
    let (mut store, _) = support::store();
    // Contracted for 4 hours a week, so seven 45-minute calls are over it.
    let sarah =
        people::save_carer(&mut store, &people::CarerInput { contracted_hours: Some(4.0), ..support::carer_form() })
            .unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut every_day = support::package_form(client);
    every_day.weekdays = d(3, 2).iter_days().take(7).map(|day| people::Weekday::from_chrono(day.weekday())).collect();
    people::save_package(&mut store, &every_day).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    let days: Vec<Uuid> = d(3, 2).iter_days().take(7).map(|day| ids_on(&store, day)[0].0).collect();
    for visit in &days {
        allocate(&mut store, *visit, 1, sarah, "Sarah covers the week").unwrap();
    }
    let weekly_rest = |store: &Store| {
        let board = board(store, d(3, 2), 7).unwrap();
        let on_visits =
            board.visits.iter().flat_map(|v| &v.findings).filter(|f| f.rule == RuleId::WeeklyRest24h).count();
        let row = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah's row");
        let on_row: Vec<String> =
            row.findings.iter().filter(|f| f.rule == RuleId::WeeklyRest24h).map(|f| f.message.to_string()).collect();
        (on_visits, on_row)
    };
    let (on_visits, on_row) = weekly_rest(&store);
    assert_eq!(on_visits, 0, "the week as a whole breaks it, not one visit");
    assert_eq!(on_row.len(), 1, "said once, on Sarah's row: {on_row:?}");
    assert!(on_row[0].contains("no 24 hours off in the week Mon 2 Mar to Sun 8 Mar"), "{}", on_row[0]);
    let row = |store: &Store| {
        let board = board(store, d(3, 2), 7).unwrap();
        board.carers.into_iter().find(|c| c.carer_id == sarah).expect("Sarah's row").week_tag
    };
    assert_eq!(row(&store), "hours, no day off", "over her 4 contracted hours too, each in words");

    rota::unallocate(&mut store, days[3], 1).unwrap();
    assert_eq!(weekly_rest(&store), (0, vec![]), "Wednesday 08:15 to Friday 07:30 is a day off");
    assert_eq!(row(&store), "hours", "still over her contracted hours");
}

#[test]
fn the_time_line_is_where_the_core_clock_says_and_only_on_its_day() {
    let (mut store, clock) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    // 09:00 UTC on Monday 2 March is 09:00 GMT.
    assert_eq!(board(&store, d(3, 2), 1).unwrap().now_min, Some(9 * 60));
    assert_eq!(board(&store, d(3, 3), 1).unwrap().now_min, None, "not on Tuesday's board");
    // Wednesday 10:15 BST in July: the line follows London, not UTC.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 7, 15, 9, 15, 0).unwrap());
    assert_eq!(board(&store, d(7, 15), 7).unwrap().now_min, Some(2 * 24 * 60 + 10 * 60 + 15));
}

/// Every carer's minutes per week, counted afresh from visits and allocations.
fn recounted(store: &Store) -> Vec<(String, String, i64)> {
    let sql = "SELECT a.carer_id, date(v.local_date, 'weekday 0', '-6 days') AS week, sum(v.duration_min)
               FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
               WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.status = 'planned'
               GROUP BY 1, 2 ORDER BY 1, 2";
    let mut stmt = store.read().prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

fn kept(store: &Store) -> Vec<(String, String, i64)> {
    let mut stmt = store
        .read()
        .prepare("SELECT carer_id, week, minutes FROM carer_week_minutes WHERE minutes <> 0 ORDER BY 1, 2")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_weekly_minutes_behind_the_48_hour_average_follow_every_change() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let package = people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 15), &mut |_| {}).unwrap();
    let visits: Vec<Uuid> = [d(3, 2), d(3, 4), d(3, 9), d(3, 13)].iter().map(|day| ids_on(&store, *day)[0].0).collect();
    for visit in &visits {
        allocate(&mut store, *visit, 1, sarah, "cover").unwrap();
    }
    assert_eq!(kept(&store), recounted(&store));
    assert_eq!(kept(&store).iter().map(|k| k.2).collect::<Vec<_>>(), [90, 90], "two 45-minute calls each week");

    let mut form = rota::visit_form(store.read(), visits[0]).unwrap();
    form.duration_min = Some(60.0);
    rota::edit_visit(&mut store, &form).unwrap();
    assert_eq!(kept(&store), recounted(&store), "after a visit is lengthened");
    rota::cancel_visit(&mut store, visits[1], "Family visiting").unwrap();
    assert_eq!(kept(&store), recounted(&store), "after a cancellation");
    rota::reinstate_visit(&mut store, visits[1]).unwrap();
    rota::unallocate(&mut store, visits[2], 1).unwrap();
    assert_eq!(kept(&store), recounted(&store), "after taking a carer off");
    // The package gets longer: roll-forward updates the visits it made.
    let mut package_form = people::package_form(store.read(), Some(package), client, store.today()).unwrap();
    package_form.duration_min = Some(50.0);
    people::save_package(&mut store, &package_form).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 15), &mut |_| {}).unwrap();
    assert_eq!(kept(&store), recounted(&store), "after roll-forward changes allocated visits");
    assert_eq!(kept(&store).iter().map(|k| k.2).collect::<Vec<_>>(), [60, 50], "{:?}", kept(&store));
}

/// (date, visit, slot, carer) rows of `sql`.
fn filings(store: &Store, sql: &str) -> Vec<(String, String, i64, String)> {
    let mut stmt = store.read().prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
}

/// Every live allocation with its visit's date, worked out afresh.
fn allocations_refiled(store: &Store) -> Vec<(String, String, i64, String)> {
    filings(
        store,
        "SELECT v.local_date, a.visit_id, a.slot, a.carer_id FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
         WHERE a.deleted_at IS NULL ORDER BY 1, 2, 3",
    )
}

fn allocations_filed(store: &Store) -> Vec<(String, String, i64, String)> {
    filings(store, "SELECT local_date, visit_id, slot, carer_id FROM allocations_by_date ORDER BY 1, 2, 3")
}

#[test]
fn the_carers_a_week_reads_by_date_follow_every_allocation_and_every_move_of_a_visit() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let mut second = support::carer_form();
    second.given_name = "Tom".into();
    let tom = people::save_carer(&mut store, &second).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut double_up = support::package_form(client);
    double_up.carers_required = Some(2.0);
    people::save_package(&mut store, &double_up).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    let (monday, wednesday) = (ids_on(&store, d(3, 2))[0].0, ids_on(&store, d(3, 4))[0].0);

    allocate(&mut store, monday, 1, sarah, "cover").unwrap();
    allocate(&mut store, monday, 2, tom, "cover").unwrap();
    allocate(&mut store, wednesday, 2, tom, "cover").unwrap();
    assert_eq!(allocations_filed(&store).len(), 3);
    assert_eq!(allocations_filed(&store), allocations_refiled(&store), "after three allocations");
    let monday_on_board = board(&store, d(3, 2), 1).unwrap().visits.into_iter().find(|v| v.id == monday).unwrap();
    let slots: Vec<(u8, Uuid)> = monday_on_board.carers.iter().map(|c| (c.slot, c.carer_id)).collect();
    assert_eq!(slots, [(1, sarah), (2, tom)], "both carers of the double-up, slot 1 first");
    let wednesday_on_board = board(&store, d(3, 4), 1).unwrap().visits.into_iter().find(|v| v.id == wednesday).unwrap();
    let slots: Vec<(u8, Uuid)> = wednesday_on_board.carers.iter().map(|c| (c.slot, c.carer_id)).collect();
    assert_eq!(slots, [(2, tom)], "slot 2 alone, shown in slot 2, so taking Tom off asks for slot 2");

    rota::unallocate(&mut store, monday, 1).unwrap();
    assert_eq!(allocations_filed(&store), allocations_refiled(&store), "after taking a carer off");
    let monday_on_board = board(&store, d(3, 2), 1).unwrap().visits.into_iter().find(|v| v.id == monday).unwrap();
    let slots: Vec<(u8, Uuid)> = monday_on_board.carers.iter().map(|c| (c.slot, c.carer_id)).collect();
    assert_eq!(slots, [(2, tom)], "Sarah's slot is empty, Tom still in slot 2");
    assert!(monday_on_board.needs_carer, "the double-up waits for a carer in slot 1");
    rota::cancel_visit(&mut store, wednesday, "In hospital").unwrap();
    assert_eq!(allocations_filed(&store), allocations_refiled(&store), "after a cancellation");

    // A visit moved to Thursday through the write path, as a change synced
    // from another machine will be, takes Tom with it.
    let before = rota::visits::load_visit(store.read(), monday).unwrap();
    let after = rota::visits::Visit {
        local_date: d(3, 5),
        starts_at: before.starts_at + chrono::Duration::days(3),
        ..before.clone()
    };
    store.write(Operation::EditVisits, |changes| changes.update(&before, &after)).unwrap();
    assert_eq!(allocations_filed(&store), allocations_refiled(&store), "after the visit moved");
    assert!(board(&store, d(3, 2), 1).unwrap().visits.iter().all(|v| v.id != monday), "gone from Monday");
    let moved = board(&store, d(3, 5), 1).unwrap().visits.into_iter().find(|v| v.id == monday).expect("on Thursday");
    assert_eq!(moved.carers.iter().map(|c| c.carer_id).collect::<Vec<_>>(), [tom], "with its carer");
}

#[test]
fn a_change_saved_by_another_window_shows_on_the_next_read_of_a_kept_week() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    let mut office = Store::open(&path, "Office PC").unwrap();
    let sarah = people::save_carer(&mut office, &support::carer_form()).unwrap();
    let client = people::save_client(&mut office, &support::client_form()).unwrap();
    people::save_package(&mut office, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut office, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    let monday = ids_on(&office, d(3, 2))[0].0;
    assert!(board(&office, d(3, 2), 1).unwrap().visits[0].carers.is_empty(), "read once, and kept");

    let mut laptop = Store::open(&path, "On-call laptop").unwrap();
    allocate(&mut laptop, monday, 1, sarah, "").unwrap();
    let seen = board(&office, d(3, 2), 1).unwrap();
    assert_eq!(seen.visits[0].carers.len(), 1, "the other connection's allocation is seen");
    let candidates = rota::candidates(&office, monday).unwrap();
    assert!(candidates.iter().all(|c| c.carer_id != sarah), "Sarah is on the visit, so no longer a candidate");
}

/// Keeps `monday`'s week with its findings and the carers' work worked out,
/// as the board leaves it (Monday's clash among them), and says where it is
/// kept.
fn keep_checked_week(store: &Store, monday: NaiveDate) -> usize {
    let kept = week::cached_week(store, monday).unwrap();
    assert!(kept.findings().iter().any(|f| f.rule == RuleId::Overlap), "the board has checked Monday's clash");
    assert!(!kept.findings_by_visit().is_empty(), "and filed the findings by visit");
    assert!(!kept.work().is_empty(), "and counted the carers' work");
    Arc::as_ptr(&kept) as usize
}

#[test]
fn a_kept_week_carried_over_a_carer_taken_off_and_a_visit_given_reads_as_the_week_read_afresh() {
    let (mut store, sarah) = double_booked_monday();
    let monday = d(3, 2);
    let kept_at = keep_checked_week(&store, monday);
    // Sarah comes off one of Monday's clashing calls and takes a Wednesday
    // call (outside her availability: a warning, gone past with a reason).
    let clashing = ids_on(&store, monday)[0].0;
    rota::unallocate(&mut store, clashing, 1).unwrap();
    let wednesday = ids_on(&store, d(3, 4))[0].0;
    let warned = rota::give(&mut store, wednesday, sarah, None, "covering for leave").unwrap();
    assert_eq!(warned.len(), 1, "{warned:?}");

    support::assert_carried_over(&store, monday, kept_at, "a carer taken off, another visit given");
    let board = board(&store, monday, 7).unwrap();
    assert_eq!(
        board.blocks,
        0,
        "Monday's clash is gone: {:?}",
        board.visits.iter().map(|v| &v.findings).collect::<Vec<_>>()
    );
    let given = board.visits.iter().find(|v| v.id == wednesday).expect("Wednesday's call");
    assert_eq!(given.carers.iter().map(|c| &*c.name).collect::<Vec<_>>(), ["Sarah Evans"]);
}

#[test]
fn a_kept_week_carried_over_a_change_to_this_and_future_visits_reads_as_the_week_read_afresh() {
    let (mut store, _) = double_booked_monday();
    let monday = d(3, 2);
    // Wednesday's call of the same package was moved by hand first: it
    // keeps its own time when the package changes, and moves package.
    let (clashing, client) = ids_on(&store, monday)[0];
    let wednesday =
        ids_on(&store, d(3, 4)).into_iter().find(|(_, c)| *c == client).map(|(v, _)| v).expect("Wednesday's call");
    let mut by_hand = rota::visit_form(store.read(), wednesday).unwrap();
    by_hand.start_time = "12:00".into();
    by_hand.scope = rota::EditScope::ThisVisit;
    rota::edit_visit(&mut store, &by_hand).unwrap();
    let kept_at = keep_checked_week(&store, monday);

    // From Monday on, the package's calls are at 10:00: Monday's and
    // Friday's move, Wednesday's stays at 12:00.
    let mut form = rota::visit_form(store.read(), clashing).unwrap();
    form.start_time = "10:00".into();
    form.scope = rota::EditScope::ThisAndFuture;
    let outcome = rota::edit_visit(&mut store, &form).unwrap();
    assert_eq!((outcome.visits_changed, outcome.kept_hand_edited), (2, 1), "{outcome:?}");
    support::assert_carried_over(&store, monday, kept_at, "this and future visits changed");
    let kept = week::cached_week(&store, monday).unwrap();
    assert!(!kept.findings().iter().any(|f| f.rule == RuleId::Overlap), "the clash went with the change");
}

#[test]
fn a_kept_week_carried_over_a_visit_moved_cancelled_and_put_back_reads_as_the_week_read_afresh() {
    let (mut store, _) = double_booked_monday();
    let monday = d(3, 2);
    let kept_at = keep_checked_week(&store, monday);

    // One of Monday's clashing calls moves to 10:00, this visit only.
    let (clashing, _) = ids_on(&store, monday)[0];
    let mut form = rota::visit_form(store.read(), clashing).unwrap();
    form.start_time = "10:00".into();
    form.scope = rota::EditScope::ThisVisit;
    form.reason = "Her daughter is with her first thing".into();
    rota::edit_visit(&mut store, &form).unwrap();
    support::assert_carried_over(&store, monday, kept_at, "moved");
    let kept = week::cached_week(&store, monday).unwrap();
    assert!(!kept.findings().iter().any(|f| f.rule == RuleId::Overlap), "the clash went with the move");
    drop(kept);

    // Wednesday's call is cancelled (the rules no longer check it), then
    // put back (they check it again, in its place).
    let (wednesday, _) = ids_on(&store, d(3, 4))[0];
    rota::cancel_visit(&mut store, wednesday, "Client in hospital").unwrap();
    support::assert_carried_over(&store, monday, kept_at, "cancelled");
    rota::reinstate_visit(&mut store, wednesday).unwrap();
    support::assert_carried_over(&store, monday, kept_at, "put back");

    // The later of Wednesday's two calls too: a cancelled visit keeps its
    // place among the day's visits, in the kept week as in a fresh read.
    let (later, _) = ids_on(&store, d(3, 4))[1];
    rota::cancel_visit(&mut store, later, "Client away with family").unwrap();
    support::assert_carried_over(&store, monday, kept_at, "the later call cancelled");
    rota::reinstate_visit(&mut store, later).unwrap();
    support::assert_carried_over(&store, monday, kept_at, "the later call put back");
}

#[test]
fn a_kept_week_carried_over_a_visit_given_counts_the_carers_week_of_work_again() {
    let (mut store, sarah) = double_booked_monday();
    let monday = d(3, 2);
    let kept_at = keep_checked_week(&store, monday);
    let worked = |store: &Store| week::cached_week(store, monday).unwrap().work()[&sarah];
    assert_eq!(worked(&store).visiting_min, 90, "Monday's two calls");

    let (friday, _) = ids_on(&store, d(3, 6))[0];
    rota::give(&mut store, friday, sarah, None, "covering for leave").unwrap();
    support::assert_carried_over(&store, monday, kept_at, "a visit given");
    assert_eq!(worked(&store).visiting_min, 135, "and Friday's");
    let lane = board(&store, monday, 7).unwrap().carers.into_iter().find(|c| c.carer_id == sarah).unwrap();
    assert_eq!(lane.week_minutes, 135, "on her row");
}

/// A carer's row counts their week's work as the hours rules count it: the
/// visits of the whole Monday-to-Sunday week, whichever day is shown, and
/// the travel between visits on the same day (paid working time). A row
/// that counted the visits alone said "2 h 15 of 2.25 h" beside an "over
/// contracted hours" warning the travel had caused. The candidates for a
/// visit, and those ranked on call to take one over, count the same way.
#[test]
fn a_carers_row_and_candidacy_count_the_weeks_work_with_travel_between_visits_as_the_hours_rules_do() {
    let (mut store, _) = support::store();
    let mut carer = support::carer_form();
    carer.contracted_hours = Some(2.25);
    let sarah = people::save_carer(&mut store, &carer).unwrap();
    let margaret = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(margaret)).unwrap();
    // Albert lives across town, with a call at 09:00.
    let mut form = support::client_form();
    form.given_name = "Albert".into();
    (form.lat, form.lon) = (Some(52.7200), Some(-2.7000));
    let albert = people::save_client(&mut store, &form).unwrap();
    let mut package = support::package_form(albert);
    package.start_time = "09:00".into();
    people::save_package(&mut store, &package).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    let on = |store: &Store, date, client| ids_on(store, date).into_iter().find(|(_, c)| *c == client).unwrap().0;
    let (monday_margaret, monday_albert) = (on(&store, d(3, 2), margaret), on(&store, d(3, 2), albert));
    let wednesday_margaret = on(&store, d(3, 4), margaret);
    allocate(&mut store, monday_margaret, 1, sarah, "").unwrap();
    allocate(&mut store, monday_albert, 1, sarah, "").unwrap();
    allocate(&mut store, wednesday_margaret, 1, sarah, "covering for leave").unwrap();

    // Margaret's to Albert's, on Sarah's transport, as the rules estimate it.
    let kept = week::cached_week(&store, d(3, 2)).unwrap();
    let (home, across) = (
        caredesk::travel::GeoPoint { lat: 52.7008, lon: -2.7498 },
        caredesk::travel::GeoPoint { lat: 52.72, lon: -2.70 },
    );
    let leg = caredesk::travel::estimate(home, across, kept.facts.carers[&sarah].carer.transport, &kept.facts.travel);
    assert!(leg.minutes > 0, "Albert is a drive away");
    let work = 3 * 45 + leg.minutes;

    for (shown, days, visits_shown) in [(d(3, 2), 1, 90), (d(3, 4), 1, 45), (d(3, 2), 7, 135)] {
        let board = board(&store, shown, days).unwrap();
        let lane = board.carers.iter().find(|c| c.carer_id == sarah).expect("Sarah's row");
        assert_eq!(lane.minutes, visits_shown, "the visits of the days shown, {shown} for {days}");
        assert_eq!(
            (lane.week_minutes, lane.week_travel_minutes),
            (work, leg.minutes),
            "the week's work, {shown} for {days}"
        );
        // Over the contracted 2 h 15 by the travel alone, as the row shows.
        assert_eq!(lane.week_tag, "hours", "{:?}", lane.findings);
        assert!(
            lane.findings[0].message.to_string().contains("over the contracted 2 h 15 min"),
            "{}",
            lane.findings[0].message
        );
        assert!(f64::from(lane.week_minutes) > lane.contracted_hours * 60.0);
    }
    // Sent to the grid, the row's finding says which rule and why, without
    // the week's visits again: the row is them.
    let sent = serde_json::to_value(board(&store, d(3, 2), 7).unwrap()).unwrap();
    let rows = sent["carers"].as_array().expect("the carers' rows");
    let row = rows.iter().find(|c| c["carer_id"] == sarah.to_string()).expect("Sarah's row");
    assert_eq!(
        (&row["findings"][0]["rule"], &row["findings"][0]["severity"]),
        (&"contracted_hours".into(), &"warn".into())
    );
    assert!(row["findings"][0].get("visit_ids").is_none(), "the week's visits were sent again: {row}");
    // Offered Friday's call, she is listed with the same week so far.
    let friday = on(&store, d(3, 6), margaret);
    let offered = rota::candidates(&store, friday).unwrap().into_iter().find(|c| c.carer_id == sarah).expect("Sarah");
    assert_eq!((offered.week_minutes, offered.contracted_hours), (work, 2.25), "her week so far, as her row says");
    // On call, ranked to take it over, with Friday's call (no other that day).
    let ranked = rota::reallocate::visit_replacements(&store, friday).unwrap();
    let sarah_fits = ranked.fits.iter().find(|r| r.carer_id == sarah).expect("Sarah among those who fit");
    assert_eq!(sarah_fits.week_minutes, i64::from(work + 45), "{:?}", sarah_fits.reasons);
}

#[test]
fn a_kept_week_holds_the_day_either_side_only_where_a_carer_is_on_a_visit_and_still_finds_a_clash_across_its_edge() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    // Two clients called every day from Sunday 1 March, for 45 minutes: one
    // at midnight, one at 23:45.
    for (name, at) in [("Margaret", "00:00"), ("Albert", "23:45")] {
        let mut form = support::client_form();
        form.given_name = name.into();
        let client = people::save_client(&mut store, &form).unwrap();
        let mut package = support::package_form(client);
        package.weekdays = people::Weekday::ALL.to_vec();
        (package.start_time, package.starts_on) = (at.into(), "2026-03-01".into());
        people::save_package(&mut store, &package).unwrap();
    }
    rota::roll_forward(&mut store, d(3, 1), d(3, 9), &mut |_| {}).unwrap();
    // Sarah's call late on Sunday, the day before the week of 2 March, runs
    // into her call at midnight.
    let sunday_late: Vec<(Uuid, Uuid)> = ids_on(&store, d(3, 1)).into_iter().skip(1).collect();
    let monday_midnight: Vec<(Uuid, Uuid)> = ids_on(&store, d(3, 2)).into_iter().take(1).collect();
    support::give_past_the_rules(&mut store, &sunday_late, sarah);
    support::give_past_the_rules(&mut store, &monday_midnight, sarah);

    let kept = week::cached_week(&store, d(3, 2)).unwrap();
    let held: Vec<NaiveDate> = kept.visits().map(|v| v.facts.date).collect();
    assert_eq!(
        held.len(),
        2 * 7 + 1,
        "the week's 14 calls and Sarah's Sunday call, not Albert's or the Monday after's"
    );
    assert_eq!(held.iter().filter(|date| **date == d(3, 1)).count(), 1, "Sunday's call with a carer on it");
    assert!(!held.contains(&d(3, 9)), "no one is on the Monday after's calls");
    let clash = kept.findings().iter().find(|f| f.rule == RuleId::Overlap);
    let clash = clash.unwrap_or_else(|| panic!("the clash across midnight is found: {:?}", kept.findings()));
    assert_eq!(clash.carer_id, Some(sarah));
    assert_eq!(*clash.visit_ids, [sunday_late[0].0, monday_midnight[0].0], "{clash:?}");
}
