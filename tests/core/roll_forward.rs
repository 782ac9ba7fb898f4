//! Rolling care packages forward into visits.

use crate::support::{self, count};
use caredesk::access::Operation;
use caredesk::people::{self, ClientStatus, Weekday};
use caredesk::rota::{roll_forward, RollSummary, Visit};
use caredesk::store::Record;
use caredesk::Store;
use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A client with one package at `time` every day from 1 January 2026.
fn client_with_daily_call(store: &mut Store, time: &str) -> (Uuid, Uuid) {
    let client = people::save_client(store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.start_time = time.into();
    form.weekdays = Weekday::ALL.to_vec();
    form.starts_on = "2026-01-01".into();
    let package = people::save_package(store, &form).unwrap();
    (client, package)
}

fn roll(store: &mut Store, from: &str, to: &str) -> RollSummary {
    roll_forward(store, date(from), date(to), &mut |_| {}).unwrap()
}

fn visits(store: &Store) -> Vec<Visit> {
    let mut stmt = store.read().prepare("SELECT id FROM visits WHERE deleted_at IS NULL ORDER BY starts_at").unwrap();
    let ids: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    ids.iter().map(|id| caredesk::rota::visits::load_visit(store.read(), id.parse().unwrap()).unwrap()).collect()
}

#[test]
fn rolling_forward_twice_changes_nothing_the_second_time() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    let first = roll(&mut store, "2026-03-02", "2026-03-15");
    assert_eq!(first.created, 14, "one visit a day for two weeks");
    let log_rows = count(&store, "SELECT count(*) FROM change_log");
    let second = roll(&mut store, "2026-03-02", "2026-03-15");
    assert_eq!((second.created, second.updated, second.removed, second.unchanged), (0, 0, 0, 14));
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), log_rows, "no change-log rows either");
}

#[test]
fn a_visit_edited_by_hand_survives_a_change_to_its_package() {
    let (mut store, _) = support::store();
    let (_, package) = client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-03-03", "2026-03-05");
    let edited = visits(&store)[0].clone();
    let mut moved = edited.clone();
    moved.starts_at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    moved.edited_by_hand = true;
    store.write(Operation::EditPeople, |changes| changes.update(&edited, &moved)).unwrap();

    let mut form = people::package_form(store.read(), Some(package), Uuid::nil(), store.today()).unwrap();
    form.duration_min = Some(60.0);
    people::save_package(&mut store, &form).unwrap();
    let summary = roll(&mut store, "2026-03-03", "2026-03-05");

    assert_eq!((summary.updated, summary.kept_hand_edited), (2, 1));
    let after = visits(&store);
    let kept = after.iter().find(|v| v.id == edited.id).unwrap();
    assert_eq!(
        (kept.starts_at, kept.duration_min),
        (moved.starts_at, 45),
        "the hand-edited visit keeps its time and length"
    );
    assert!(after.iter().filter(|v| v.id != edited.id).all(|v| v.duration_min == 60), "the others follow the package");
}

/// The clock is at 09:00 on Monday 2 March: that morning's 07:30 call has
/// been made. A roll over today after the package changed (by a record
/// written without the visits following it, as an import would) leaves it.
#[test]
fn a_roll_over_today_leaves_the_call_already_made_as_it_happened() {
    let (mut store, _) = support::store();
    let (client, package) = client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-03-02", "2026-03-04");
    let mut form = people::package_form(store.read(), Some(package), Uuid::nil(), store.today()).unwrap();
    form.start_time = "08:30".into();
    people::save_package(&mut store, &form).unwrap();

    let summary = roll(&mut store, "2026-03-02", "2026-03-04");
    assert_eq!((summary.updated, summary.kept_begun), (2, 1), "Tuesday and Wednesday move; Monday's call stays");
    let times: Vec<String> =
        visits(&store).iter().map(|v| format!("{} {}", v.local_date, v.local_time.format("%H:%M"))).collect();
    assert_eq!(times, ["2026-03-02 07:30", "2026-03-03 08:30", "2026-03-04 08:30"]);

    let mut form = people::client_form(store.read(), Some(client)).unwrap();
    form.status = Some(ClientStatus::Ended);
    form.status_from = "2026-03-02".into();
    people::save_client(&mut store, &form).unwrap();
    let summary = roll(&mut store, "2026-03-02", "2026-03-04");
    assert_eq!((summary.removed, summary.kept_begun), (2, 1), "the care ended today: this morning's call stays");
}

/// Days before today that were never rolled are made when asked for: an
/// agency's first days kept in Caredesk.
#[test]
fn days_gone_by_that_were_never_rolled_are_made_when_asked_for() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    let summary = roll(&mut store, "2026-02-23", "2026-03-02");
    assert_eq!((summary.created, summary.kept_begun), (8, 0), "last week's seven and this morning's");
}

#[test]
fn a_client_in_hospital_gets_no_visits_until_the_expected_return() {
    let (mut store, _) = support::store();
    let (client, _) = client_with_daily_call(&mut store, "07:30");
    let mut form = people::client_form(store.read(), Some(client)).unwrap();
    form.status = Some(ClientStatus::InHospital);
    form.status_from = "2026-03-04".into();
    form.status_until = "2026-03-06".into();
    people::save_client(&mut store, &form).unwrap();
    roll(&mut store, "2026-03-02", "2026-03-08");
    let days: Vec<String> = visits(&store).iter().map(|v| v.local_date.to_string()).collect();
    assert_eq!(days, ["2026-03-02", "2026-03-03", "2026-03-07", "2026-03-08"]);
}

#[test]
fn visits_generated_before_a_client_was_suspended_are_removed_on_the_next_roll() {
    let (mut store, _) = support::store();
    let (client, _) = client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-03-02", "2026-03-08");
    let mut form = people::client_form(store.read(), Some(client)).unwrap();
    form.status = Some(ClientStatus::Suspended);
    form.status_from = "2026-03-05".into();
    people::save_client(&mut store, &form).unwrap();
    let summary = roll(&mut store, "2026-03-02", "2026-03-08");
    assert_eq!((summary.removed, summary.unchanged), (4, 3), "5, 6, 7 and 8 March go; 2, 3 and 4 stay");
    assert_eq!(count(&store, "SELECT count(*) FROM visits WHERE deleted_at IS NOT NULL"), 4, "removed as tombstones");
}

#[test]
fn a_week_a_call_runs_every_other_week_counted_from_its_start() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.weekdays = vec![Weekday::Tue];
    form.cycle_weeks = Some(2.0);
    form.cycle_week_list = vec![1];
    form.starts_on = "2026-03-04".into(); // a Wednesday: its week (from Mon 2 March) is week 1
    people::save_package(&mut store, &form).unwrap();
    roll(&mut store, "2026-03-01", "2026-04-05");
    let days: Vec<String> = visits(&store).iter().map(|v| v.local_date.to_string()).collect();
    assert_eq!(days, ["2026-03-17", "2026-03-31"], "3 March is before the start; 10 and 24 March are week B");
}

#[test]
fn a_1_30_call_on_the_october_night_exists_once_at_the_first_1_30() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "01:30");
    let summary = roll(&mut store, "2026-10-24", "2026-10-26");
    let got: Vec<(String, String)> =
        visits(&store).iter().map(|v| (v.local_date.to_string(), v.starts_at.to_rfc3339())).collect();
    assert_eq!(
        got,
        [
            ("2026-10-24".to_string(), "2026-10-24T00:30:00+00:00".to_string()), // BST
            ("2026-10-25".to_string(), "2026-10-25T00:30:00+00:00".to_string()), // the first 01:30, still BST
            ("2026-10-26".to_string(), "2026-10-26T01:30:00+00:00".to_string()), // GMT
        ]
    );
    assert_eq!(summary.time_notes.len(), 1);
    assert!(summary.time_notes[0].contains("01:30 on 25 Oct 2026 happens twice"), "{:?}", summary.time_notes);
    roll(&mut store, "2026-10-24", "2026-10-26");
    assert_eq!(visits(&store).len(), 3, "rolling again does not add the second 01:30");
}

#[test]
fn a_1_30_call_on_the_march_night_moves_to_2_30_bst_and_is_flagged() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "01:30");
    let summary = roll(&mut store, "2026-03-28", "2026-03-30");
    let got: Vec<String> = visits(&store).iter().map(|v| v.starts_at.to_rfc3339()).collect();
    assert_eq!(got, ["2026-03-28T01:30:00+00:00", "2026-03-29T01:30:00+00:00", "2026-03-30T00:30:00+00:00"]);
    let flagged = visits(&store).into_iter().find(|v| v.local_date == date("2026-03-29")).unwrap();
    assert!(
        flagged.time_note.contains("01:30 on 29 Mar 2026 does not exist")
            && flagged.time_note.contains("moved to 02:30 BST"),
        "{}",
        flagged.time_note
    );
    assert_eq!(summary.time_notes.len(), 1);
}

#[test]
fn a_morning_call_is_at_07_30_london_time_in_winter_and_summer() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-01-15", "2026-01-15");
    roll(&mut store, "2026-07-15", "2026-07-15");
    let got: Vec<String> = visits(&store).iter().map(|v| v.starts_at.to_rfc3339()).collect();
    assert_eq!(got, ["2026-01-15T07:30:00+00:00", "2026-07-15T06:30:00+00:00"]);
}

#[test]
fn an_end_before_the_start_or_a_range_over_a_year_is_refused() {
    let (mut store, _) = support::store();
    for (from, to) in [("2026-03-10", "2026-03-01"), ("2026-01-01", "2027-06-01")] {
        let result = roll_forward(&mut store, date(from), date(to), &mut |_| {});
        assert!(matches!(&result, Err(caredesk::Error::Invalid(f)) if f[0].field == "to"), "{from}..{to}: {result:?}");
    }
}

/// Forty days roll in two passes, a month and the rest: the bar hears each
/// pass's care packages rolled, and a Stop is offered while the first is
/// written, as another is still to come.
#[test]
fn progress_is_reported_package_by_package_in_each_pass_up_to_the_whole_range() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    client_with_daily_call(&mut store, "19:45");
    let (mut seen, mut stopping) = (Vec::new(), Vec::new());
    roll_forward(&mut store, date("2026-03-01"), date("2026-04-09"), &mut |p| {
        stopping.push(p.stopping.clone());
        seen.push((p.said, p.done, p.total, p.stoppable))
    })
    .unwrap();
    assert_eq!(
        stopping[0], "Stopping once the days up to Tue 31 Mar 2026 are rolled…",
        "a Stop pressed in the first pass ends the roll with it"
    );
    let said = |s: &str, done, stoppable| (s.to_string(), done, 4, stoppable);
    let march = "Sun 1 Mar 2026 to Tue 31 Mar 2026";
    let april = "Wed 1 Apr 2026 to Thu 9 Apr 2026";
    assert_eq!(
        seen,
        [
            said(&format!("{march}: 0 of 2 care packages rolled forward"), 0, true),
            said(&format!("{march}: 1 of 2 care packages rolled forward"), 1, true),
            said(&format!("{march}: 2 of 2 care packages rolled forward"), 2, true),
            said(&format!("{april}: 0 of 2 care packages rolled forward"), 2, false),
            said(&format!("{april}: 1 of 2 care packages rolled forward"), 3, false),
            said(&format!("{april}: 2 of 2 care packages rolled forward"), 4, false),
        ]
    );
}

#[test]
fn the_day_list_shows_each_visit_at_its_london_time_in_order() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "19:45");
    client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-07-15", "2026-07-15");
    let day = caredesk::rota::board(&store, date("2026-07-15"), 1).unwrap().visits;
    let times: Vec<(&str, &str)> = day.iter().map(|v| (&*v.local_start, &*v.label)).collect();
    assert_eq!(times, [("07:30", "Morning call"), ("19:45", "Morning call")], "BST times, earliest first");
    assert!(day.iter().all(|v| !v.short_visit), "45-minute calls are not short visits");
}

#[test]
fn the_day_list_flags_a_15_minute_call_unless_it_is_a_deliberate_short_task() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    for (label, short_task) in [("Prompt", true), ("Quick check", false)] {
        let mut form = support::package_form(client);
        form.label = label.into();
        form.duration_min = Some(15.0);
        form.short_task = short_task;
        people::save_package(&mut store, &form).unwrap();
    }
    roll(&mut store, "2026-03-02", "2026-03-02");
    let day = caredesk::rota::board(&store, date("2026-03-02"), 1).unwrap().visits;
    let flagged: Vec<(&str, bool)> = day.iter().map(|v| (&*v.label, v.short_visit)).collect();
    assert_eq!(flagged, [("Prompt", false), ("Quick check", true)]);
}

#[test]
fn a_rolled_month_reaches_the_database_file_not_only_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    let mut store = Store::open(&path, support::COORDINATOR).unwrap();
    client_with_daily_call(&mut store, "07:30");
    store.read().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let summary = roll(&mut store, "2026-03-01", "2026-03-31");
    assert_eq!(summary.created, 31);
    // The store stays open, so its write-ahead log is still beside the file;
    // the file alone holds the month only if the checkpoint copied it there.
    store.settle();
    let file_alone = dir.path().join("file-alone.db");
    std::fs::copy(&path, &file_alone).unwrap();
    let copy = rusqlite::Connection::open(&file_alone).unwrap();
    let in_file: i64 = copy.query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).unwrap();
    assert_eq!(in_file, 31, "the month's visits are in the database file itself");
    assert_eq!(count(&store, "SELECT count(*) FROM visits"), 31, "and the store goes on reading them");
}

/// The roll logs each package's days in a pass (up to a month) as one
/// batch: the visits' shared fields once and what differs per visit, so a
/// month on a large agency does not write one full log row per visit.
/// Nothing about a visit is lost by it.
#[test]
fn a_rolled_pass_is_one_log_row_per_package_holding_every_visit_whole() {
    let (mut store, _) = support::store();
    let (client, _) = client_with_daily_call(&mut store, "07:30");
    client_with_daily_call(&mut store, "18:00");
    roll(&mut store, "2026-03-02", "2026-04-12");

    let batches = count(&store, "SELECT count(*) FROM change_log WHERE entity = 'rolled_visits'");
    assert_eq!(batches, 4, "two packages, two passes (31 days, then 11)");
    assert_eq!(count(&store, "SELECT count(*) FROM change_log WHERE entity = 'visits'"), 0, "no row per visit");
    let made = visits(&store);
    assert_eq!(made.len(), 84);
    for visit in &made {
        let (changes, actor): (String, String) = store
            .read()
            .query_row(
                "SELECT changes, actor FROM change_log WHERE entity = 'rolled_visits' AND record_id = ?1
                 AND root_id = ?2 AND instr(changes, ?3) > 0",
                [visit.package_id.unwrap().to_string(), visit.client_id.to_string(), visit.id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("the visit is in its package's batch, on its client's page");
        assert_eq!(actor, support::COORDINATOR);
        let logged = caredesk::store::Batch::parse(&changes).and_then(|b| b.record(&visit.id.to_string())).unwrap();
        let stored: serde_json::Map<String, serde_json::Value> =
            visit.fields().into_iter().map(|(name, value)| (name.to_string(), json_of(value))).collect();
        assert_eq!(logged, stored, "the batch holds every field of visit {}", visit.local_date);
    }

    // The visit's history shows it made, field by field, as before.
    let history = caredesk::history::visit_history(store.read(), made[3].id).unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!((history[0].entity.as_str(), history[0].op.as_str()), ("visits", "insert"));
    let date = history[0].changes.iter().find(|c| c.field == "local_date").map(|c| c.after.clone());
    assert_eq!(date, Some(serde_json::json!(made[3].local_date.to_string())));
    // The client's page says what each roll made, not a line per visit.
    let page = caredesk::history::record_history(store.read(), client).unwrap();
    let rolls: Vec<String> = page
        .iter()
        .filter(|e| e.entity_label == "Rolled-forward visits")
        .map(|e| e.changes[0].after.as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        rolls,
        [
            "Morning call: 11 visits, Thu 2 Apr to Sun 12 Apr 2026",
            "Morning call: 31 visits, Mon 2 Mar to Wed 1 Apr 2026"
        ]
    );
}

fn json_of(value: rusqlite::types::Value) -> serde_json::Value {
    use rusqlite::types::Value;
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(f) => f.into(),
        Value::Text(t) => t.into(),
        Value::Blob(_) => panic!("visits hold no blobs"),
    }
}

#[test]
fn the_roll_forward_and_today_pages_say_how_far_ahead_the_visits_are_made_to_the_last_day_rolled() {
    let (mut store, _) = support::store();
    let today = date("2026-03-02");
    let before = caredesk::rota::made_ahead(store.read(), today).unwrap();
    assert_eq!(before.until, None, "nothing is rolled forward yet");
    assert_eq!(before.said, "No visits have been made from the care packages yet.");

    let (client, _) = client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-03-02", "2026-03-15");
    let rolled = caredesk::rota::made_ahead(store.read(), today).unwrap();
    assert_eq!(rolled.until, Some(date("2026-03-15")), "the last day rolled");
    assert_eq!(rolled.said, "The care packages' visits are made up to Sun 15 Mar 2026, 13 days from today.");
    assert!(!rolled.short, "13 days ahead is enough");
    let overview = caredesk::people::overview::overview(store.read(), date("2026-03-10")).unwrap();
    assert_eq!(
        (overview.made_ahead.days_ahead, overview.made_ahead.short),
        (5, true),
        "on the 10th, five days ahead: the Today page asks for a roll forward"
    );

    // Suspended from the 10th, and rolled a week further: the visits after
    // the 9th are removed and none are made, yet the days are rolled.
    let mut form = people::client_form(store.read(), Some(client)).unwrap();
    form.status = Some(ClientStatus::Suspended);
    form.status_from = "2026-03-10".into();
    people::save_client(&mut store, &form).unwrap();
    let again = roll(&mut store, "2026-03-02", "2026-03-22");
    assert_eq!((again.created, again.removed), (0, 6), "the 10th to the 15th removed, nothing made");
    let after = caredesk::rota::made_ahead(store.read(), today).unwrap();
    assert_eq!(after.until, Some(date("2026-03-22")), "rolled to the 22nd, with no visit to make after the 9th");
}

/// An agency whose packages run on weekdays only, rolled to a Sunday, is
/// made up to that Sunday: the weekend was rolled, with nothing to make. The
/// roll is in the change log, with who rolled and the days.
#[test]
fn weekday_only_packages_rolled_to_a_sunday_are_made_up_to_the_sunday_and_the_roll_is_logged() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.weekdays = vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
    people::save_package(&mut store, &form).unwrap();
    let rolled = roll(&mut store, "2026-03-02", "2026-04-12");
    assert_eq!(rolled.created, 30, "six weeks of weekdays");

    let ahead = caredesk::rota::made_ahead(store.read(), date("2026-03-11")).unwrap();
    assert_eq!(ahead.said, "The care packages' visits are made up to Sun 12 Apr 2026, 32 days from today.");
    // One roll, logged with its first pass (a month) and moved on with its
    // second.
    let logged: Vec<(String, String, String, String)> = store
        .read()
        .prepare("SELECT record_id, op, changes, actor FROM change_log WHERE entity = 'rolls' ORDER BY hlc")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert_eq!(logged[0].0, logged[1].0, "one roll's record");
    assert_eq!((logged[0].1.as_str(), logged[1].1.as_str()), ("insert", "update"));
    assert!(
        logged[0].2.contains("2026-03-02") && logged[0].2.contains("2026-04-01"),
        "the first pass, 31 days: {}",
        logged[0].2
    );
    assert!(
        logged[1].2.contains("2026-04-01") && logged[1].2.contains("2026-04-12"),
        "then to the second's end: {}",
        logged[1].2
    );
    assert!(logged.iter().all(|l| l.3 == support::COORDINATOR), "who rolled");

    roll(&mut store, "2026-03-02", "2026-03-08");
    assert_eq!(
        caredesk::rota::made_ahead(store.read(), date("2026-03-11")).unwrap().until,
        Some(date("2026-04-12")),
        "rolling a week already rolled again does not bring the last day back"
    );
}

/// Six weeks left between two rolls, then rolled in two passes (a month
/// and the rest), the second failing (the disk refuses it, say): the error
/// is given, and the month written is kept and recorded as rolled, so only
/// the days that failed are still said never rolled; rolling again makes
/// them.
#[test]
fn a_roll_that_fails_part_way_keeps_the_passes_written_recorded_as_rolled() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    roll(&mut store, "2026-03-02", "2026-03-08");
    roll(&mut store, "2026-04-20", "2026-04-26");
    let gaps = |store: &Store| caredesk::rota::made_ahead(store.read(), date("2026-03-02")).unwrap().gaps;
    let never = |from, to| caredesk::rota::made_ahead::DaysNotMade { from: date(from), to: date(to) };
    assert_eq!(gaps(&store), [never("2026-03-09", "2026-04-19")], "six weeks never rolled");
    store
        .read()
        .execute_batch(
            "CREATE TEMP TRIGGER disk_trouble BEFORE INSERT ON visits WHEN NEW.local_date >= '2026-04-09'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        )
        .unwrap();
    let failed = caredesk::rota::roll_forward(&mut store, date("2026-03-09"), date("2026-04-19"), &mut |_| {});
    assert!(failed.is_err(), "the second pass's failure is given: {failed:?}");
    let made =
        support::texts(&store, "SELECT local_date FROM visits WHERE local_date BETWEEN '2026-03-09' AND '2026-04-19'");
    assert_eq!(made.len(), 31, "the first pass's 31 days written are kept: {made:?}");
    assert_eq!(
        gaps(&store),
        [never("2026-04-09", "2026-04-19")],
        "and recorded as rolled: only the days that failed are not"
    );

    store.read().execute_batch("DROP TRIGGER disk_trouble").unwrap();
    let rest = roll(&mut store, "2026-03-09", "2026-04-19");
    assert_eq!((rest.created, rest.unchanged), (11, 31), "rolled again, the rest is made");
    assert!(gaps(&store).is_empty(), "and nothing is said never rolled");
}

/// Stop pressed while a ten-week roll writes its second pass: that pass
/// (its month) is finished and kept with the first, recorded as rolled, and
/// the summary says which days were not; rolling again makes the rest.
#[test]
fn a_roll_stopped_part_way_keeps_the_passes_written_and_says_which_days_were_not_rolled() {
    let (mut store, _) = support::store();
    client_with_daily_call(&mut store, "07:30");
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut heard = Vec::new();
    let summary =
        caredesk::rota::roll_forward_stoppable(&mut store, date("2026-03-02"), date("2026-05-10"), &stop, &mut |p| {
            // Pressed as the second pass began, its days on the bar.
            if p.said.starts_with("Thu 2 Apr 2026") {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            heard.push(p.said.split(':').next().unwrap_or_default().to_string());
        })
        .unwrap();
    heard.dedup();
    assert_eq!(
        heard,
        ["Mon 2 Mar 2026 to Wed 1 Apr 2026", "Thu 2 Apr 2026 to Sat 2 May 2026"],
        "the pass being written when Stop was pressed is finished, and no more"
    );
    assert_eq!(summary.created, 62, "two passes of daily calls");
    assert_eq!(
        summary.stopped.as_deref(),
        Some(
            "Stopped when asked: rolled from Mon 2 Mar 2026 to Sat 2 May 2026, not from Sun 3 May 2026 to \
             Sun 10 May 2026. Roll those days forward to make their visits."
        )
    );
    let rest = caredesk::rota::made_ahead::DaysNotMade { from: date("2026-05-03"), to: date("2026-05-10") };
    assert_eq!(summary.not_rolled, Some(rest), "the days not rolled, for the form");
    let days = support::texts(&store, "SELECT max(local_date) FROM visits WHERE deleted_at IS NULL");
    assert_eq!(days, ["2026-05-02"], "nothing made after the pass Stop was pressed in");
    let ahead = caredesk::rota::made_ahead(store.read(), date("2026-03-02")).unwrap();
    assert_eq!(ahead.until, Some(date("2026-05-02")), "the days written are recorded as rolled, and no more");

    let again = roll(&mut store, "2026-03-02", "2026-05-10");
    assert_eq!((again.created, again.unchanged, again.stopped), (8, 62, None), "rolled again, the rest is made");
}
