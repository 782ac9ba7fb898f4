//! Opening SQLCipher files: with whichever of the agency's keys fits (the
//! current one first, older ones for files made before a rotation), and
//! re-encrypting a file with a new key. With no keys, a plain SQLite file.

use crate::access::keys::SecretKey;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Opens `path` with the first of `keys` that fits, proving each by reading
/// the schema (SQLCipher only checks a key on the first read). Returns the
/// connection and which key opened it (0 = current). No keys: a plain file.
pub(crate) fn open_keyed(path: &Path, keys: &[SecretKey], flags: OpenFlags) -> Result<(Connection, usize)> {
    if keys.is_empty() {
        return Ok((Connection::open_with_flags(path, flags)?, 0));
    }
    keys.iter()
        .enumerate()
        .find_map(|(i, key)| open_with(path, key, flags).ok().map(|conn| (conn, i)))
        .ok_or_else(|| Error::Conflict("None of the agency's keys opens this file".into()))
}

fn open_with(path: &Path, key: &SecretKey, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    quiet(&conn)?;
    conn.pragma_update(None, "key", key.sql_key().as_str())?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}

/// Trying a key that does not fit is expected (a backup made before a
/// rotation); SQLCipher would log each miss to the console.
pub(crate) fn quiet(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    Ok(())
}

/// Re-encrypts the whole file with `key`. SQLCipher rewrites every page;
/// it does so in rollback-journal mode, so WAL is left and taken up again.
pub(crate) fn rekey(conn: &Connection, key: &SecretKey) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "rekey", key.sql_key().as_str())?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(())
}
