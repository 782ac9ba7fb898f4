//! Values derived from the database, kept between reads until the data
//! changes: a week of the rota is read once when the board opens, and the
//! candidate list for a visit clicked next reuses it. Any write through this
//! store, or a commit by another connection (`PRAGMA data_version`), makes
//! every kept value stale — unless the writer carries the value over its
//! write (`carry_over`): a carer given a visit changes one visit of the
//! week, and patching that is far cheaper than reading the week again.

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
        let stale: Vec<String> =
            kept.iter().filter(|(_, (v, w, _))| (*v, *w) != (version, writes)).map(|(k, _)| k.clone()).collect();
        let mut old: Vec<Kept> = stale.iter().filter_map(|k| kept.remove(k)).collect();
        if kept.len() >= MOST {
            old.extend(kept.drain().map(|(_, value)| value));
        }
        drop_aside(old);
        kept.insert(key.to_string(), (version, writes, value.clone()));
        Ok(value)
    }

    /// After the store's write number `writes` (the one just made), hands
    /// the value kept under `key` to `patch` to bring it up to date, and keeps
    /// it as current. Only a value that was current just before that write
    /// and that nobody holds is carried over; otherwise it stays stale and
    /// is built afresh when next asked for. Returns whether it was carried.
    pub(super) fn carry_over<T: Any + Send + Sync>(
        &self,
        conn: &Connection,
        writes: u64,
        key: &str,
        patch: impl FnOnce(&mut T, &Connection) -> Result<()>,
    ) -> Result<bool> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let mut kept = self.kept.lock().map_err(|_| poisoned())?;
        let Some((v, w, value)) = kept.get_mut(key) else { return Ok(false) };
        if (*v, *w + 1) != (version, writes) {
            return Ok(false);
        }
        let Some(value) = Arc::get_mut(value).and_then(|any| any.downcast_mut::<T>()) else { return Ok(false) };
        if let Err(error) = patch(value, conn) {
            // Half patched is not the data: forget it.
            if let Some(stale) = kept.remove(key) {
                drop_aside(vec![stale]);
            }
            return Err(error);
        }
        *w = writes;
        Ok(true)
    }
}

impl Drop for Memo {
    fn drop(&mut self) {
        if let Ok(kept) = self.kept.get_mut() {
            drop_aside(kept.drain().map(|(_, value)| value).collect());
        }
    }
}

/// Frees stale values on another thread: a kept week is tens of thousands
/// of small allocations, and the first board opened after a write should
/// not wait while the week before it is freed.
fn drop_aside(values: Vec<Kept>) {
    if !values.is_empty() {
        rayon::spawn(move || drop(values));
    }
}

fn poisoned() -> crate::Error {
    crate::Error::Conflict("the rota cache was left inconsistent by a crash in another task; try again".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memo holding `[1]` under "week", built before any write.
    fn holding_one() -> (Connection, Memo) {
        let conn = Connection::open_in_memory().expect("a connection");
        let memo = Memo::default();
        memo.get_or_build(&conn, 0, "week", |_| Ok(vec![1u32])).expect("built");
        (conn, memo)
    }

    /// A patch that adds `n` to a kept list.
    fn push(n: u32) -> impl FnOnce(&mut Vec<u32>, &Connection) -> Result<()> {
        move |list, _| {
            list.push(n);
            Ok(())
        }
    }

    #[test]
    fn a_value_made_stale_by_a_write_is_replaced_and_freed_and_a_fresh_one_is_reused() {
        let conn = Connection::open_in_memory().expect("a connection");
        let memo = Memo::default();
        let first = memo.get_or_build(&conn, 0, "week", |_| Ok(vec![1u32; 1000])).expect("built");
        let again = memo.get_or_build(&conn, 0, "week", |_| Ok(vec![2u32; 1000])).expect("kept");
        assert!(Arc::ptr_eq(&first, &again), "nothing was written, so the kept value is reused");
        let old = Arc::downgrade(&first);
        drop((first, again));
        let after_write = memo.get_or_build(&conn, 1, "week", |_| Ok(vec![3u32; 1000])).expect("rebuilt");
        assert_eq!(after_write[0], 3, "after a write the value is built again");
        // The stale value is freed on another thread: wait for it, boundedly.
        let freed = (0..1000).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(10));
            old.upgrade().is_none()
        });
        assert!(freed, "the stale value was freed");
    }

    #[test]
    fn a_value_carried_over_the_write_just_made_is_kept_without_being_built_again() {
        let (conn, memo) = holding_one();
        let carried = memo.carry_over(&conn, 1, "week", push(2)).expect("patched");
        assert!(carried, "current before write 1 and held by nobody");
        let after = memo.get_or_build(&conn, 1, "week", |_| Ok(vec![9u32])).expect("kept");
        assert_eq!(*after, vec![1, 2], "the patched value, not a new one");
    }

    #[test]
    fn a_value_is_not_carried_over_a_write_it_missed_or_while_someone_holds_it() {
        let (conn, memo) = holding_one();
        // Write 1 went by without carrying it: write 2 cannot carry it either.
        let missed = memo.carry_over(&conn, 2, "week", push(2)).expect("asked");
        assert!(!missed, "stale since write 1");
        assert_eq!(*memo.get_or_build(&conn, 2, "week", |_| Ok(vec![3u32])).expect("rebuilt"), vec![3]);
        // A board still drawing from it: it is not changed under its feet.
        let held = memo.get_or_build(&conn, 2, "week", |_| Ok(vec![4u32])).expect("kept");
        let carried = memo.carry_over(&conn, 3, "week", push(5)).expect("asked");
        assert!(!carried && *held == vec![3], "the holder still sees {held:?}");
        drop(held);
        assert_eq!(*memo.get_or_build(&conn, 3, "week", |_| Ok(vec![6u32])).expect("rebuilt"), vec![6]);
    }

    #[test]
    fn a_patch_that_fails_leaves_nothing_kept() {
        let (conn, memo) = holding_one();
        let failed = memo.carry_over(&conn, 1, "week", |v: &mut Vec<u32>, _| {
            v.push(2);
            Err(crate::Error::Conflict("the visit has gone".into()))
        });
        assert!(failed.is_err(), "the patch's error is returned");
        assert_eq!(*memo.get_or_build(&conn, 1, "week", |_| Ok(vec![7u32])).expect("rebuilt"), vec![7]);
    }
}
