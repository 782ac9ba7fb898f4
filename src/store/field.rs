//! Conversions between domain values and SQLite column values, in one place
//! so that dates, times, ids and lists are stored the same way everywhere:
//! dates `YYYY-MM-DD`, wall-clock times `HH:MM`, ids as text, lists as JSON.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::{Type, Value};
use rusqlite::{Row, RowIndex, Statement};
use rustc_hash::FxHashMap;
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

/// A statement's column places by name, looked up once for many rows:
/// reading by name costs rusqlite a comparison per column per read, which
/// was a tenth of opening a week (a client has 22 columns). Hashed with
/// FxHash: the names are the statement's own, and a carer's skills and
/// availability (25,000 rows on the huge agency) look up nine a row.
pub struct Columns(FxHashMap<String, usize>);

impl Columns {
    pub fn of(stmt: &Statement) -> Self {
        Self(stmt.column_names().into_iter().enumerate().map(|(i, name)| (name.to_string(), i)).collect())
    }

    /// The place of column `name`; for a name the statement does not have,
    /// a place past its end, which rusqlite refuses to read.
    pub fn at(&self, name: &str) -> usize {
        self.0.get(name).copied().unwrap_or(usize::MAX)
    }
}

pub trait SqlField {
    fn to_value(&self) -> Value;
}

impl SqlField for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl SqlField for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl SqlField for u8 {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl SqlField for u16 {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl SqlField for u32 {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl SqlField for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
// Written without a chrono format string, which is interpreted on every
// call: rolling a month forward writes a date and a time per visit.
impl SqlField for NaiveDate {
    fn to_value(&self) -> Value {
        // `Display` is `YYYY-MM-DD` for the years an agency deals in.
        Value::Text(self.to_string())
    }
}
impl SqlField for NaiveTime {
    fn to_value(&self) -> Value {
        use chrono::Timelike;
        Value::Text(format!("{:02}:{:02}", self.hour(), self.minute()))
    }
}
/// Instants are stored as RFC 3339 text in UTC, which sorts as time does.
impl SqlField for chrono::DateTime<chrono::Utc> {
    fn to_value(&self) -> Value {
        Value::Text(instant_text(*self))
    }
}

/// An instant as it is stored, for comparing with stored ones in SQL.
pub fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
impl SqlField for Uuid {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl<T: SqlField> SqlField for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, SqlField::to_value)
    }
}
impl<T: Serialize> SqlField for Vec<T> {
    fn to_value(&self) -> Value {
        Value::Text(serde_json::to_string(self).unwrap_or_else(|_| "[]".into()))
    }
}

/// A column, by name or by position (hot loops read by position: looking a
/// name up costs a string comparison per column per row).
pub trait Column: RowIndex + Copy + std::fmt::Debug {}
impl<T: RowIndex + Copy + std::fmt::Debug> Column for T {}

fn conversion_error(column: impl Column, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, format!("column {column:?}: cannot read {text:?}").into())
}

/// The column's text, borrowed from the row: for text kept as it is, or
/// looked up, with no `String` of its own.
pub fn row_str<'r>(row: &'r Row<'_>, column: impl Column) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(column)?.as_str()?)
}

/// An id, parsed from the column's bytes: the parser takes ASCII hex alone,
/// so checking the text is UTF-8 first (as reading it as `&str` does) was
/// work done twice, for every id of every row of a week.
fn parse_id(column: impl Column, bytes: &[u8]) -> rusqlite::Result<Uuid> {
    Uuid::try_parse_ascii(bytes).map_err(|_| conversion_error(column, &String::from_utf8_lossy(bytes)))
}

pub fn row_uuid(row: &Row, column: impl Column) -> rusqlite::Result<Uuid> {
    parse_id(column, row.get_ref(column)?.as_bytes()?)
}

pub fn row_opt_uuid(row: &Row, column: impl Column) -> rusqlite::Result<Option<Uuid>> {
    match row.get_ref(column)?.as_bytes_or_null()? {
        None => Ok(None),
        Some(bytes) => parse_id(column, bytes).map(Some),
    }
}

/// The number written in `digits` (ASCII digits only).
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD`, as every date is stored. Read by hand rather than by a
/// chrono format string: a week of the rota reads tens of thousands of
/// dates, and interpreting the format each time was a tenth of opening it.
fn parse_date(text: &str) -> Option<NaiveDate> {
    match text.as_bytes() {
        [y @ .., b'-', m1, m2, b'-', d1, d2] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(number(y)? as i32, number(&[*m1, *m2])?, number(&[*d1, *d2])?)
        }
        _ => None,
    }
}

/// `HH:MM`, as wall-clock times are stored.
fn parse_time(text: &str) -> Option<NaiveTime> {
    match text.as_bytes() {
        [h1, h2, b':', m1, m2] => NaiveTime::from_hms_opt(number(&[*h1, *h2])?, number(&[*m1, *m2])?, 0),
        _ => None,
    }
}

/// An instant as stored (`2026-11-23T08:00:00Z`, see [`instant_text`]) by
/// hand, and any other RFC 3339 form by chrono.
fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let stored = match text.as_bytes() {
        [date @ .., b'T', h1, h2, b':', m1, m2, b':', s1, s2, b'Z'] => {
            let time = NaiveTime::from_hms_opt(number(&[*h1, *h2])?, number(&[*m1, *m2])?, number(&[*s1, *s2])?)?;
            Some(parse_date(std::str::from_utf8(date).ok()?)?.and_time(time).and_utc())
        }
        _ => None,
    };
    stored.or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&Utc)))
}

/// Reads a nullable text column with `parse`.
fn optional<T>(row: &Row, column: impl Column, parse: fn(&str) -> Option<T>) -> rusqlite::Result<Option<T>> {
    match row.get_ref(column)?.as_str_or_null()? {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| conversion_error(column, text)),
    }
}

pub fn row_date(row: &Row, column: impl Column) -> rusqlite::Result<NaiveDate> {
    let text = row_str(row, column)?;
    parse_date(text).ok_or_else(|| conversion_error(column, text))
}

pub fn row_opt_date(row: &Row, column: impl Column) -> rusqlite::Result<Option<NaiveDate>> {
    optional(row, column, parse_date)
}

pub fn row_time(row: &Row, column: impl Column) -> rusqlite::Result<NaiveTime> {
    let text = row_str(row, column)?;
    parse_time(text).ok_or_else(|| conversion_error(column, text))
}

pub fn row_opt_time(row: &Row, column: impl Column) -> rusqlite::Result<Option<NaiveTime>> {
    optional(row, column, parse_time)
}

/// An instant stored as RFC 3339 text (see `SqlField for DateTime<Utc>`).
pub fn row_instant(row: &Row, column: impl Column) -> rusqlite::Result<DateTime<Utc>> {
    let text = row_str(row, column)?;
    parse_instant(text).ok_or_else(|| conversion_error(column, text))
}

pub fn row_opt_instant(row: &Row, column: impl Column) -> rusqlite::Result<Option<DateTime<Utc>>> {
    optional(row, column, parse_instant)
}

pub fn json_list<T: DeserializeOwned>(row: &Row, column: impl Column) -> rusqlite::Result<Vec<T>> {
    let text = row_str(row, column)?;
    serde_json::from_str(text).map_err(|_| conversion_error(column, text))
}

/// Ids or codes as a JSON list of text, one parameter for SQLite's
/// `json_each`: `WHERE id IN (SELECT value FROM json_each(?1))`.
pub fn json_keys<K: ToString>(keys: impl IntoIterator<Item = K>) -> String {
    serde_json::Value::from(keys.into_iter().map(|k| k.to_string()).collect::<Vec<_>>()).to_string()
}

/// Reads a text column into one of the domain's text enums.
pub fn row_enum<T>(row: &Row, column: impl Column, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text = row_str(row, column)?;
    parse(text).ok_or_else(|| conversion_error(column, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sent_to_json_each_come_back_whole_even_with_quotes_in_them() {
        let conn = rusqlite::Connection::open_in_memory().expect("a connection");
        let keys = ["hoist", "say \"hello\""];
        let back: Vec<String> = conn
            .prepare("SELECT value FROM json_each(?1)")
            .expect("a statement")
            .query_map([json_keys(keys)], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("text values");
        assert_eq!(back, keys);
    }

    #[test]
    fn columns_looked_up_once_read_by_name_and_an_unknown_name_is_an_error_not_a_panic() {
        let conn = rusqlite::Connection::open_in_memory().expect("a connection");
        let mut stmt = conn.prepare("SELECT 'Sarah' AS given_name, 'Evans' AS family_name").expect("a statement");
        let columns = Columns::of(&stmt);
        let read = stmt
            .query_row([], |row| {
                let family: String = row.get(columns.at("family_name"))?;
                let missing = row.get::<_, String>(columns.at("nickname"));
                Ok((family, missing.is_err()))
            })
            .expect("one row");
        assert_eq!(read, ("Evans".to_string(), true));
    }

    #[test]
    fn stored_dates_times_and_instants_read_back_and_malformed_ones_are_refused() {
        assert_eq!(parse_date("2026-03-29"), NaiveDate::from_ymd_opt(2026, 3, 29));
        assert_eq!(parse_date("2028-02-29"), NaiveDate::from_ymd_opt(2028, 2, 29));
        for bad in ["2026-02-30", "2026-3-29", "2026/03/29", "26-03-29", "2026-03-2x", ""] {
            assert_eq!(parse_date(bad), None, "{bad:?} is not a stored date");
        }
        assert_eq!(parse_time("07:05"), NaiveTime::from_hms_opt(7, 5, 0));
        for bad in ["24:00", "7:05", "07:60", "07:05:00"] {
            assert_eq!(parse_time(bad), None, "{bad:?} is not a stored time");
        }
        let at = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap().and_hms_opt(0, 30, 0).unwrap().and_utc();
        assert_eq!(parse_instant(&instant_text(at)), Some(at));
        // Any other RFC 3339 form still reads, offset included.
        assert_eq!(parse_instant("2026-10-25T01:30:00+01:00"), Some(at));
        assert_eq!(parse_instant("2026-10-25T00:30:00.000Z"), Some(at));
        for bad in ["2026-10-25T25:30:00Z", "2026-10-25 00:30", "yesterday"] {
            assert_eq!(parse_instant(bad), None, "{bad:?} is not an instant");
        }
    }
}
