//! A second, read-only connection to the store's file, for a read too large
//! to wait for on one core: opening a huge agency's week reads its 77,000
//! visits on the store's connection while the people, their skills and the
//! risk controls are read on this one, on the other core. SQLite lets
//! readers run side by side in WAL mode; each connection is used by one
//! thread at a time.

use super::{open_keyed, Store, READ_CACHE_KIB};
use crate::access::keys::SecretKey;
use crate::error::Result;
use rusqlite::{Connection, OpenFlags};
use std::sync::{Mutex, PoisonError};

/// The second connection, opened when first needed and kept open, as the
/// store's own is: opening one costs a key check and the schema's read.
#[derive(Default)]
pub(super) struct Beside(Mutex<Option<Connection>>);

impl Beside {
    /// Closes the connection: after a key rotation or a restore it would
    /// read the file as it was. The next read beside opens it again.
    pub(super) fn forget(&mut self) {
        *self.0.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// A connection that reads and never writes, with the store's read pragmas.
fn open_beside(path: &std::path::Path, keys: &[SecretKey]) -> Result<Connection> {
    // Read-write at the file level, as a reader of a WAL file must be to
    // share its index; `query_only` then refuses any write. Without a mutex
    // of its own, like the store's connection: one thread uses it at a time
    // (it sits behind `Beside`'s lock), and SQLite would otherwise take and
    // give back a lock on every column of every row it reads.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (conn, _) = open_keyed(path, keys, flags)?;
    conn.pragma_update(None, "query_only", "ON")?;
    conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

impl Store {
    /// Runs `here` on the store's connection and, at the same time, `beside`
    /// on the second connection on another thread; returns both answers.
    /// Both read the same data: should another connection commit while
    /// they run (`PRAGMA data_version` moves), both run again, one after
    /// the other, here. A store in memory has no file to open twice, so
    /// runs them in turn as well.
    pub fn read_side_by_side<A, B: Send>(
        &self,
        here: impl Fn(&Connection) -> Result<A>,
        beside: impl Fn(&Connection) -> Result<B> + Sync,
    ) -> Result<(A, B)> {
        let in_turn = || Ok((here(&self.conn)?, beside(&self.conn)?));
        let Some(path) = &self.path else { return in_turn() };
        // A read beside that panicked left the connection as sound as any
        // other whose statement was dropped half-way: it is used again.
        let mut second = self.beside.0.lock().unwrap_or_else(PoisonError::into_inner);
        if second.is_none() {
            let keys: Vec<SecretKey> = self.keys.iter().map(|k| k.current().clone()).collect();
            // Reading in turn is slower, never wrong.
            match open_beside(path, &keys) {
                Ok(conn) => *second = Some(conn),
                Err(_) => return in_turn(),
            }
        }
        let Some(second) = second.as_mut() else { return in_turn() };
        let version = data_version(&self.conn)?;
        let (a, b) = std::thread::scope(|scope| {
            let beside = &beside;
            let other = scope.spawn(move || beside(second));
            let a = here(&self.conn);
            (a, other.join())
        });
        let b = b.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        if data_version(&self.conn)? != version {
            return in_turn();
        }
        Ok((a?, b?))
    }

    /// Gives back the page caches of both connections, after a read that
    /// went through far more pages than they hold. Nothing is lost but
    /// pages SQLite reads again from the file when next asked.
    pub(crate) fn shrink_caches(&self) {
        let second = self.beside.0.lock().unwrap_or_else(PoisonError::into_inner);
        for conn in std::iter::once(&self.conn).chain(second.as_ref()) {
            // Only memory is at stake: a refusal leaves the cache as it was.
            let _ = conn.release_memory();
        }
    }
}
