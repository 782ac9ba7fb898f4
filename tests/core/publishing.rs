//! Publishing the rota, and the people to tell about changes after it.

use crate::support::{self, count};
use caredesk::people;
use caredesk::rota::{self, allocate, cancel_visit, mark_told, publish, unallocate, untold, TellHow};
use caredesk::{Error, Store};
use chrono::NaiveDate;
use uuid::Uuid;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

/// Margaret's morning calls for the week of 2 March, and Sarah.
fn agency() -> (Store, Vec<Uuid>, Uuid) {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(2), d(8), &mut |_| {}).unwrap();
    let mut stmt = store.read().prepare("SELECT id FROM visits ORDER BY starts_at").unwrap();
    let visits =
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|id| id.unwrap().parse().unwrap()).collect();
    drop(stmt);
    (store, visits, sarah)
}

#[test]
fn changes_to_a_draft_rota_need_no_telling() {
    let (mut store, visits, sarah) = agency();
    allocate(&mut store, visits[0], 1, sarah, "").unwrap();
    assert!(untold(store.read()).unwrap().is_empty());
}

#[test]
fn after_publishing_each_change_is_to_be_told_to_the_carer_and_the_client() {
    let (mut store, visits, sarah) = agency();
    let publication = publish(&mut store, d(2), d(8)).unwrap();
    assert_eq!(publication.published_by, support::COORDINATOR);

    allocate(&mut store, visits[0], 1, sarah, "").unwrap();
    let list = untold(store.read()).unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let carer = list.iter().find(|t| t.carer_id == Some(sarah)).expect("Sarah is to be told");
    assert_eq!(carer.what, "Added: Morning call for Margaret Onions at 07:30 on Mon 2 Mar");
    assert_eq!(carer.phone, "07700 900123");
    let client = list.iter().find(|t| t.carer_id.is_none()).expect("the client is to be told");
    assert_eq!(client.person, "Margaret Onions");
    assert!(client.what.starts_with("Sarah Evans will do the Morning call"), "{}", client.what);

    unallocate(&mut store, visits[0], 1).unwrap();
    cancel_visit(&mut store, visits[1], "Family visiting").unwrap();
    let whats: Vec<String> = untold(store.read()).unwrap().into_iter().map(|t| t.what).collect();
    assert!(whats.iter().any(|w| w.starts_with("Taken off: Morning call")), "{whats:?}");
    assert!(whats.iter().any(|w| w.starts_with("Cancelled: Morning call") && w.ends_with("(Family visiting)")));
}

/// A package changed and rolled forward again: the visits it moves on
/// published days are to be told, to their carers and the client; those on
/// draft days are not, and a call already made is not moved.
#[test]
fn a_roll_forward_after_a_package_change_tells_the_published_days_only() {
    let (mut store, visits, sarah) = agency();
    allocate(&mut store, visits[1], 1, sarah, "Covering Wednesday this week").unwrap();
    publish(&mut store, d(2), d(4)).unwrap();
    let client = rota::visits::load_visit(store.read(), visits[0]).unwrap().client_id;
    let package = store.read().query_row("SELECT id FROM care_packages", [], |r| r.get::<_, String>(0)).unwrap();
    let mut form = people::package_form(store.read(), Some(package.parse().unwrap()), client, d(2)).unwrap();
    form.start_time = "08:00".into();
    people::save_package(&mut store, &form).unwrap();

    let rolled = rota::roll_forward(&mut store, d(2), d(8), &mut |_| {}).unwrap();
    assert_eq!(
        (rolled.updated, rolled.kept_begun),
        (2, 1),
        "Wednesday's and Friday's calls move; Monday's, made at 07:30 before the clock's 09:00, stays"
    );
    let mut told: Vec<(String, String)> =
        untold(store.read()).unwrap().into_iter().map(|t| (t.person, t.what)).collect();
    told.sort();
    let wednesday = "Changed: Morning call for Margaret Onions at 07:30 on Wed 4 Mar (time 07:30 → 08:00)";
    assert_eq!(
        told,
        [("Margaret Onions".into(), wednesday.into()), ("Sarah Evans".into(), wednesday.into())],
        "Friday the 6th is a draft"
    );
}

#[test]
fn telling_records_when_by_whom_and_how_and_clears_the_list() {
    let (mut store, visits, sarah) = agency();
    publish(&mut store, d(2), d(8)).unwrap();
    allocate(&mut store, visits[0], 1, sarah, "").unwrap();
    let ids: Vec<Uuid> = untold(store.read()).unwrap().into_iter().map(|t| t.id).collect();
    mark_told(&mut store, &ids, TellHow::Phone).unwrap();
    assert!(untold(store.read()).unwrap().is_empty());
    assert_eq!(
        count(&store, "SELECT count(*) FROM to_tell WHERE told_by = 'Jo Coordinator' AND told_how = 'phone' AND told_at IS NOT NULL"),
        2
    );
    let again = mark_told(&mut store, &ids, TellHow::Text);
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
}

#[test]
fn a_period_already_published_is_not_published_twice() {
    let (mut store, _, _) = agency();
    publish(&mut store, d(2), d(8)).unwrap();
    assert!(matches!(publish(&mut store, d(3), d(5)), Err(Error::Conflict(_))));
    // Extending into new dates is allowed.
    publish(&mut store, d(2), d(15)).unwrap();
    assert!(matches!(publish(&mut store, d(9), d(2)), Err(Error::Invalid(_))));
}

#[test]
fn the_today_page_counts_visits_without_a_carer_and_changes_still_to_tell() {
    let (mut store, visits, sarah) = agency();
    let today = store.today();
    assert_eq!(today, d(2));
    let before = people::overview(store.read(), today).unwrap();
    assert_eq!((before.unallocated_today, before.untold), (1, 0), "Monday's call waits for a carer");
    publish(&mut store, d(2), d(8)).unwrap();
    allocate(&mut store, visits[0], 1, sarah, "").unwrap();
    let after = people::overview(store.read(), today).unwrap();
    assert_eq!((after.unallocated_today, after.untold), (0, 2), "Sarah and Margaret to be told");
}

#[test]
fn a_change_time_that_cannot_be_read_is_an_error_not_a_date_in_1970() {
    let (mut store, visits, sarah) = agency();
    publish(&mut store, d(2), d(8)).unwrap();
    allocate(&mut store, visits[0], 1, sarah, "").unwrap();
    // A damaged file, as a bad restore might leave it.
    store.read().execute_batch("UPDATE to_tell SET changed_at = 'yesterday'").unwrap();
    match untold(store.read()) {
        Err(error) => assert!(error.to_string().contains("yesterday"), "the error names the bad value: {error}"),
        Ok(rows) => panic!("expected an error, got {rows:?}"),
    }
}
