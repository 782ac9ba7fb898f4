//! The encrypted agency on disk. Making it (the first user and the recovery
//! key, an older unencrypted file encrypted on the way), signing in (key
//! file → keys → the database → the user), recovering with the recovery key,
//! keeping the key file in step as users and passwords change, and
//! rotating the database key.

use super::keys::{Failures, KeyFile, SecretKey};
use super::password;
use super::session::Session;
use super::users::{self, UserInput};
use super::Operation;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An agency opened by a person: the store, who they are, and on the very
/// first start the recovery key, to be shown once.
pub struct Opened {
    pub store: Store,
    pub session: Session,
    pub recovery_key: Option<String>,
}

/// Whether the agency at `db_path` still needs its first user (no key file).
pub fn needs_first_user(db_path: &Path) -> Result<bool> {
    Ok(KeyFile::read(&KeyFile::path_for(db_path))?.is_none())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Whether `path` is an SQLite file readable without a key.
fn is_plain(path: &Path) -> bool {
    let Ok(conn) = Connection::open(path) else { return false };
    crate::store::quiet(&conn).is_ok()
        && conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok()
}

/// Writes an encrypted copy of the unencrypted file `plain` to `to`.
fn encrypt_copy(plain: &Path, to: &Path, key: &SecretKey) -> Result<()> {
    let _ = std::fs::remove_file(to);
    let conn = Connection::open(plain)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    conn.execute("ATTACH DATABASE ?1 AS encrypted KEY ?2", [to.to_string_lossy().as_ref(), key.sql_key().as_str()])?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    conn.pragma_update(Some("encrypted"), "user_version", version)?;
    conn.execute("DETACH DATABASE encrypted", [])?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    Ok(())
}

/// Replaces the unencrypted file at `path` with an encrypted one, its WAL
/// folded in first so no unencrypted page is left beside it.
fn encrypt_in_place(path: &Path, key: &SecretKey) -> Result<()> {
    let partial = with_suffix(path, ".encrypting");
    encrypt_copy(path, &partial, key)?;
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, leftover));
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// Every unencrypted copy beside the database (backups, the copies made
/// before migrations) is encrypted too, so nothing is left readable.
fn encrypt_copies(db_path: &Path, key: &SecretKey) -> Result<()> {
    let mut copies: Vec<PathBuf> = Vec::new();
    for folder in [db_path.parent().map(Path::to_path_buf), Some(crate::backup::folder(db_path))].into_iter().flatten()
    {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
            if (name.ends_with(".bak") || name.ends_with(".db")) && path != db_path && is_plain(&path) {
                copies.push(path);
            }
        }
    }
    copies.iter().try_for_each(|copy| encrypt_in_place(copy, key))
}

/// Makes the agency's keys and its first user (the registered manager),
/// encrypting a file already there (an earlier Caredesk's, or a demo) or
/// creating one and `fill`ing it (the demo agency). Nothing is written if
/// the form is refused. Returns the recovery key once.
pub fn create_agency(
    db_path: &Path,
    input: &UserInput,
    clock: Arc<dyn Clock>,
    fill: impl FnOnce(&mut Store) -> Result<()>,
) -> Result<Opened> {
    let keys_path = KeyFile::path_for(db_path);
    if KeyFile::read(&keys_path)?.is_some() {
        return Err(Error::Conflict("This agency has users already: sign in, or ask the registered manager".into()));
    }
    users::check_first_user(input)?;
    let user_name = input.user_name.trim().to_lowercase();
    let (file, unlocked, recovery) = KeyFile::create(&user_name, &input.password);
    let building = with_suffix(db_path, ".new");
    for stale in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&building, stale));
    }
    let existing = db_path.exists();
    if existing {
        if !is_plain(db_path) {
            return Err(Error::Conflict(
                "This database is encrypted but its key file is missing: put caredesk.db.keys back beside it \
                 (a copy is kept with the backups)"
                    .into(),
            ));
        }
        encrypt_copy(db_path, &building, unlocked.current())?;
    }
    {
        let mut store = Store::open_encrypted(&building, unlocked.clone())?.with_clock(clock.clone());
        store.set_access(super::Access::Trusted { actor: crate::app::FIRST_START_ACTOR.into() });
        if !existing {
            fill(&mut store)?;
        }
        if let Err(refused) = users::create_first_user(&mut store, input) {
            drop(store);
            let _ = std::fs::remove_file(&building);
            return Err(refused);
        }
    }
    file.write(&keys_path)?;
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(db_path, leftover));
    }
    std::fs::rename(&building, db_path)?;
    encrypt_copies(db_path, unlocked.current())?;
    let mut opened = sign_in(db_path, &user_name, &input.password, clock)?;
    opened.recovery_key = Some(recovery);
    Ok(opened)
}

/// Signs in to the agency at `db_path`: the password unseals the keys, the
/// keys open the database, the database checks the user. Wrong passwords
/// are counted in the key file (a wrong one cannot open the database), with
/// the same growing waits.
pub fn sign_in(db_path: &Path, user_name: &str, password: &str, clock: Arc<dyn Clock>) -> Result<Opened> {
    let user_name = user_name.trim().to_lowercase();
    let keys_path = KeyFile::path_for(db_path);
    let mut file = KeyFile::read(&keys_path)?
        .ok_or_else(|| Error::Conflict("This agency has no users yet: make the first one".into()))?;
    let now = clock.now();
    let failures = file.failures(&user_name);
    if let Some(refusal) = password::still_waiting(&user_name, failures.count, failures.last, now) {
        return Err(Error::SignInRefused(refusal));
    }
    let Some(unlocked) = file.unlock(&user_name, password) else {
        if !file.has_user(&user_name) {
            password::verify_nothing(password);
            return Err(Error::SignInRefused(password::wrong_message(0)));
        }
        let count = failures.count + 1;
        file.set_failures(&user_name, Failures { count, last: Some(now) });
        file.write(&keys_path)?;
        return Err(Error::SignInRefused(password::wrong_message(count)));
    };
    if failures.count > 0 {
        file.set_failures(&user_name, Failures::default());
        file.write(&keys_path)?;
    }
    let mut store = Store::open_encrypted(db_path, unlocked)?.with_clock(clock);
    let session = users::sign_in(&mut store, &user_name, password)?;
    Ok(Opened { store, session, recovery_key: None })
}

/// With the agency's recovery key: sets a new password for `user_name`
/// (recorded as done with the recovery key) and signs them in.
pub fn recover(db_path: &Path, recovery_key: &str, input: &UserInput, clock: Arc<dyn Clock>) -> Result<Opened> {
    let keys_path = KeyFile::path_for(db_path);
    let mut file = KeyFile::read(&keys_path)?
        .ok_or_else(|| Error::Conflict("This agency has no users yet: make the first one".into()))?;
    let unlocked = file
        .unlock_with_recovery(recovery_key)
        .ok_or_else(|| Error::SignInRefused("That is not this agency's recovery key".into()))?;
    let mut store = Store::open_encrypted(db_path, unlocked.clone())?.with_clock(clock.clone());
    let user_name = users::reset_password_with_recovery(&mut store, input)?;
    file.grant(&unlocked, &user_name, &input.password);
    file.set_failures(&user_name, Failures::default());
    file.write(&keys_path)?;
    drop(store);
    sign_in(db_path, &user_name, &input.password, clock)
}

/// Keeps the key file in step after a user change: `password` (when one was
/// set) lets `user_name` unlock; a user switched off or renamed from
/// `old_name` can no longer. Does nothing for an unencrypted store.
pub(crate) fn update_key_file(
    store: &Store,
    old_name: Option<&str>,
    user_name: &str,
    active: bool,
    password: Option<&str>,
) -> Result<()> {
    let (Some(keys), Some(db_path)) = (store.keys(), store.path()) else { return Ok(()) };
    let keys_path = KeyFile::path_for(db_path);
    let mut file = KeyFile::read(&keys_path)?.unwrap_or_default();
    if let Some(old) = old_name.filter(|old| *old != user_name) {
        file.revoke(old);
    }
    match (active, password) {
        (false, _) => file.revoke(user_name),
        (true, Some(password)) => file.grant(keys, user_name, password),
        (true, None) => {}
    }
    file.write(&keys_path)
}

/// A new database key (registered manager): the key file first (keeping the
/// old key, so older backups still open and a crash mid-way is finished on
/// the next open), then the file re-encrypted.
pub fn rotate_key(store: &mut Store) -> Result<()> {
    store.permit(Operation::ChangeSettings)?;
    let db_path = store.path().ok_or_else(|| Error::Conflict("This database has no file".into()))?.to_owned();
    let keys_path = KeyFile::path_for(&db_path);
    let mut file =
        KeyFile::read(&keys_path)?.ok_or_else(|| Error::Conflict("This database is not encrypted".into()))?;
    let keys = store.keys_mut().ok_or_else(|| Error::Conflict("This database is not encrypted".into()))?;
    let new = file.rotate(keys);
    file.write(&keys_path)?;
    store.rekey(&new)
}
