//! Values derived from the database, kept between reads until the data
//! changes: a week of the rota is read once when the board opens, and the
//! candidate list for a visit clicked next reuses it. Any write through this
//! store, or a commit by another connection (`PRAGMA data_version`), makes
//! every kept value stale.

use crate::error::Result;
use rusqlite::Connection;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most this many values are kept; a week of a large agency is a few MB.
const MOST: usize = 6;

type Kept = (i64, u64, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub(super) struct Memo {
    kept: Mutex<HashMap<String, Kept>>,
}

impl Memo {
    pub(super) fn get_or_build<T: Any + Send + Sync>(
        &self,
        conn: &Connection,
        writes: u64,
        key: &str,
        build: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<Arc<T>> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if let Some((v, w, value)) = self.kept.lock().map_err(|_| poisoned())?.get(key) {
            if (*v, *w) == (version, writes) {
                if let Ok(value) = value.clone().downcast::<T>() {
                    return Ok(value);
                }
            }
        }
        let value = Arc::new(build(conn)?);
        let mut kept = self.kept.lock().map_err(|_| poisoned())?;
        kept.retain(|_, (v, w, _)| (*v, *w) == (version, writes));
        if kept.len() >= MOST {
            kept.clear();
        }
        kept.insert(key.to_string(), (version, writes, value.clone()));
        Ok(value)
    }
}

fn poisoned() -> crate::Error {
    crate::Error::Conflict("the rota cache was left inconsistent by a crash in another task; try again".into())
}
