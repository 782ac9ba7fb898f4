//! A change to a client or a care package reaching the visits already made,
//! without waiting for the next roll forward.

use crate::support::{self, count};
use caredesk::people::{self, ClientStatus, Weekday};
use caredesk::rota::{self, allocate, follow, publish, untold, EditScope, VisitEdit};
use caredesk::Store;
use chrono::NaiveDate;
use uuid::Uuid;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

/// Margaret's calls at 07:30 on Mondays, Wednesdays and Fridays, rolled to
/// Sunday 15 March; Sarah on Wednesday 4 March's; the week of 2 March
/// published. The clock stands at 09:00 on Monday 2 March, after the day's
/// first call.
struct Agency {
    store: Store,
    margaret: Uuid,
    package: Uuid,
}

fn agency() -> Agency {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let margaret = people::save_client(&mut store, &support::client_form()).unwrap();
    let package = people::save_package(&mut store, &support::package_form(margaret)).unwrap();
    rota::roll_forward(&mut store, d(2), d(15), &mut |_| {}).unwrap();
    let wednesday = calls(&store, margaret)[1].0;
    allocate(&mut store, wednesday, 1, sarah, "Covering, though not her usual day").unwrap();
    publish(&mut store, d(2), d(8)).unwrap();
    Agency { store, margaret, package }
}

/// A client's live visits in time order: id, day and London time.
fn calls(store: &Store, client: Uuid) -> Vec<(Uuid, NaiveDate, String)> {
    let mut stmt = store
        .read()
        .prepare("SELECT id, local_date, local_time FROM visits WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY starts_at")
        .unwrap();
    let rows = stmt.query_map([client.to_string()], |r| {
        Ok((r.get::<_, String>(0)?.parse().unwrap(), r.get::<_, String>(1)?.parse().unwrap(), r.get(2)?))
    });
    rows.unwrap().map(Result::unwrap).collect()
}

fn told(store: &Store) -> Vec<(String, String)> {
    untold(store.read()).unwrap().into_iter().map(|t| (t.person, t.what)).collect()
}

#[test]
fn a_package_added_after_the_roll_gets_its_visits_from_now_to_the_last_day_made() {
    let mut a = agency();
    let mut form = support::client_form();
    form.given_name = "Albert".into();
    let albert = people::save_client(&mut a.store, &form).unwrap();
    let mut package = support::package_form(albert);
    package.weekdays = Weekday::ALL.to_vec();
    let saved = follow::save_package(&mut a.store, &package).unwrap();

    let days: Vec<NaiveDate> = calls(&a.store, albert).into_iter().map(|(_, day, _)| day).collect();
    assert_eq!(days, d(3).iter_days().take(13).collect::<Vec<_>>(), "today's 07:30 has gone by; the 3rd to the 15th");
    assert_eq!(
        saved.said,
        "The rota already made up to Sun 15 Mar 2026 follows the change: 13 visits added. \
         On days already published: 6 changes to tell people about, on the To tell list."
    );
    let albert_told: Vec<String> =
        told(&a.store).into_iter().filter(|(who, _)| who.starts_with("Albert")).map(|(_, what)| what).collect();
    assert_eq!(albert_told.len(), 6, "the published days, the 3rd to the 8th: {albert_told:?}");
    assert!(albert_told[0].starts_with("New: Morning call for Albert"), "{}", albert_told[0]);
}

#[test]
fn a_client_gone_into_hospital_loses_the_visits_from_then_and_their_carer_is_freed_and_told() {
    let mut a = agency();
    let mut form = people::client_form(a.store.read(), Some(a.margaret)).unwrap();
    form.status = Some(ClientStatus::InHospital);
    form.status_from = "2026-03-04".into();
    let saved = follow::save_client(&mut a.store, &form).unwrap();

    let days: Vec<NaiveDate> = calls(&a.store, a.margaret).into_iter().map(|(_, day, _)| day).collect();
    assert_eq!(days, [d(2)], "Monday's call stays; the 4th on are removed");
    assert_eq!(saved.visits.removed, 5);
    assert_eq!(count(&a.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 0, "Sarah is freed");
    let told = told(&a.store);
    let sarah = told.iter().find(|(who, _)| who == "Sarah Evans").expect("Sarah is to be told");
    assert!(
        sarah.1.starts_with("Removed: Morning call for Margaret")
            && sarah.1.ends_with("(the client's care packages no longer call for it)"),
        "{}",
        sarah.1
    );
    assert_eq!(told.len(), 3, "Sarah, and Margaret for the 4th and the 6th; the 9th on were never published: {told:?}");
    assert_eq!(saved.to_tell, 3, "the same three, counted for the client's page");

    form.status = Some(ClientStatus::Active);
    let back = follow::save_client(&mut a.store, &form).unwrap();
    assert_eq!(back.visits.created, 5, "home again: the calls are made again");
    assert_eq!(calls(&a.store, a.margaret).len(), 6);
}

#[test]
fn a_package_moved_to_the_evening_moves_the_visits_not_yet_begun_and_keeps_those_edited_by_hand() {
    let mut a = agency();
    let monday_9th = calls(&a.store, a.margaret)[3].0;
    let edit = VisitEdit {
        visit_id: monday_9th,
        start_time: "08:00".into(),
        duration_min: Some(45.0),
        carers_required: Some(1.0),
        tasks: "Personal care".into(),
        scope: EditScope::ThisVisit,
        reason: String::new(),
    };
    rota::edit_visit(&mut a.store, &edit).unwrap();

    let mut form = people::package_form(a.store.read(), Some(a.package), a.margaret, d(2)).unwrap();
    form.start_time = "18:00".into();
    let saved = follow::save_package(&mut a.store, &form).unwrap();

    let times: Vec<(NaiveDate, String)> =
        calls(&a.store, a.margaret).into_iter().map(|(_, day, at)| (day, at)).collect();
    let at = |day: u32, time: &str| (d(day), time.to_string());
    assert_eq!(
        times,
        [at(2, "07:30"), at(4, "18:00"), at(6, "18:00"), at(9, "08:00"), at(11, "18:00"), at(13, "18:00")],
        "this morning's call has been; the 9th was edited by hand"
    );
    assert_eq!(
        saved.said,
        "The rota already made up to Sun 15 Mar 2026 follows the change: 4 visits changed; 1 edited by hand is kept \
         as it was. On days already published: 3 changes to tell people about, on the To tell list.",
        "Wednesday's to Sarah and Margaret, Friday's to Margaret"
    );
    assert!(
        told(&a.store).iter().any(|(who, what)| who == "Sarah Evans" && what.contains("time 07:30 → 18:00")),
        "Sarah's Wednesday call moved on a published day: {:?}",
        told(&a.store)
    );
}

#[test]
fn removing_a_package_takes_its_visits_not_yet_begun_with_it_and_a_new_address_changes_no_visit() {
    let mut a = agency();
    let mut form = people::client_form(a.store.read(), Some(a.margaret)).unwrap();
    form.address_line1 = "3 Abbey Foregate".into();
    let log = count(&a.store, "SELECT count(*) FROM change_log WHERE entity IN ('visits', 'rolled_visits')");
    let moved = follow::save_client(&mut a.store, &form).unwrap();
    assert_eq!(
        (moved.said.as_str(), moved.visits.unchanged),
        ("", 6),
        "this morning's call and the five to come are as they were"
    );
    let after = count(&a.store, "SELECT count(*) FROM change_log WHERE entity IN ('visits', 'rolled_visits')");
    assert_eq!(after, log, "no visit is written");

    let removed = follow::delete_package(&mut a.store, a.package).unwrap();
    assert_eq!(
        removed.said,
        "The rota already made up to Sun 15 Mar 2026 follows the change: 5 visits removed. \
         On days already published: 3 changes to tell people about, on the To tell list."
    );
    assert_eq!(calls(&a.store, a.margaret).len(), 1, "this morning's call, which has been, stays");
}
