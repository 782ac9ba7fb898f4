//! Helpers shared by the core tests.

use caredesk::clock::FixedClock;
use caredesk::people::{AvailabilityInput, CarerInput, ClientInput, PackageInput, SkillInput, Transport, Weekday};
use caredesk::Store;
use chrono::{TimeZone, Utc};
use std::sync::Arc;

pub const COORDINATOR: &str = "Jo Coordinator";

/// The password every test user is given.
pub const PASSWORD: &str = "kettle on at seven";

/// The form for a new user in `role`, with [`PASSWORD`].
pub fn user(user_name: &str, full_name: &str, role: caredesk::access::Role) -> caredesk::access::UserInput {
    caredesk::access::UserInput {
        user_name: user_name.into(),
        full_name: full_name.into(),
        role: Some(role),
        active: true,
        password: PASSWORD.into(),
        password_again: PASSWORD.into(),
        id: None,
    }
}

/// A store in memory with its clock fixed at 09:00 on 2 March 2026.
pub fn store() -> (Store, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()));
    let store = Store::open_in_memory(COORDINATOR).expect("in-memory store opens").with_clock(clock.clone());
    (store, clock)
}

pub fn carer_form() -> CarerInput {
    CarerInput {
        given_name: "Sarah".into(),
        family_name: "Evans".into(),
        phone: "07700 900123".into(),
        address_line1: "12 Longden Road".into(),
        town: "Shrewsbury".into(),
        postcode: "sy3 7ab".into(),
        home_lat: Some(52.6975),
        home_lon: Some(-2.761),
        transport: Some(Transport::Car),
        languages: "English, Welsh".into(),
        started_on: "2024-05-01".into(),
        dbs_expires_on: "2027-05-01".into(),
        contracted_hours: Some(30.0),
        max_hours: Some(40.0),
        skills: vec![
            SkillInput { id: None, skill: "personal_care".into(), expires_on: String::new() },
            SkillInput { id: None, skill: "medication_l2".into(), expires_on: "2026-03-20".into() },
        ],
        availability: vec![AvailabilityInput {
            id: None,
            weekday: Some(Weekday::Mon),
            start_time: "07:00".into(),
            end_time: "14:30".into(),
        }],
        ..CarerInput::default()
    }
}

pub fn client_form() -> ClientInput {
    ClientInput {
        given_name: "Margaret".into(),
        family_name: "Onions".into(),
        address_line1: "4 Belle Vue Road".into(),
        town: "Shrewsbury".into(),
        postcode: "SY3 7NR".into(),
        lat: Some(52.7008),
        lon: Some(-2.7498),
        access_notes: "Key safe left of the door, code 1234".into(),
        funding: Some(caredesk::people::Funding::LocalAuthority),
        ..ClientInput::default()
    }
}

pub fn package_form(client: uuid::Uuid) -> PackageInput {
    PackageInput {
        client_id: Some(client),
        label: "Morning call".into(),
        weekdays: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        start_time: "07:30".into(),
        duration_min: Some(45.0),
        carers_required: Some(1.0),
        required_skills: vec!["medication_l2".into()],
        tasks: "Personal care\nPrompt medication".into(),
        flex_min: Some(30.0),
        cycle_weeks: Some(1.0),
        cycle_week_list: vec![1],
        starts_on: "2026-03-02".into(),
        ..PackageInput::default()
    }
}

/// The first column of every row `sql` returns, as text (numbers written
/// out, NULL as "").
pub fn texts(store: &Store, sql: &str) -> Vec<String> {
    use rusqlite::types::Value;
    let mut stmt = store.read().prepare(sql).expect("the query is valid");
    let values = stmt.query_map([], |r| r.get::<_, Value>(0)).unwrap().collect::<Result<Vec<_>, _>>().unwrap();
    values
        .into_iter()
        .map(|v| match v {
            Value::Text(text) => text,
            Value::Integer(n) => n.to_string(),
            Value::Real(x) => x.to_string(),
            Value::Null => String::new(),
            Value::Blob(_) => "(blob)".into(),
        })
        .collect()
}

pub fn count(store: &Store, sql: &str) -> i64 {
    store.read().query_row(sql, [], |r| r.get(0)).expect("count query runs")
}

/// The fields named in a validation error, or a panic saying what came instead.
pub fn invalid_fields<T: std::fmt::Debug>(result: caredesk::Result<T>) -> Vec<(String, String)> {
    match result {
        Err(caredesk::Error::Invalid(fields)) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The kept week of `monday` is still the one kept at `kept_at`, and reads
/// as the same week read afresh from the store.
pub fn assert_carried_over(store: &Store, monday: chrono::NaiveDate, kept_at: usize, after: &str) {
    let carried = caredesk::rota::week::cached_week(store, monday).unwrap();
    assert_eq!(Arc::as_ptr(&carried) as usize, kept_at, "{after}: the kept week was patched, not read again");
    let fresh = caredesk::rota::week::load_week(store.read(), monday, Default::default()).unwrap();
    let shown = |week: &caredesk::rota::week::Week| {
        week.visits().map(|v| format!("{v:?} {:?}", week.label(v.shown))).collect::<Vec<_>>()
    };
    assert_eq!(shown(&carried), shown(&fresh), "{after}: the board's visits");
    assert_eq!(carried.facts.visits, fresh.facts.visits, "{after}: the visits the rules check");
    assert_eq!(carried.facts.carers, fresh.facts.carers, "{after}: the carers the rules check");
    assert_eq!(carried.findings(), fresh.findings(), "{after}: what the rules say");
    assert_eq!(carried.findings_by_visit(), fresh.findings_by_visit(), "{after}: each visit's findings");
    assert_eq!(carried.work(), fresh.work(), "{after}: each carer's week of work");
}

/// A copy of `store` in a temporary file as schema `version` left it, to
/// prove the upgrades from there: every table, index and trigger a later
/// migration added is dropped and the version set back. A later migration
/// that changed something schema `version` already had cannot be undone so,
/// and is refused here rather than tested half-way.
pub fn file_at_schema(store: &Store, version: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    store.read().execute("VACUUM INTO ?1", [path.to_string_lossy()]).unwrap();
    let mut older = rusqlite::Connection::open_in_memory().unwrap();
    caredesk::store::migrate_to(&mut older, version).unwrap();
    let schema = |conn: &rusqlite::Connection| -> Vec<(String, String, String)> {
        let mut stmt = conn
            .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let was = schema(&older);
    let file = rusqlite::Connection::open(&path).unwrap();
    let mut later = Vec::new();
    for (kind, name, sql) in schema(&file) {
        match was.iter().find(|(_, n, _)| *n == name) {
            Some((_, _, old)) => assert_eq!(*old, sql, "{kind} {name} was changed after schema {version}"),
            None => later.push((kind, name)),
        }
    }
    // Triggers and indexes go with their table; drop them first all the same.
    later.sort_by_key(|(kind, _)| ["trigger", "index", "view", "table"].iter().position(|k| k == kind));
    for (kind, name) in later {
        file.execute_batch(&format!("DROP {} IF EXISTS \"{name}\";", kind.to_uppercase())).unwrap();
    }
    file.pragma_update(None, "user_version", version).unwrap();
    (dir, path)
}

/// Gives each (visit, client) to `carer` in slot 1 straight through the
/// write path, past the rules, as an old import might have: for a rota that
/// breaks them on purpose.
pub fn give_past_the_rules(store: &mut Store, visits: &[(uuid::Uuid, uuid::Uuid)], carer: uuid::Uuid) {
    use caredesk::rota::allocations::Allocation;
    store
        .write(caredesk::access::Operation::EditVisits, |changes| {
            for (visit_id, client_id) in visits {
                let id = caredesk::ids::new_id();
                changes.insert(&Allocation {
                    id,
                    visit_id: *visit_id,
                    slot: 1,
                    carer_id: carer,
                    client_id: *client_id,
                })?;
            }
            Ok(())
        })
        .expect("the allocations are written");
}
