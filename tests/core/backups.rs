//! Backups: made beside the file and checked, kept by the rotation policy,
//! previewed, and restored with a safety copy first; a damaged one refused.

use crate::support::{self, carer_form, count};
use caredesk::access::{create_first_user, save_user, sign_in, sign_out, Role};
use caredesk::backup::{self, policy::BackupKind, Source};
use caredesk::people::save_carer;
use caredesk::{Error, Store};
use chrono::{Duration, TimeZone, Utc};

fn file_store(dir: &std::path::Path) -> Store {
    let clock =
        std::sync::Arc::new(caredesk::clock::FixedClock::at(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()));
    Store::open(&dir.join("caredesk.db"), support::COORDINATOR).unwrap().with_clock(clock)
}

#[test]
fn a_backup_is_checked_listed_and_previewed_with_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = file_store(dir.path());
    save_carer(&mut store, &carer_form()).unwrap();
    let db = store.path().unwrap().to_owned();
    let made = backup::back_up(&Source::plain(&db), store.now()).unwrap();
    assert_eq!(made.name, "caredesk-20260302T090000Z.db");
    assert!(dir.path().join("backups").join(&made.name).exists());
    assert_eq!(backup::list(&db).unwrap().iter().map(|b| b.name.clone()).collect::<Vec<_>>(), vec![made.name.clone()]);
    let preview = backup::preview(&Source::plain(&db), &made.name).unwrap();
    assert_eq!((preview.carers, preview.clients, preview.visits), (1, 0, 0));
    assert_eq!(preview.last_change_by.as_deref(), Some(support::COORDINATOR));
    assert_eq!(preview.schema_version as i64, caredesk::store::latest_version());
}

#[test]
fn restoring_brings_back_the_data_as_it_was_and_keeps_a_safety_copy_of_what_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = file_store(dir.path());
    save_carer(&mut store, &carer_form()).unwrap();
    let db = store.path().unwrap().to_owned();
    let before = backup::back_up(&Source::plain(&db), store.now()).unwrap();
    let mut second = carer_form();
    second.given_name = "Added".into();
    second.family_name = "Afterwards".into();
    save_carer(&mut store, &second).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 2);

    let outcome = backup::restore(&mut store, &before.name).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 1, "the carer added after the backup is gone");
    assert_eq!(outcome.safety_copy, "caredesk-20260302T090000Z-before-restore.db");
    let safety = backup::preview(&Source::plain(&db), &outcome.safety_copy).unwrap();
    assert_eq!((safety.carers, safety.backup.kind), (2, BackupKind::SafetyCopy), "the safety copy has both carers");
    let recorded = support::texts(&store, "SELECT actor FROM change_log WHERE entity = 'restorations'");
    assert_eq!(recorded, vec![support::COORDINATOR.to_string()], "the restore is in the change log, with who did it");
    // The store carries on working on the restored data.
    save_carer(&mut store, &second).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 2);
}

#[test]
fn only_a_registered_manager_restores_and_only_a_backup_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = file_store(dir.path());
    let password = support::PASSWORD;
    let user = |name: &str, role| support::user(name, name, role);
    create_first_user(&mut store, &user("sam", Role::RegisteredManager)).unwrap();
    save_user(&mut store, &user("jo", Role::Coordinator)).unwrap();
    let db = store.path().unwrap().to_owned();
    let made = backup::back_up(&Source::plain(&db), store.now()).unwrap();
    sign_out(&mut store);
    sign_in(&mut store, "jo", password).unwrap();
    let refused = backup::restore(&mut store, &made.name);
    assert!(matches!(refused, Err(Error::PermissionDenied(_))), "a coordinator cannot restore: {refused:?}");
    sign_out(&mut store);
    sign_in(&mut store, "sam", password).unwrap();
    for not_a_backup in ["../caredesk.db", "caredesk.db", "caredesk-20260302T090000Z.db.partial"] {
        let refused = backup::restore(&mut store, not_a_backup);
        assert!(matches!(refused, Err(Error::NotFound { .. })), "{not_a_backup}: {refused:?}");
    }
    backup::restore(&mut store, &made.name).expect("the registered manager restores");
}

#[test]
fn a_damaged_backup_is_refused_with_the_reason_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = file_store(dir.path());
    save_carer(&mut store, &carer_form()).unwrap();
    let db = store.path().unwrap().to_owned();
    let made = backup::back_up(&Source::plain(&db), store.now()).unwrap();
    let path = dir.path().join("backups").join(&made.name);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    std::fs::write(&path, bytes).unwrap();
    let refused = backup::restore(&mut store, &made.name);
    let reason = refused.expect_err("a damaged backup is refused").to_string();
    assert!(
        reason.contains("integrity") || reason.contains("malformed"),
        "the reason says the backup is damaged: {reason}"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 1, "the current data is untouched");
    assert!(
        !dir.path().join("backups").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("before-restore")),
        "no safety copy is needed when nothing was replaced"
    );
}

#[test]
fn backups_run_hourly_clear_half_made_copies_and_thin_out_with_age() {
    let dir = tempfile::tempdir().unwrap();
    let store = file_store(dir.path());
    let db = store.path().unwrap().to_owned();
    let now = store.now();
    let first = backup::run_due(&Source::plain(&db), now).unwrap();
    assert!(first.is_some(), "the first run makes a backup");
    assert!(
        backup::run_due(&Source::plain(&db), now + Duration::minutes(30)).unwrap().is_none(),
        "not due within the hour"
    );
    let folder = dir.path().join("backups");
    std::fs::write(folder.join("caredesk-20260302T093000Z.db.partial"), b"half").unwrap();
    // Two backups from three days ago: only the later one of that day stays.
    let made = folder.join(first.unwrap().name);
    std::fs::copy(&made, folder.join("caredesk-20260227T080000Z.db")).unwrap();
    std::fs::copy(&made, folder.join("caredesk-20260227T200000Z.db")).unwrap();
    assert!(backup::run_due(&Source::plain(&db), now + Duration::minutes(61)).unwrap().is_some());
    let names: Vec<String> = backup::list(&db).unwrap().into_iter().map(|b| b.name).collect();
    assert_eq!(
        names,
        vec!["caredesk-20260302T100100Z.db", "caredesk-20260302T090000Z.db", "caredesk-20260227T200000Z.db"],
        "newest first; the half-made copy and the earlier backup of 27 February are gone"
    );
    assert!(!folder.join("caredesk-20260302T093000Z.db.partial").exists());
}

#[test]
fn a_backup_is_made_while_another_connection_keeps_writing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = file_store(dir.path());
    let db = store.path().unwrap().to_owned();
    let writer = std::thread::spawn(move || {
        for i in 0..40 {
            let mut form = carer_form();
            form.given_name = format!("Carer{i}");
            save_carer(&mut store, &form).unwrap();
        }
        store
    });
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(backup::back_up(&Source::plain(&db), Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, i).unwrap()).unwrap());
    }
    let store = writer.join().unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 40, "every write went through");
    let mut carers_before = 0;
    for b in made {
        let copy = Store::open(&dir.path().join("backups").join(&b.name), "reader").unwrap();
        let carers = count(&copy, "SELECT count(*) FROM carers");
        let logged = count(&copy, "SELECT count(*) FROM change_log WHERE entity = 'carers' AND op = 'insert'");
        let skills = count(&copy, "SELECT count(*) FROM carer_skills");
        // One moment: every carer with its two skills and its log row, none half-saved.
        assert_eq!((logged, skills), (carers, carers * 2), "backup {} is one moment", b.name);
        assert!(carers >= carers_before, "later backups hold no fewer carers: {carers} after {carers_before}");
        carers_before = carers;
    }
}
