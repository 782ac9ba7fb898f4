//! The SQLite store: opening a file (or memory), the pragmas, migrations, and
//! the split between reading (`Store::read`) and writing (`Store::write`).
//!
//! Reads take a plain `&Connection`. Every change goes through
//! [`Store::write`], the one write path: it owns the transaction and the
//! change log, so nothing can change a record without leaving history.

mod batch;
mod beside;
mod cipher;
mod field;
mod hlc;
mod memo;
mod migrate;
mod record;
mod write;

pub(crate) use cipher::{open_keyed, quiet, rekey};

/// The page cache of an open store, in KiB: 2 MB, SQLite's own default.
/// The week the rota shows is kept as plain facts, not re-read from pages,
/// and carried over the writes that change one visit (`rota::carry`), so a
/// larger cache mostly held memory: 8 MB cost the app 6 MB more with the
/// large agency's rota open (cargo xtask bench startup release), and saved
/// about 10 ms of the 100 ms a week's board takes to reach the page after a
/// write that is not carried over (the release app, six runs each).
pub(crate) const READ_CACHE_KIB: i64 = 2_048;

/// The page cache while a roll-forward writes: a week of visits and their
/// change-log rows fit without spilling to disk mid-transaction.
pub(crate) const BULK_CACHE_KIB: i64 = 32_768;
pub use field::{
    instant_text, json_keys, json_list, row_date, row_enum, row_instant, row_opt_date, row_opt_instant, row_opt_time,
    row_opt_uuid, row_str, row_time, row_uuid, Columns, SqlField,
};
pub use migrate::{latest_version, migrate_to};

pub use batch::Batch;
pub use record::Record;
pub use write::{side_of, Changes};

use crate::access::keys::{SecretKey, Unlocked};
use crate::access::{Access, Operation};
use crate::clock::{Clock, SystemClock};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    device_id: String,
    access: Access,
    clock: Arc<dyn Clock>,
    /// Writes made through this store, so kept values know they are stale.
    writes: u64,
    memo: memo::Memo,
    /// The keys, when the file is encrypted: dropped with the store.
    keys: Option<Unlocked>,
    /// A checkpoint running on its own connection after a large write.
    checkpoint: Option<std::thread::JoinHandle<()>>,
    /// A second connection for reading beside this one (`read_side_by_side`).
    beside: beside::Beside,
}

impl Store {
    /// Opens (or creates) the database file at `path`, migrating it to the
    /// schema this build understands, unencrypted and with *trusted* access:
    /// every operation allowed and attributed to `actor`. For tests,
    /// benchmarks and set-up code; the app and the CLI open the encrypted
    /// agency by signing in (`access::vault`).
    pub fn open(path: &Path, actor: &str) -> Result<Self> {
        let existed = prepare(path)?;
        let conn = Connection::open(path)?;
        Self::set_up(conn, Some(path.to_path_buf()), existed, actor)
    }

    /// Opens the encrypted file at `path` with the first of `keys` that opens
    /// it (the current key, or an older one before a rotation finished),
    /// with nobody signed in: every write is refused until
    /// [`crate::access::sign_in`] succeeds.
    pub(crate) fn open_encrypted(path: &Path, keys: Unlocked) -> Result<Self> {
        let existed = prepare(path)?;
        let (conn, index) = open_keyed(path, &keys.database_keys, rusqlite::OpenFlags::default())?;
        if index != 0 {
            // A rotation wrote the key file but stopped before re-encrypting.
            rekey(&conn, keys.current())?;
        }
        let mut store = Self::set_up(conn, Some(path.to_path_buf()), existed, "nobody signed in")?;
        store.keys = Some(keys);
        store.lock();
        Ok(store)
    }

    /// The keys in memory, when the file is encrypted.
    pub(crate) fn keys(&self) -> Option<&Unlocked> {
        self.keys.as_ref()
    }

    pub(crate) fn keys_mut(&mut self) -> Option<&mut Unlocked> {
        self.keys.as_mut()
    }

    /// Re-encrypts the open file with `key` (a key rotation).
    pub(crate) fn rekey(&mut self, key: &SecretKey) -> Result<()> {
        self.settle();
        self.beside.forget();
        rekey(&self.conn, key)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory(actor: &str) -> Result<Self> {
        Self::set_up(Connection::open_in_memory()?, None, false, actor)
    }

    fn set_up(mut conn: Connection, path: Option<PathBuf>, existed: bool, actor: &str) -> Result<Self> {
        // WAL: readers never wait for the writer, and a crash mid-write leaves
        // the main file intact (the unfinished tail of the WAL is ignored).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // SQLite leaves foreign keys off unless asked, per connection.
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A second window or instance writing at the same moment waits for
        // its turn instead of failing with "database is locked".
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // FULL: a change the person was told is saved survives a power cut,
        // not only an app crash. Interactive writes are few; the fsync is cheap.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The page cache held between reads: the app keeps this connection
        // open all day, and every page a read touched stays cached up to
        // this size, on top of the app's other memory (see `BULK_CACHE_KIB`).
        conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
        // Defence in depth: SQL functions in the schema cannot be hijacked by
        // a file crafted elsewhere.
        conn.pragma_update(None, "trusted_schema", "OFF")?;

        let backup_from = if existed { path.as_deref() } else { None };
        bring_up_to_date(&mut conn, backup_from)?;
        let device_id = device_id(&conn)?;
        Ok(Self {
            conn,
            path,
            device_id,
            access: Access::Trusted { actor: actor.to_string() },
            clock: Arc::new(SystemClock),
            writes: 0,
            memo: memo::Memo::default(),
            keys: None,
            checkpoint: None,
            beside: beside::Beside::default(),
        })
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Who the following changes are attributed to, for a trusted store
    /// (a signed-in store is always its user).
    pub fn set_actor(&mut self, actor: &str) -> Result<()> {
        match self.access {
            Access::Trusted { .. } => {
                self.set_access(Access::Trusted { actor: actor.to_string() });
                Ok(())
            }
            _ => Err(crate::Error::PermissionDenied("act under another name".into())),
        }
    }

    /// Who changes are attributed to now: "Sam Manager (sam)".
    pub fn actor(&self) -> String {
        self.access.actor()
    }

    pub fn access(&self) -> &Access {
        &self.access
    }

    pub(crate) fn set_access(&mut self, access: Access) {
        self.access = access;
    }

    /// Signs the user out (or locks the app): every write and every guarded
    /// command is refused until someone signs in.
    pub fn lock(&mut self) {
        let last_user = match &self.access {
            Access::SignedIn(session) => Some(session.user_name.clone()),
            Access::Locked { last_user } => last_user.clone(),
            Access::Trusted { .. } => None,
        };
        self.set_access(Access::Locked { last_user });
    }

    /// Locks the store if its session has been idle past the limit, without
    /// counting this as activity.
    pub fn lock_if_idle(&mut self) {
        self.access.lock_if_idle(self.clock.now());
    }

    /// Counts this moment as activity, or refuses (and locks) when nobody is
    /// signed in or the session has been idle past its limit. Every command
    /// from the app passes here first.
    pub fn keep_alive(&mut self) -> Result<()> {
        self.access.keep_alive(self.clock.now())
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date where the agency works (Europe/London).
    pub fn today(&self) -> NaiveDate {
        crate::rota::plan::london_date(self.now())
    }

    /// The connection, for reading.
    pub fn read(&self) -> &Connection {
        &self.conn
    }

    /// The one write path: checks that the signed-in role allows `op`, then
    /// runs `apply` inside `BEGIN IMMEDIATE`, with a [`Changes`] that applies
    /// each change and appends its change-log row (signed by the user) in the
    /// same transaction. If `apply` fails, nothing of it is kept.
    pub fn write<T>(&mut self, op: Operation, apply: impl FnOnce(&mut Changes) -> Result<T>) -> Result<T> {
        self.permit(op)?;
        let actor = self.actor();
        self.write_as(&actor, apply)
    }

    /// Whether the signed-in role may carry out `op` now (for work that is
    /// not a write through [`Store::write`], such as a restore).
    pub(crate) fn permit(&mut self, op: Operation) -> Result<()> {
        self.access.permit(op, self.clock.now())
    }

    /// Copies what the write-ahead log holds into the database file, on a
    /// connection and thread of its own, after a write too large to copy
    /// while a person waits (a month rolled forward writes over 100 MB).
    /// The log already holds the committed change safely; SQLite lets this
    /// copy run beside the store's reads and writes. A file in memory has
    /// no log. Any earlier checkpoint still running is waited for first.
    pub(crate) fn checkpoint_in_background(&mut self) {
        self.settle();
        let Some(path) = self.path.clone() else { return };
        let keys: Vec<SecretKey> = self.keys.iter().map(|k| k.current().clone()).collect();
        self.checkpoint = Some(std::thread::spawn(move || {
            // Nothing is lost if this fails: the log stays, and the next
            // automatic checkpoint (or closing the file) copies it.
            if let Ok((conn, _)) = open_keyed(&path, &keys, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE) {
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
        }));
    }

    /// Waits for a background checkpoint to finish, if one is running.
    pub fn settle(&mut self) {
        if let Some(running) = self.checkpoint.take() {
            let _ = running.join();
        }
    }

    /// Replaces the whole database with what `source` reads (a checked
    /// backup, opened with this store's current key), then brings it to this
    /// build's schema. Kept values go stale.
    pub(crate) fn replace_with(&mut self, source: &Connection) -> Result<()> {
        self.settle();
        self.beside.forget();
        self.writes += 1;
        rusqlite::backup::Backup::new(source, &mut self.conn)?.run_to_completion(
            1024,
            std::time::Duration::ZERO,
            None,
        )?;
        bring_up_to_date(&mut self.conn, None)
    }

    /// The write path without the role check, signed by `actor`: only for the
    /// core's own bookkeeping when nobody can be signed in yet (counting a
    /// wrong password, creating the first user).
    pub(crate) fn write_as<T>(&mut self, actor: &str, apply: impl FnOnce(&mut Changes) -> Result<T>) -> Result<T> {
        self.writes += 1;
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changes = Changes::begin(tx, actor, &self.device_id, now)?;
        let out = apply(&mut changes)?;
        changes.commit()?;
        Ok(out)
    }
}

impl Store {
    /// The value `build` derives from the database, kept under `key` until
    /// the next write here or elsewhere. For reads that are costly and asked
    /// for again before anything changes (a week of the rota).
    pub fn memo<T: std::any::Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<Arc<T>> {
        self.memo.get_or_build(&self.conn, self.writes, key, build)
    }

    /// Right after a write, brings the value kept under `key` up to date
    /// with `patch` instead of letting the write make it stale (see
    /// `Memo::carry_over`: only a value current before this write, and
    /// held by nobody, is carried). Returns whether it was.
    pub(crate) fn carry_over<T: std::any::Any + Send + Sync>(
        &self,
        key: &str,
        patch: impl FnOnce(&mut T, &Connection) -> Result<()>,
    ) -> Result<bool> {
        self.memo.carry_over(&self.conn, self.writes, key, patch)
    }
}

impl Drop for Store {
    /// A checkpoint still running finishes before the file is let go (a
    /// backup or a restore may follow at once).
    fn drop(&mut self) {
        self.settle();
    }
}

/// The live (not tombstoned) row of `table` with this id, read by `read`,
/// or `NotFound` naming `what` ("Carer", "Visit") for the person.
pub fn find_live<T>(
    conn: &Connection,
    table: &'static str,
    id: uuid::Uuid,
    what: &'static str,
    read: fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<T> {
    conn.prepare_cached(&format!("SELECT * FROM {table} WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id.to_string()], read)
        .optional()?
        .ok_or_else(|| crate::Error::not_found(what, id))
}

/// Migrates the database to this build's schema (see `migrate::migrate`),
/// then counts what the upgrade left to count: after the upgrade to schema
/// 21 or 22, every carer's week with work in it waits for its travel and
/// rests to be counted. Done once, before the agency opens or a restored backup is used.
fn bring_up_to_date(conn: &mut Connection, backup_from: Option<&Path>) -> Result<()> {
    migrate::migrate(conn, backup_from)?;
    if crate::rota::week_travel::any_to_recount(conn)? {
        let tx = conn.transaction()?;
        write::keep_week_counts(&tx)?;
        tx.commit()?;
    }
    Ok(())
}

/// Makes the folder for a database file at `path`; whether the file was there.
fn prepare(path: &Path) -> Result<bool> {
    let existed = path.exists();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(existed)
}

/// This file's device id: made once, kept in `meta`. Local bookkeeping like
/// this is the one thing written outside the change log, because it never syncs.
fn device_id(conn: &Connection) -> Result<String> {
    let existing: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = crate::ids::new_id().to_string();
    conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?1)", [&id])?;
    Ok(id)
}
