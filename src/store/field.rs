//! Conversions between domain values and SQLite column values, in one place
//! so that dates, times, ids and lists are stored the same way everywhere:
//! dates `YYYY-MM-DD`, wall-clock times `HH:MM`, ids as text, lists as JSON.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::{Type, Value};
use rusqlite::{Row, RowIndex};
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

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
impl SqlField for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
}
impl SqlField for NaiveTime {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%H:%M").to_string())
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

fn text<'r>(row: &'r Row<'_>, column: impl Column) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(column)?.as_str()?)
}

pub fn row_uuid(row: &Row, column: impl Column) -> rusqlite::Result<Uuid> {
    let text = text(row, column)?;
    Uuid::parse_str(text).map_err(|_| conversion_error(column, text))
}

pub fn row_opt_uuid(row: &Row, column: impl Column) -> rusqlite::Result<Option<Uuid>> {
    match row.get_ref(column)?.as_str_or_null()? {
        None => Ok(None),
        Some(text) => Uuid::parse_str(text).map(Some).map_err(|_| conversion_error(column, text)),
    }
}

pub fn row_date(row: &Row, column: impl Column) -> rusqlite::Result<NaiveDate> {
    let text = text(row, column)?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| conversion_error(column, text))
}

pub fn row_opt_date(row: &Row, column: impl Column) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get_ref(column)?.as_str_or_null()? {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| conversion_error(column, text)),
    }
}

pub fn row_time(row: &Row, column: impl Column) -> rusqlite::Result<NaiveTime> {
    let text = text(row, column)?;
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| conversion_error(column, text))
}

pub fn row_opt_time(row: &Row, column: impl Column) -> rusqlite::Result<Option<NaiveTime>> {
    match row.get_ref(column)?.as_str_or_null()? {
        None => Ok(None),
        Some(text) => NaiveTime::parse_from_str(text, "%H:%M").map(Some).map_err(|_| conversion_error(column, text)),
    }
}

/// An instant stored as RFC 3339 text (see `SqlField for DateTime<Utc>`).
pub fn row_instant(row: &Row, column: impl Column) -> rusqlite::Result<DateTime<Utc>> {
    let text = text(row, column)?;
    DateTime::parse_from_rfc3339(text).map(|at| at.with_timezone(&Utc)).map_err(|_| conversion_error(column, text))
}

pub fn row_opt_instant(row: &Row, column: impl Column) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(column)?.as_str_or_null()? {
        None => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|at| Some(at.with_timezone(&Utc)))
            .map_err(|_| conversion_error(column, text)),
    }
}

pub fn json_list<T: DeserializeOwned>(row: &Row, column: impl Column) -> rusqlite::Result<Vec<T>> {
    let text = text(row, column)?;
    serde_json::from_str(text).map_err(|_| conversion_error(column, text))
}

/// Reads a text column into one of the domain's text enums.
pub fn row_enum<T>(row: &Row, column: impl Column, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text = text(row, column)?;
    parse(text).ok_or_else(|| conversion_error(column, text))
}
