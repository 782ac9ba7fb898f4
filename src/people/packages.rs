//! Care packages: recurring visit templates on a client. Times are
//! Europe/London wall-clock times; the rota resolves them to instants.

use super::common::{self as check, Weekday};
use crate::error::{FieldErrors, Result};
use crate::record_fields;
use crate::store::{json_list, row_date, row_opt_date, row_time, row_uuid, Record};
use chrono::{NaiveDate, NaiveTime};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CarePackage {
    pub id: Uuid,
    pub client_id: Uuid,
    /// What coordinators call it: "Morning call", "Bed call".
    pub label: String,
    pub weekdays: Vec<Weekday>,
    #[ts(type = "string")]
    pub start_time: NaiveTime,
    pub duration_min: u32,
    /// 2 for a double-up.
    pub carers_required: u8,
    pub required_skills: Vec<String>,
    pub tasks: Vec<String>,
    /// Medication, insulin, Parkinson's: must happen within `flex_min` of the time.
    pub time_critical: bool,
    /// Minutes either side of the start time the visit may move.
    pub flex_min: u32,
    /// A deliberate visit under 30 minutes (e.g. a medication prompt), which
    /// NICE NG21 accepts; other short visits are flagged.
    pub short_task: bool,
    /// Length of the rota cycle in weeks (2 for week A / week B).
    pub cycle_weeks: u8,
    /// Which weeks of the cycle this template runs in, from 1; week 1 is the
    /// week (Monday to Sunday) containing `starts_on`.
    pub cycle_week_list: Vec<u8>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Record for CarePackage {
    const ENTITY: &'static str = "care_packages";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; client_id, label, weekdays, start_time, duration_min, carers_required,
            required_skills, tasks, time_critical, flex_min, short_task, cycle_weeks, cycle_week_list,
            starts_on, ends_on)
    }
}

impl CarePackage {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            client_id: row_uuid(row, "client_id")?,
            label: row.get("label")?,
            weekdays: json_list(row, "weekdays")?,
            start_time: row_time(row, "start_time")?,
            duration_min: row.get("duration_min")?,
            carers_required: row.get("carers_required")?,
            required_skills: json_list(row, "required_skills")?,
            tasks: json_list(row, "tasks")?,
            time_critical: row.get("time_critical")?,
            flex_min: row.get("flex_min")?,
            short_task: row.get("short_task")?,
            cycle_weeks: row.get("cycle_weeks")?,
            cycle_week_list: json_list(row, "cycle_week_list")?,
            starts_on: row_date(row, "starts_on")?,
            ends_on: row_opt_date(row, "ends_on")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct PackageInput {
    pub id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub label: String,
    pub weekdays: Vec<Weekday>,
    pub start_time: String,
    pub duration_min: Option<f64>,
    pub carers_required: Option<f64>,
    pub required_skills: Vec<String>,
    /// One task per line.
    pub tasks: String,
    pub time_critical: bool,
    pub flex_min: Option<f64>,
    pub short_task: bool,
    pub cycle_weeks: Option<f64>,
    pub cycle_week_list: Vec<u8>,
    pub starts_on: String,
    pub ends_on: String,
}

impl From<&CarePackage> for PackageInput {
    fn from(p: &CarePackage) -> Self {
        PackageInput {
            id: Some(p.id),
            client_id: Some(p.client_id),
            label: p.label.clone(),
            weekdays: p.weekdays.clone(),
            start_time: p.start_time.format("%H:%M").to_string(),
            duration_min: Some(f64::from(p.duration_min)),
            carers_required: Some(f64::from(p.carers_required)),
            required_skills: p.required_skills.clone(),
            tasks: p.tasks.join("\n"),
            time_critical: p.time_critical,
            flex_min: Some(f64::from(p.flex_min)),
            short_task: p.short_task,
            cycle_weeks: Some(f64::from(p.cycle_weeks)),
            cycle_week_list: p.cycle_week_list.clone(),
            starts_on: p.starts_on.format("%Y-%m-%d").to_string(),
            ends_on: p.ends_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        }
    }
}

impl PackageInput {
    pub fn validate(&self, known_skills: &[String]) -> Result<CarePackage> {
        let mut e = FieldErrors::new();
        let client_id = self.client_id.unwrap_or_else(|| {
            e.add("client_id", "A care package belongs to a client");
            Uuid::nil()
        });
        let mut weekdays: Vec<Weekday> = Weekday::ALL.iter().copied().filter(|d| self.weekdays.contains(d)).collect();
        weekdays.dedup();
        if weekdays.is_empty() {
            e.add("weekdays", "Choose at least one day");
        }
        let start_time = check::required_time(&mut e, "start_time", &self.start_time);
        let duration_min = check::whole(
            &mut e,
            "duration_min",
            self.duration_min,
            (5, crate::rota::LONGEST_VISIT_MIN),
            "the duration in minutes",
        );
        let carers_required =
            check::whole(&mut e, "carers_required", self.carers_required, (1, 2), "the number of carers");
        let time_critical = self.time_critical;
        let flex_limit = if time_critical { 60 } else { 240 };
        let flex_min = check::whole(
            &mut e,
            "flex_min",
            self.flex_min,
            (0, flex_limit),
            if time_critical { "the tolerance" } else { "the flexible window" },
        );
        let mut required_skills = Vec::new();
        for skill in &self.required_skills {
            let skill = skill.trim();
            if !known_skills.iter().any(|k| k == skill) {
                e.add("required_skills", format!("\"{skill}\" is not a skill in the agency's catalogue"));
            } else if !required_skills.iter().any(|s| s == skill) {
                required_skills.push(skill.to_string());
            }
        }
        let cycle_weeks =
            check::whole(&mut e, "cycle_weeks", self.cycle_weeks, (1, 8), "the cycle length in weeks") as u8;
        let mut cycle_week_list: Vec<u8> = self.cycle_week_list.clone();
        cycle_week_list.sort_unstable();
        cycle_week_list.dedup();
        if cycle_week_list.is_empty() {
            if cycle_weeks == 1 {
                cycle_week_list.push(1);
            } else {
                e.add("cycle_week_list", "Choose which weeks of the cycle this call runs in");
            }
        }
        if let Some(bad) = cycle_week_list.iter().find(|w| **w == 0 || **w > cycle_weeks) {
            e.add("cycle_week_list", format!("Week {bad} is outside a {cycle_weeks}-week cycle"));
        }
        let starts_on = check::required_date(&mut e, "starts_on", &self.starts_on, "the start date");
        let ends_on = check::optional_date(&mut e, "ends_on", &self.ends_on);
        if let (Some(start), Some(end)) = (starts_on, ends_on) {
            if end < start {
                e.add("ends_on", "The end date cannot be before the start date");
            }
        }
        let tasks: Vec<String> =
            self.tasks.lines().map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect();
        let package = CarePackage {
            id: self.id.unwrap_or_else(crate::ids::new_id),
            client_id,
            label: check::require_text(&mut e, "label", &self.label, "a name for the call, like \"Morning call\""),
            weekdays,
            start_time: start_time.unwrap_or_default(),
            duration_min,
            carers_required: carers_required as u8,
            required_skills,
            tasks,
            time_critical,
            flex_min,
            short_task: self.short_task,
            cycle_weeks,
            cycle_week_list,
            starts_on: starts_on.unwrap_or_default(),
            ends_on,
        };
        e.finish(package)
    }
}
