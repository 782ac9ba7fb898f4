//! Importing carers' hours before Caredesk from the old rota or payroll: a
//! line for each carer and week, the carer found by name and phone, each
//! week checked as the carer's page checks it (`people::hours_before`).

use super::rows::{problem, LineProblem, Row};
use crate::error::Result;
use crate::people::hours_before::{CarerWeeks, WeekChange};
use crate::people::working_time::first_week_of_records;
use crate::rota::week::monday_of;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;
use uuid::Uuid;

/// What the lines so far have needed: the agency's first week of records
/// and each carer's weeks, read once, and the carer and week of each line,
/// for repeats.
pub(super) struct HoursLines {
    /// Read with the first carer's weeks: a file of another kind needs none.
    records_from: Option<Option<NaiveDate>>,
    today: NaiveDate,
    carers: HashMap<Uuid, CarerWeeks>,
    seen: HashMap<(Uuid, NaiveDate), u32>,
}

impl HoursLines {
    pub(super) fn new(today: NaiveDate) -> Self {
        HoursLines { records_from: None, today, carers: HashMap::new(), seen: HashMap::new() }
    }

    /// The change one line makes, or its problems.
    pub(super) fn check(
        &mut self,
        conn: &Connection,
        row: &Row,
        problems: &mut Vec<LineProblem>,
    ) -> Result<Option<WeekChange>> {
        let line = row.line;
        let carers = super::carers_named(
            conn,
            row.get("carer_given_name"),
            row.get("carer_family_name"),
            row.get("carer_phone"),
        )?;
        let carer = match carers.as_slice() {
            [one] => Some(*one),
            [] => {
                problems.push(problem(
                    line,
                    "carer_family_name",
                    "No carer here has this name and phone: import the carers first",
                ));
                None
            }
            _ => {
                problems.push(problem(line, "carer_family_name", "More than one carer here has this name and phone"));
                None
            }
        };
        let text = row.get("week").trim();
        let week = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(monday_of(date)),
            Err(_) => {
                problems.push(problem(line, "week", format!("\"{text}\" is not a date (use YYYY-MM-DD)")));
                None
            }
        };
        if row.get("hours").trim().is_empty() {
            problems.push(problem(line, "hours", "Enter the hours worked that week"));
            return Ok(None);
        }
        let (Some(carer), Some(week)) = (carer, week) else { return Ok(None) };
        if let Some(first) = self.seen.insert((carer, week), line) {
            problems.push(problem(line, "week", format!("The same carer and week as line {first}")));
            return Ok(None);
        }
        let weeks = match self.carers.entry(carer) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let records_from = match self.records_from {
                    Some(known) => known,
                    None => *self.records_from.insert(first_week_of_records(conn)?),
                };
                new.insert(CarerWeeks::read(conn, carer, records_from, self.today)?)
            }
        };
        Ok(weeks
            .check(week, row.get("hours"))
            .map_err(|(field, message)| problems.push(problem(line, field, message)))
            .ok())
    }
}
