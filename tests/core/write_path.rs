//! The one write path: transaction, change log, tombstones, history.

use crate::support::{self, count, COORDINATOR};
use caredesk::access::Operation;
use caredesk::history::record_history;
use caredesk::people::{self, save_carer, save_client, save_package};
use caredesk::{Error, Store};
use chrono::{TimeZone, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The hybrid logical clock values of the change log, in log order.
fn clock_values(store: &Store) -> Vec<String> {
    let mut stmt = store.read().prepare("SELECT hlc FROM change_log ORDER BY seq").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_change_that_fails_leaves_neither_the_change_nor_its_log_row() {
    let (mut store, _) = support::store();
    let records = support::carer_form().validate(&people::skill_codes(store.read()).unwrap()).unwrap();
    let result: caredesk::Result<()> = store.write(Operation::EditPeople, |changes| {
        changes.insert(&records.carer)?;
        Err(Error::Conflict("the coordinator cancelled".into()))
    });
    assert!(result.is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 0, "no carer row");
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), 0, "no change-log row");
}

#[test]
fn a_change_the_database_rejects_halfway_leaves_nothing_of_itself() {
    let (mut store, _) = support::store();
    let mut records = support::carer_form().validate(&people::skill_codes(store.read()).unwrap()).unwrap();
    records.skills[1].skill = "juggling".into(); // not in the catalogue: the foreign key refuses it
    let result = store.write(Operation::EditPeople, |changes| {
        changes.insert(&records.carer)?;
        changes.replace_children(&[], &records.skills)
    });
    assert!(matches!(result, Err(Error::Storage(_))), "the database refuses an unknown skill, got {result:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM carer_skills"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), 0);
}

#[test]
fn saving_a_new_carer_logs_every_row_with_actor_device_time_and_clock() {
    let (mut store, _) = support::store();
    let id = save_carer(&mut store, &support::carer_form()).unwrap();
    let history = record_history(store.read(), id).unwrap();
    // The carer, two skills and one availability slot.
    assert_eq!(history.len(), 4, "one log row per record: {history:?}");
    assert!(history.iter().all(|h| h.actor == COORDINATOR && h.op == "insert" && h.device_id == store.device_id()));
    assert!(history.iter().all(|h| h.at == "2026-03-02T09:00:00.000Z"), "times are the clock's UTC instant");
    let carer = history.iter().find(|h| h.entity == "carers").expect("the carer row is logged");
    let postcode = carer.changes.iter().find(|c| c.field == "postcode").expect("postcode logged");
    assert_eq!(
        (postcode.before.clone(), postcode.after.clone()),
        (serde_json::Value::Null, serde_json::json!("SY3 7AB"))
    );
    let hlcs = clock_values(&store);
    let mut sorted = hlcs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, hlcs, "clock values are unique and increase in log order");
}

#[test]
fn an_edit_logs_only_the_changed_fields_with_before_and_after() {
    let (mut store, _) = support::store();
    let id = save_carer(&mut store, &support::carer_form()).unwrap();
    store.set_actor("Sam Manager").unwrap();
    let mut form = people::carer_form(store.read(), Some(id), store.today()).unwrap();
    form.phone = "07700 900999".into();
    form.skills.remove(1);
    save_carer(&mut store, &form).unwrap();

    let history = record_history(store.read(), id).unwrap();
    let by_manager: Vec<_> = history.iter().filter(|h| h.actor == "Sam Manager").collect();
    assert_eq!(by_manager.len(), 2, "a phone update and a skill removal: {by_manager:?}");
    let phone = by_manager.iter().find(|h| h.entity == "carers").unwrap();
    assert_eq!(phone.op, "update");
    assert_eq!(phone.changes.len(), 1, "only the phone changed: {:?}", phone.changes);
    assert_eq!(phone.changes[0].before, serde_json::json!("07700 900123"));
    assert_eq!(phone.changes[0].after, serde_json::json!("07700 900999"));
    let removed = by_manager.iter().find(|h| h.entity == "carer_skills").unwrap();
    assert_eq!(removed.op, "delete");
    assert_eq!(history.first().unwrap().actor, "Sam Manager", "history is newest first");
}

#[test]
fn saving_an_unchanged_form_writes_nothing() {
    let (mut store, _) = support::store();
    let id = save_carer(&mut store, &support::carer_form()).unwrap();
    let before = count(&store, "SELECT count(*) FROM change_log");
    let form = people::carer_form(store.read(), Some(id), store.today()).unwrap();
    save_carer(&mut store, &form).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), before);
}

#[test]
fn a_deleted_care_package_is_a_tombstone_whose_history_stays_readable() {
    let (mut store, _) = support::store();
    let client = save_client(&mut store, &support::client_form()).unwrap();
    let package = save_package(&mut store, &support::package_form(client)).unwrap();
    people::delete_package(&mut store, package).unwrap();

    assert_eq!(
        count(&store, "SELECT count(*) FROM care_packages WHERE deleted_at IS NOT NULL"),
        1,
        "the row stays, marked deleted"
    );
    assert!(people::packages_of(store.read(), client).unwrap().is_empty(), "a deleted package is not listed");
    let history = record_history(store.read(), client).unwrap();
    let deletion = history
        .iter()
        .find(|h| h.entity == "care_packages" && h.op == "delete")
        .expect("the deletion is in the client's history");
    assert!(
        deletion.changes.iter().any(|c| c.field == "label" && c.before == serde_json::json!("Morning call")),
        "history shows what was removed"
    );
    assert!(
        matches!(people::delete_package(&mut store, package), Err(Error::NotFound { .. })),
        "deleting twice is refused"
    );
}

#[test]
fn the_change_log_cannot_be_edited_or_deleted() {
    let (mut store, _) = support::store();
    save_carer(&mut store, &support::carer_form()).unwrap();
    let update = store.read().execute("UPDATE change_log SET actor = 'someone else'", []);
    let delete = store.read().execute("DELETE FROM change_log", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn the_logical_clock_keeps_increasing_when_the_wall_clock_steps_back() {
    let (mut store, clock) = support::store();
    save_carer(&mut store, &support::carer_form()).unwrap();
    clock.set(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()); // a day earlier
    let mut form = support::carer_form();
    form.given_name = "Later".into();
    save_carer(&mut store, &form).unwrap();
    let hlcs = clock_values(&store);
    assert!(hlcs.windows(2).all(|w| w[0] < w[1]), "hybrid clock values only go up: {hlcs:?}");
}

/// Watches every row SQLite changes while the services run, and checks each
/// changed row of a synced table has at least as many change-log rows.
#[test]
fn no_service_changes_a_row_without_a_change_log_row() {
    let (mut store, _) = support::store();
    let touched: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let sink = touched.clone();
    store.read().update_hook(Some(move |_action, _db: &str, table: &str, rowid: i64| {
        sink.lock().unwrap().push((table.to_string(), rowid));
    }));

    let carer = save_carer(&mut store, &support::carer_form()).unwrap();
    let mut form = people::carer_form(store.read(), Some(carer), store.today()).unwrap();
    form.notes = "Prefers early shifts".into();
    form.skills.pop();
    save_carer(&mut store, &form).unwrap();
    let mut client_form = support::client_form();
    client_form.carer_preferences.push(people::PreferenceInput {
        id: None,
        carer_id: Some(carer),
        kind: Some(people::PreferenceKind::Preferred),
        reason: String::new(),
    });
    let client = save_client(&mut store, &client_form).unwrap();
    let package = save_package(&mut store, &support::package_form(client)).unwrap();
    let mut package_form = people::package_form(store.read(), Some(package), client, store.today()).unwrap();
    package_form.duration_min = Some(60.0);
    save_package(&mut store, &package_form).unwrap();
    people::delete_package(&mut store, package).unwrap();
    let another = save_package(&mut store, &support::package_form(client)).unwrap();
    let march = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    caredesk::rota::roll_forward(&mut store, march(2), march(15), &mut |_| {}).unwrap();
    people::delete_package(&mut store, another).unwrap();
    caredesk::rota::roll_forward(&mut store, march(2), march(15), &mut |_| {}).unwrap(); // removes them again
    let (mut demo_store, _) = support::store();
    let demo_touched: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let demo_sink = demo_touched.clone();
    demo_store.read().update_hook(Some(move |_action, _db: &str, table: &str, rowid: i64| {
        demo_sink.lock().unwrap().push((table.to_string(), rowid));
    }));
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 1, demo_store.today());
    caredesk::demo::load(&mut demo_store, &agency).unwrap();

    assert_every_write_logged(&store, &touched.lock().unwrap(), 12);
    assert_every_write_logged(&demo_store, &demo_touched.lock().unwrap(), 500);
}

fn assert_every_write_logged(store: &Store, touched: &[(String, i64)], at_least: usize) {
    let mut events: HashMap<(String, i64), i64> = HashMap::new();
    for key in touched.iter().filter(|(t, _)| t != "meta" && t != "change_log") {
        *events.entry(key.clone()).or_default() += 1;
    }
    assert!(events.len() >= at_least, "the workload touched at least {at_least} synced rows: {}", events.len());
    for ((table, rowid), writes) in events {
        let logged: i64 = store
            .read()
            .query_row(
                // A visit a roll forward made is logged in its package's batch.
                &format!(
                    "WITH written AS (SELECT id FROM {table} WHERE rowid = ?1)
                     SELECT count(*) FROM change_log, written
                     WHERE record_id = written.id OR (entity = 'rolled_visits' AND instr(changes, written.id) > 0)"
                ),
                [rowid],
                |r| r.get(0),
            )
            .unwrap();
        assert!(logged >= writes, "{table} row {rowid} was written {writes} times but logged {logged} times");
    }
}

/// The code-level half of the same promise: only the write path and the
/// migration runner contain SQL that changes rows.
#[test]
fn no_core_module_but_the_write_path_contains_sql_that_changes_rows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = ["store/write.rs", "store/migrate.rs"];
    let mut offenders = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            if allowed.contains(&relative.as_str()) || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            for (n, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
                let writes = ["INSERT INTO", "UPDATE ", "DELETE FROM", "REPLACE INTO", "execute_batch"]
                    .iter()
                    .any(|w| line.contains(w));
                // The device id lives in `meta`, local bookkeeping that never syncs.
                if writes && !line.contains("INTO meta") {
                    offenders.push(format!("{relative}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "SQL that writes outside the write path:\n{}", offenders.join("\n"));
}

/// History and the handover sheet name each change by what a person calls
/// the record ("Hazard added"), never "Record added": every table the write
/// path logs has a name, found by reading each record's `ENTITY` in the source.
#[test]
fn every_kind_of_record_has_a_name_a_person_reads_in_history() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut entities = vec![caredesk::rota::ROLLED_VISITS.to_string()];
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let declared = text.lines().filter_map(|l| l.trim().strip_prefix("const ENTITY: &'static str = \""));
                entities.extend(declared.map(|rest| rest.trim_end_matches("\";").to_string()));
            }
        }
    }
    assert!(entities.len() > 25, "the scan found the records: {entities:?}");
    let unnamed: Vec<&String> = entities.iter().filter(|e| caredesk::history::entity_label(e) == "Record").collect();
    assert!(unnamed.is_empty(), "kinds of record without a name in history: {unnamed:?}");
}
