//! What the write path needs to know about a stored record.

use rusqlite::types::Value;
use uuid::Uuid;

/// A row of a synced table, described as (column, value) pairs so the one
/// write path can insert it, diff two versions of it and log the difference.
pub trait Record {
    /// The table, which is also the entity name in the change log.
    const ENTITY: &'static str;

    fn id(&self) -> Uuid;

    /// The record page this row belongs to; a carer's skill belongs to the carer.
    fn root_id(&self) -> Uuid {
        self.id()
    }

    /// Columns whose values never go into the change log (a password hash):
    /// the log says they changed, not what to.
    const SECRET: &'static [&'static str] = &[];

    /// Every column but `id` and `deleted_at`, in a fixed order: the same
    /// columns for every record of the type (the write path makes each
    /// table's INSERT once and reuses it).
    fn fields(&self) -> Vec<(&'static str, Value)>;
}

/// `record_fields!(self; a, b, c)` → the (column, value) list of those
/// struct fields, whose names are also the column names.
#[macro_export]
macro_rules! record_fields {
    ($self:ident; $($name:ident),+ $(,)?) => {
        vec![$((stringify!($name), $crate::store::SqlField::to_value(&$self.$name))),+]
    };
}
