//! What the app does with carers: list, search and sort them, open one with
//! their compliance alerts, and save the carer form through the write path.

use super::carers::{Absence, Availability, Carer, CarerInput, CarerRecords, CarerSkill};
use super::common::{like_patterns, ListQuery, Transport};
use super::skills::{skill_codes, skills_catalogue, Skill};
use crate::access::Operation;
use crate::error::Result;
use crate::store::{find_live, row_enum, row_opt_date, row_uuid, Store};
use chrono::NaiveDate;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// Warn about a certificate this many days before it runs out.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// One line of the carers list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CarerRow {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub town: String,
    pub postcode: String,
    pub transport: Transport,
    pub contracted_hours: f64,
    pub skills: u32,
    pub left_on: Option<NaiveDate>,
    /// Expired or soon-expiring DBS, right to work or skills.
    pub alerts: u32,
}

/// A skill as the carer page shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SkillView {
    pub skill: CarerSkill,
    pub name: String,
    /// "valid", "expiring" (within 30 days) or "expired".
    pub state: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CarerDetail {
    pub carer: Carer,
    pub skills: Vec<SkillView>,
    pub availability: Vec<Availability>,
    pub absences: Vec<Absence>,
    /// Plain sentences saying what needs attention and why.
    pub alerts: Vec<String>,
    /// The 17 weeks to this one, as the 48-hour average counts them.
    pub working_time: super::WorkingTime,
}

pub fn expiry_state(expires_on: Option<NaiveDate>, today: NaiveDate) -> &'static str {
    match expires_on {
        Some(date) if date < today => "expired",
        Some(date) if (date - today).num_days() <= EXPIRY_WARNING_DAYS => "expiring",
        _ => "valid",
    }
}

const CARER_SORTS: &[(&str, &str)] = &[
    ("name", "c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE"),
    ("town", "c.town COLLATE NOCASE, c.family_name COLLATE NOCASE"),
    ("postcode", "c.postcode, c.family_name COLLATE NOCASE"),
    ("transport", "c.transport, c.family_name COLLATE NOCASE"),
    ("contracted_hours", "c.contracted_hours, c.family_name COLLATE NOCASE"),
    ("skills", "skills, c.family_name COLLATE NOCASE"),
    ("alerts", "alerts, c.family_name COLLATE NOCASE"),
];

/// Every carer matching the search, sorted as asked. Sorting and filtering
/// happen in SQL so the list stays fast with thousands of carers.
pub fn list_carers(conn: &Connection, query: &ListQuery, today: NaiveDate) -> Result<Vec<CarerRow>> {
    let order = CARER_SORTS.iter().find(|(name, _)| *name == query.sort).map_or(CARER_SORTS[0].1, |(_, sql)| sql);
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = order.split(", ").map(|part| format!("{part} {direction}")).collect::<Vec<_>>().join(", ");
    let patterns = like_patterns(&query.search);
    let filters: String = (0..patterns.len())
        .map(|i| {
            let p = i + 2;
            format!(
                " AND (c.given_name || ' ' || c.family_name LIKE ?{p} ESCAPE '\\' OR c.postcode LIKE ?{p} ESCAPE '\\' \
                 OR c.town LIKE ?{p} ESCAPE '\\' OR c.phone LIKE ?{p} ESCAPE '\\')"
            )
        })
        .collect();
    let sql = format!(
        "SELECT c.id, c.given_name, c.family_name, c.phone, c.town, c.postcode, c.transport, c.contracted_hours, c.left_on,
                (SELECT count(*) FROM carer_skills s WHERE s.carer_id = c.id AND s.deleted_at IS NULL) AS skills,
                (CASE WHEN c.dbs_expires_on IS NOT NULL AND c.dbs_expires_on <= ?1 THEN 1 ELSE 0 END
                 + CASE WHEN c.right_to_work_expires_on IS NOT NULL AND c.right_to_work_expires_on <= ?1 THEN 1 ELSE 0 END
                 + (SELECT count(*) FROM carer_skills s WHERE s.carer_id = c.id AND s.deleted_at IS NULL
                      AND s.expires_on IS NOT NULL AND s.expires_on <= ?1)) AS alerts
         FROM carers c
         WHERE c.deleted_at IS NULL {filters}
         ORDER BY {order}"
    );
    let warn_until = (today + chrono::Duration::days(EXPIRY_WARNING_DAYS)).format("%Y-%m-%d").to_string();
    let params = std::iter::once(warn_until).chain(patterns);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), |row| {
        let given: String = row.get("given_name")?;
        let family: String = row.get("family_name")?;
        Ok(CarerRow {
            id: row_uuid(row, "id")?,
            name: format!("{family}, {given}"),
            phone: row.get("phone")?,
            town: row.get("town")?,
            postcode: row.get("postcode")?,
            transport: row_enum(row, "transport", Transport::parse)?,
            contracted_hours: row.get("contracted_hours")?,
            skills: row.get("skills")?,
            left_on: row_opt_date(row, "left_on")?,
            alerts: row.get("alerts")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn carer_exists(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM carers WHERE id = ?1 AND deleted_at IS NULL", [id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(crate) fn load_carer(conn: &Connection, id: Uuid) -> Result<CarerRecords> {
    let key = id.to_string();
    let carer = find_live(conn, "carers", id, "Carer", Carer::from_row)?;
    let skills = conn
        .prepare_cached("SELECT * FROM carer_skills WHERE carer_id = ?1 AND deleted_at IS NULL ORDER BY skill")?
        .query_map([&key], CarerSkill::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let availability = conn
        .prepare_cached(
            "SELECT * FROM carer_availability WHERE carer_id = ?1 AND deleted_at IS NULL
             ORDER BY instr('montuewedthufrisatsun', weekday), start_time",
        )?
        .query_map([&key], Availability::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let absences = conn
        .prepare_cached(
            "SELECT * FROM carer_absences WHERE carer_id = ?1 AND deleted_at IS NULL ORDER BY starts_on DESC",
        )?
        .query_map([&key], Absence::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CarerRecords { carer, skills, availability, absences })
}

pub fn carer_detail(conn: &Connection, id: Uuid, today: NaiveDate) -> Result<CarerDetail> {
    let records = load_carer(conn, id)?;
    let catalogue = skills_catalogue(conn)?;
    let name_of =
        |code: &str| catalogue.iter().find(|s| s.code == code).map_or(code.to_string(), |s: &Skill| s.name.clone());
    let mut alerts = Vec::new();
    let carer = &records.carer;
    for (what, date) in [("DBS check", carer.dbs_expires_on), ("Right to work", carer.right_to_work_expires_on)] {
        match (expiry_state(date, today), date) {
            ("expired", Some(d)) => alerts
                .push(format!("{what} expired on {}: the carer must not be allocated visits", d.format("%-d %b %Y"))),
            ("expiring", Some(d)) => {
                alerts.push(format!("{what} expires on {} ({} days)", d.format("%-d %b %Y"), (d - today).num_days()))
            }
            _ => {}
        }
    }
    let skills: Vec<SkillView> = records
        .skills
        .iter()
        .map(|s| {
            let state = expiry_state(s.expires_on, today);
            let name = name_of(&s.skill);
            if let (true, Some(d)) = (state != "valid", s.expires_on) {
                let verb = if state == "expired" { "expired on" } else { "expires on" };
                alerts.push(format!("{name}: training {verb} {}", d.format("%-d %b %Y")));
            }
            SkillView { skill: s.clone(), name, state: state.to_string() }
        })
        .collect();
    if records.availability.is_empty() && carer.left_on.is_none() {
        alerts.push("No weekly availability recorded: the rota cannot offer this carer any visits".into());
    }
    let working_time = super::working_time(&records.carer, conn, today)?;
    Ok(CarerDetail {
        working_time,
        carer: records.carer,
        skills,
        availability: records.availability,
        absences: records.absences,
        alerts,
    })
}

/// The form for an existing carer, filled from what is stored, or for a
/// new one (`id` of `None`) with the defaults a new starter usually has.
pub fn carer_form(conn: &Connection, id: Option<Uuid>, today: NaiveDate) -> Result<CarerInput> {
    match id {
        Some(id) => Ok(CarerInput::from(&load_carer(conn, id)?)),
        None => Ok(new_carer_form(today)),
    }
}

fn new_carer_form(today: NaiveDate) -> CarerInput {
    CarerInput {
        started_on: today.format("%Y-%m-%d").to_string(),
        transport: Some(Transport::Car),
        gender: Some(super::common::Gender::Unspecified),
        languages: "English".into(),
        contracted_hours: Some(30.0),
        max_hours: Some(40.0),
        ..CarerInput::default()
    }
}

/// Creates or updates a carer (with skills, availability and absences) in
/// one change; returns the carer's id.
pub fn save_carer(store: &mut Store, input: &CarerInput) -> Result<Uuid> {
    let known = skill_codes(store.read())?;
    let records = input.validate(&known)?;
    store.write(Operation::EditPeople, |changes| {
        let id = records.carer.id;
        match input.id {
            Some(existing) => {
                let before = load_carer(changes.read(), existing)?;
                changes.update(&before.carer, &records.carer)?;
                changes.replace_children(&before.skills, &records.skills)?;
                changes.replace_children(&before.availability, &records.availability)?;
                changes.replace_children(&before.absences, &records.absences)?;
            }
            None => {
                changes.insert(&records.carer)?;
                changes.replace_children(&[], &records.skills)?;
                changes.replace_children(&[], &records.availability)?;
                changes.replace_children(&[], &records.absences)?;
            }
        }
        Ok(id)
    })
}
