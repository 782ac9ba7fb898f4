//! Opening files, pragmas and migrations.

use caredesk::store::{latest_version, migrate_to};
use caredesk::{Error, Store};
use rusqlite::Connection;

fn schema(conn: &Connection) -> Vec<(String, String, String)> {
    conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn reference_rows(conn: &Connection) -> Vec<(String, String)> {
    conn.prepare("SELECT code, name FROM skills ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn upgrading_from_every_earlier_schema_gives_the_same_schema_as_a_fresh_install() {
    let fresh = Store::open_in_memory("test").unwrap();
    let fresh_schema = schema(fresh.read());
    assert!(latest_version() >= 2, "there are several migrations to prove the upgrade path on");
    for start in 0..latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut old = Connection::open(&path).unwrap();
            migrate_to(&mut old, start).unwrap();
        }
        let upgraded = Store::open(&path, "test").unwrap();
        assert_eq!(schema(upgraded.read()), fresh_schema, "schema after upgrading from version {start}");
        assert_eq!(
            reference_rows(upgraded.read()),
            reference_rows(fresh.read()),
            "reference data after upgrading from version {start}"
        );
        let version: i64 = upgraded.read().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, latest_version());
    }
}

#[test]
fn an_existing_file_is_copied_aside_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    {
        let mut old = Connection::open(&path).unwrap();
        migrate_to(&mut old, 1).unwrap();
    }
    Store::open(&path, "test").unwrap();
    let copies: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with("caredesk.db.schema-1.") && name.ends_with(".bak"))
        .collect();
    assert_eq!(copies.len(), 1, "one copy of the schema-1 file, found {copies:?}");
    let copy = Connection::open(dir.path().join(&copies[0])).unwrap();
    let version: i64 = copy.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 1, "the copy is the file as it was before migrating");
}

#[test]
fn a_new_file_is_not_copied_and_an_up_to_date_file_is_not_copied_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    Store::open(&path, "test").unwrap();
    Store::open(&path, "test").unwrap();
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".bak"))
        .count();
    assert_eq!(backups, 0);
}

#[test]
fn a_database_from_a_newer_caredesk_is_refused_with_a_clear_message_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    Store::open(&path, "test").unwrap();
    let newer = latest_version() + 3;
    Connection::open(&path).unwrap().pragma_update(None, "user_version", newer).unwrap();
    let before = std::fs::read(&path).unwrap();

    let error = Store::open(&path, "test").err().expect("a newer database is refused");
    assert!(
        matches!(error, Error::NewerDatabase { found, supported } if found == newer && supported == latest_version())
    );
    let message = error.to_string();
    assert!(
        message.contains("newer version of Caredesk") && message.contains("Update Caredesk"),
        "message was: {message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is not changed");
}

#[test]
fn a_file_database_uses_wal_foreign_keys_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("caredesk.db"), "test").unwrap();
    let conn = store.read();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2), "journal mode, foreign keys, synchronous=FULL");
}

#[test]
fn every_table_is_strict() {
    let store = Store::open_in_memory("test").unwrap();
    let loose: Vec<String> = store
        .read()
        .prepare(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite_%' AND strict = 0",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(loose.is_empty(), "tables without STRICT: {loose:?}");
}

#[test]
fn two_stores_writing_the_same_file_at_once_wait_their_turn_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    Store::open(&path, "setup").unwrap();
    let writers: Vec<_> = (0..2)
        .map(|n| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path, &format!("writer {n}")).unwrap();
                for i in 0..25 {
                    let mut form = crate::support::carer_form();
                    form.given_name = format!("Writer{n}-{i}");
                    caredesk::people::save_carer(&mut store, &form).expect("each save succeeds");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let store = Store::open(&path, "check").unwrap();
    assert_eq!(crate::support::count(&store, "SELECT count(*) FROM carers"), 50);
    assert_eq!(crate::support::count(&store, "SELECT count(*) FROM change_log WHERE entity = 'carers'"), 50);
    let ok: String = store.read().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

/// The number of carers, as `conn` reads it.
fn carers_on(conn: &Connection) -> caredesk::Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM carers", [], |r| r.get(0))?)
}

#[test]
fn a_read_side_by_side_gives_both_halves_the_same_data_when_another_instance_writes_meanwhile() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caredesk.db");
    let mut store = Store::open(&path, "office").unwrap();
    caredesk::people::save_carer(&mut store, &crate::support::carer_form()).unwrap();
    // The first time round, the half read here is done before another
    // instance saves a carer, and the half beside reads after it.
    let (read_here, here_done) = mpsc::channel();
    let here_done = Mutex::new(here_done);
    let first = (AtomicBool::new(true), AtomicBool::new(true));
    let (here, beside) = store
        .read_side_by_side(
            |conn| {
                let n = carers_on(conn)?;
                if first.0.swap(false, Ordering::SeqCst) {
                    read_here.send(()).unwrap();
                }
                Ok(n)
            },
            |conn| {
                if first.1.swap(false, Ordering::SeqCst) {
                    here_done.lock().unwrap().recv().unwrap();
                    let mut other = Store::open(&path, "another instance").unwrap();
                    caredesk::people::save_carer(&mut other, &crate::support::carer_form()).unwrap();
                }
                carers_on(conn)
            },
        )
        .unwrap();
    assert_eq!((here, beside), (2, 2), "both halves read again after the other instance's save");
    // With nothing written meanwhile, each half is read once, beside.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let counted = |conn: &Connection| {
        calls.fetch_add(1, Ordering::SeqCst);
        carers_on(conn)
    };
    assert_eq!(store.read_side_by_side(counted, counted).unwrap(), (2, 2));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "each half read once");
}

#[test]
fn a_read_beside_that_panicked_does_not_stop_the_next_read_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("caredesk.db"), "office").unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.read_side_by_side(carers_on, |_| -> caredesk::Result<i64> { panic!("a read beside went wrong") })
    }));
    assert!(panicked.is_err(), "the panic reaches the caller");
    assert_eq!(store.read_side_by_side(carers_on, carers_on).expect("the next read works"), (0, 0));
}
