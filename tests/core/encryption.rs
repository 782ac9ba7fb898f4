//! Encryption at rest: the database, its WAL and its backups hold no
//! client's details in readable form; the keys are sealed per user and
//! with the recovery key; password changes, key rotation and an older
//! unencrypted file keep everything readable to the right people only.

use caredesk::access::{change_own_password, save_user, vault, Role, UserInput};
use caredesk::app::AppAgency;
use caredesk::backup::{self, Source};
use caredesk::clock::{Clock, FixedClock};
use caredesk::people::{save_client, ClientInput};
use caredesk::{Error, Store};
use chrono::{Duration, TimeZone, Utc};
use std::path::Path;
use std::sync::Arc;

use crate::support::PASSWORD;

fn first_user() -> UserInput {
    crate::support::user("sam", "Sam Manager", Role::RegisteredManager)
}

fn jo() -> UserInput {
    crate::support::user("jo", "Jo", Role::Coordinator)
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()))
}

/// A client whose name, address and notes are easy to look for in bytes.
fn telltale_client() -> ClientInput {
    ClientInput {
        given_name: "Philomena".into(),
        family_name: "Quarrington".into(),
        address_line1: "17 Wyle Cop Mews".into(),
        access_notes: "Keysafe code 9931 behind the water butt".into(),
        ..crate::support::client_form()
    }
}

/// Every file in `dir` and below, with its bytes.
fn every_file(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn assert_nothing_readable(dir: &Path, words: &[&str]) {
    let files = every_file(dir);
    assert!(files.iter().any(|(name, _)| name.ends_with("caredesk.db")), "the database is among the files");
    for (name, bytes) in &files {
        for word in words {
            assert!(!bytes.windows(word.len()).any(|w| w == word.as_bytes()), "{name} holds {word:?} in clear");
        }
    }
}

#[test]
fn the_database_its_wal_and_its_backups_hold_no_clients_details_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    let first = agency.create_first_user(&first_user()).unwrap();
    assert_eq!(first.recovery_key.len(), 39, "a recovery key to write down");
    let store = agency.store().unwrap();
    save_client(store, &telltale_client()).unwrap();
    let source = Source::of(store).unwrap();
    backup::back_up(&source, store.now()).unwrap();
    // The WAL holds the last changes until a checkpoint: look while it does.
    assert!(dir.path().join("caredesk.db-wal").exists(), "the write-ahead log is there to be looked at");
    assert_nothing_readable(dir.path(), &["Philomena", "Quarrington", "Wyle Cop", "Keysafe code 9931"]);
    let preview = backup::preview(&source, &backup::list(source.db_path()).unwrap()[0].name).unwrap();
    assert!(preview.clients > 1, "the backup opens with the key and holds the clients");
}

#[test]
fn only_the_right_password_opens_the_agency_and_wrong_ones_make_each_try_wait() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock.clone());
    agency.create_first_user(&first_user()).unwrap();
    agency.lock();
    assert!(matches!(agency.store(), Err(Error::SignInNeeded)), "locked: the store and its keys are gone");
    for expected in ["The user name or password is wrong", "The user name or password is wrong", "Wait 5 seconds"] {
        let Err(Error::SignInRefused(why)) = agency.sign_in("sam", "not my password") else { panic!() };
        assert!(why.contains(expected), "{why}");
    }
    let Err(Error::SignInRefused(why)) = agency.sign_in("sam", PASSWORD) else { panic!("inside the wait") };
    assert!(why.contains("try again in 5 seconds"), "{why}");
    clock.set(clock.now() + Duration::seconds(6));
    agency.sign_in("sam", PASSWORD).expect("after the wait the right password opens it");
    // Plain SQLite (no key) cannot read the file at all.
    let plain = rusqlite::Connection::open(dir.path().join("caredesk.db")).unwrap();
    assert!(plain.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err());
}

#[test]
fn new_users_and_changed_passwords_keep_the_data_readable_and_old_passwords_stop_working() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let jo = jo();
    save_user(agency.store().unwrap(), &jo).unwrap();
    agency.sign_in("jo", PASSWORD).expect("a user added by the manager unlocks with their own password");
    change_own_password(agency.store().unwrap(), PASSWORD, "a new long passphrase", "a new long passphrase").unwrap();
    assert!(agency.sign_in("jo", PASSWORD).is_err(), "the old password no longer unlocks");
    agency.sign_in("jo", "a new long passphrase").unwrap();
    let clients = crate::support::count(agency.store().unwrap(), "SELECT count(*) FROM clients");
    assert!(clients > 0, "the demo agency's clients are readable after the change");
}

#[test]
fn after_a_restart_signing_in_offers_the_name_of_whoever_signed_in_last() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    save_user(agency.store().unwrap(), &jo()).unwrap();
    agency.sign_in("jo", PASSWORD).unwrap();
    agency.lock();
    drop(agency);

    // The app starts again: nothing is open, and the form offers jo.
    let restarted = AppAgency::new(dir.path()).with_clock(clock());
    let state = restarted.state().unwrap();
    assert!(state.session.is_none(), "nobody is signed in after a restart");
    assert_eq!(state.last_user.as_deref(), Some("jo"), "the last user's name is offered");
    // A refused sign-in does not change whose name is offered.
    let mut restarted = restarted;
    assert!(restarted.sign_in("sam", "not my password").is_err());
    assert_eq!(AppAgency::new(dir.path()).state().unwrap().last_user.as_deref(), Some("jo"));
}

#[test]
fn a_switched_off_user_can_no_longer_unlock_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let jo = jo();
    let id = save_user(agency.store().unwrap(), &jo).unwrap();
    let off = UserInput { id: Some(id), active: false, password: String::new(), password_again: String::new(), ..jo };
    save_user(agency.store().unwrap(), &off).unwrap();
    let keys = std::fs::read_to_string(dir.path().join("caredesk.db.keys")).unwrap();
    assert!(!keys.contains("\"jo\""), "jo's sealed key is gone from the key file");
    assert!(agency.sign_in("jo", PASSWORD).is_err());
}

#[test]
fn the_recovery_key_sets_a_forgotten_password_and_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    let recovery = agency.create_first_user(&first_user()).unwrap().recovery_key;
    agency.lock();
    let forgot = UserInput {
        password: "remembered this time".into(),
        password_again: "remembered this time".into(),
        ..first_user()
    };
    let refused = agency.recover("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", &forgot);
    assert!(matches!(refused, Err(Error::SignInRefused(_))), "a wrong recovery key opens nothing");
    agency.recover(&recovery.to_lowercase(), &forgot).expect("the recovery key, typed in lower case, works");
    agency.lock();
    agency.sign_in("sam", "remembered this time").expect("the new password works");
    let logged = crate::support::texts(
        agency.store().unwrap(),
        "SELECT actor FROM change_log WHERE entity = 'users' ORDER BY hlc DESC LIMIT 1",
    );
    assert_eq!(logged, vec!["recovery key, for sam".to_string()]);
}

#[test]
fn a_key_rotation_keeps_the_data_and_older_backups_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let store = agency.store().unwrap();
    let old_backup = backup::back_up(&Source::of(store).unwrap(), store.now()).unwrap();
    vault::rotate_key(store).unwrap();
    save_client(store, &telltale_client()).unwrap();
    agency.lock();
    agency.sign_in("sam", PASSWORD).expect("signs in with the rotated key");
    let store = agency.store().unwrap();
    let clients_now = crate::support::count(store, "SELECT count(*) FROM clients");
    let preview = backup::preview(&Source::of(store).unwrap(), &old_backup.name).expect("the old backup still opens");
    assert_eq!(preview.clients as i64, clients_now - 1);
    backup::restore(store, &old_backup.name).expect("and restores, re-encrypted with today's key");
    assert_eq!(crate::support::count(store, "SELECT count(*) FROM clients"), clients_now - 1);
    agency.lock();
    agency.sign_in("sam", PASSWORD).expect("the restored file opens with the current key");
}

#[test]
fn the_second_reader_opens_the_encrypted_file_and_follows_a_key_rotation_and_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let store = agency.store().unwrap();
    let clients = |conn: &rusqlite::Connection| -> caredesk::Result<i64> {
        Ok(conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
    };
    let (here, beside) = store.read_side_by_side(clients, clients).expect("both connections read the file");
    assert_eq!(beside, here);
    let backup = backup::back_up(&Source::of(store).unwrap(), store.now()).unwrap();
    vault::rotate_key(store).unwrap();
    save_client(store, &telltale_client()).unwrap();
    assert_eq!(store.read_side_by_side(clients, clients).expect("read after the rotation"), (here + 1, here + 1));
    backup::restore(store, &backup.name).unwrap();
    assert_eq!(store.read_side_by_side(clients, clients).expect("read after the restore"), (here, here));
}

#[test]
fn an_older_unencrypted_agency_is_encrypted_with_its_backups_on_the_first_users_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caredesk.db");
    {
        let mut plain = Store::open(&db, "an earlier Caredesk").unwrap();
        save_client(&mut plain, &telltale_client()).unwrap();
        backup::back_up(&Source::plain(&db), plain.now()).unwrap();
    }
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    assert!(agency.state().unwrap().first_start, "no key file yet: the first user is asked for");
    agency.create_first_user(&first_user()).unwrap();
    let clients = crate::support::texts(agency.store().unwrap(), "SELECT family_name FROM clients");
    assert_eq!(clients, vec!["Quarrington".to_string()], "the earlier data is kept, and no demo is added");
    assert_nothing_readable(dir.path(), &["Philomena", "Quarrington", "Wyle Cop", "Keysafe code 9931"]);
}

#[test]
fn the_idle_lock_drops_the_keys_and_refuses_until_someone_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock.clone());
    agency.create_first_user(&first_user()).unwrap();
    clock.set(clock.now() + Duration::minutes(16));
    agency.lock_if_idle();
    assert!(matches!(agency.store(), Err(Error::SignInNeeded)));
    assert_eq!(agency.state().unwrap().last_user.as_deref(), Some("sam"), "the sign-in screen offers sam");
    agency.sign_in("sam", PASSWORD).unwrap();
    agency.store().expect("signed in again");
}

#[test]
fn renaming_a_user_or_switching_them_back_on_needs_a_new_password_for_the_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let jo = jo();
    let id = save_user(agency.store().unwrap(), &jo).unwrap();
    let keep =
        |input: UserInput| UserInput { id: Some(id), password: String::new(), password_again: String::new(), ..input };
    let renamed = save_user(agency.store().unwrap(), &keep(UserInput { user_name: "jo.smith".into(), ..jo.clone() }));
    assert!(matches!(&renamed, Err(Error::Invalid(p)) if p[0].field == "password"), "{renamed:?}");
    let with_password = UserInput { id: Some(id), user_name: "jo.smith".into(), ..jo.clone() };
    save_user(agency.store().unwrap(), &with_password).unwrap();
    assert!(agency.sign_in("jo", PASSWORD).is_err(), "the old name no longer unlocks");
    agency.sign_in("jo.smith", PASSWORD).expect("the new name does");
}

#[test]
fn a_first_start_opens_on_a_rota_with_last_week_and_today_done_and_the_rest_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let mut agency = AppAgency::new(dir.path()).with_clock(clock());
    agency.create_first_user(&first_user()).unwrap();
    let store = agency.store().unwrap();
    // The clock says Monday 2 March 2026: last week, that week and the next.
    let days: Vec<String> = crate::support::texts(store, "SELECT DISTINCT local_date FROM visits ORDER BY local_date");
    assert_eq!(days.first().map(String::as_str), Some("2026-02-23"));
    assert_eq!(days.last().map(String::as_str), Some("2026-03-15"));
    assert_eq!(days.len(), 21, "every day has visits");
    let date = |month: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, month, day).unwrap();
    // At most one visit in `share` of a board still waiting.
    let mostly_done = |board: &caredesk::rota::Board, share: usize, what: &str| {
        let (waiting, all) = (board.unallocated as usize, board.visits.len());
        assert!(waiting * share < all, "{what} mostly done: {waiting} of {all} waiting");
    };
    mostly_done(&caredesk::rota::board(store, date(2, 23), 7).unwrap(), 4, "last week");
    // Today, a Monday, is planned and published; the rest of the week waits.
    let today = caredesk::rota::board(store, date(3, 2), 1).unwrap();
    mostly_done(&today, 10, "today");
    assert!(today.drafts.is_empty(), "today is published");
    let this = caredesk::rota::board(store, date(3, 2), 7).unwrap();
    let after_today: Vec<_> = this.visits.iter().filter(|v| v.day > 0 && !v.cancelled).collect();
    assert!(after_today.len() > 100, "the rest of the week has its visits, got {}", after_today.len());
    assert!(after_today.iter().all(|v| v.needs_carer && v.carers.is_empty()), "from tomorrow on every visit waits");
    assert_eq!(this.drafts.len(), 6, "Tuesday to Sunday are drafts");
}
