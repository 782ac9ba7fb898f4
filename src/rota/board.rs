//! The rota board: a day or a week as the coordinator's grid shows it —
//! carers as rows, visits as blocks placed on the London clock, the
//! unallocated visits, and every rule finding attached to the visit or the
//! carer it is about. Computed in the core so the grid only draws.

use super::publish::{draft_dates, publication_on, Publication};
use super::week::{load_week, monday_of};
use crate::error::{Error, FieldError, Result};
use crate::people::Weekday;
use crate::rules::{check_rota, is_short_visit, Finding, RotaFacts, RuleId, Severity};
use crate::store::row_uuid;
use crate::travel::TravelSettings;
use chrono::{Datelike, Duration, NaiveDate, Timelike};
use chrono_tz::Europe::London;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// A carer in a slot of a visit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SlotCarer {
    pub slot: u8,
    pub carer_id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardVisit {
    pub id: Uuid,
    pub client_id: Uuid,
    /// The care package it came from; `None` for a one-off visit.
    pub package_id: Option<Uuid>,
    pub client_name: String,
    pub postcode: String,
    /// The postcode's outward code ("SY3"), for the area filter.
    pub area: String,
    pub label: String,
    /// Days after the board's first day.
    pub day: u8,
    /// Minutes after that day's midnight on the London clock.
    pub start_min: u32,
    /// `HH:MM`, London.
    pub local_start: String,
    pub duration_min: u32,
    pub carers_required: u8,
    pub carers: Vec<SlotCarer>,
    pub required_skills: Vec<String>,
    pub tasks: Vec<String>,
    pub time_critical: bool,
    pub flex_min: u32,
    pub short_visit: bool,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub time_note: String,
    /// The worst finding about this visit, for its colour.
    pub worst: Option<Severity>,
    pub findings: Vec<Finding>,
}

/// A span of a day the carer is available, in minutes after midnight.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DaySpan {
    pub day: u8,
    pub from_min: u32,
    pub to_min: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardCarer {
    pub carer_id: Uuid,
    pub name: String,
    pub area: String,
    pub transport: String,
    pub skills: Vec<String>,
    /// Minutes allocated in the board's days.
    pub minutes: u32,
    pub contracted_hours: f64,
    pub available: Vec<DaySpan>,
    /// Days on leave or off sick, with the kind ("Sickness").
    pub absent: Vec<(u8, String)>,
    /// Findings about the carer's whole week (hours, 48-hour average).
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Board {
    pub from: NaiveDate,
    pub days: Vec<NaiveDate>,
    pub visits: Vec<BoardVisit>,
    /// By name.
    pub carers: Vec<BoardCarer>,
    /// Days of the board still in draft.
    pub drafts: Vec<NaiveDate>,
    pub publication: Option<Publication>,
    pub blocks: u32,
    pub warnings: u32,
}

/// Rules about a carer's week as a whole rather than one visit.
fn about_the_week(rule: RuleId) -> bool {
    matches!(rule, RuleId::MaximumHours | RuleId::ContractedHours | RuleId::WeeklyAverage48h)
}

fn outward(postcode: &str) -> String {
    postcode.split_whitespace().next().unwrap_or_default().to_string()
}

/// The board for one day (`days` = 1) or seven days from `from`.
pub fn board(conn: &Connection, from: NaiveDate, days: u8) -> Result<Board> {
    if !(days == 1 || days == 7) {
        return Err(Error::Invalid(vec![FieldError { field: "days".into(), message: "Show 1 day or 7".into() }]));
    }
    let to = from + Duration::days(i64::from(days) - 1);
    // Rules see whole weeks: one week, or two when seven days straddle them.
    let mut weeks = vec![load_week(conn, monday_of(from), TravelSettings::default())?];
    if monday_of(to) != monday_of(from) {
        weeks.push(load_week(conn, monday_of(to), TravelSettings::default())?);
    }
    let on_board = |date: NaiveDate| from <= date && date <= to;
    let mut by_visit: HashMap<Uuid, Vec<Finding>> = HashMap::new();
    let mut by_carer: HashMap<Uuid, Vec<Finding>> = HashMap::new();
    for facts in &weeks {
        // A finding is told on the board once: by the week holding the visit.
        let shown: std::collections::HashSet<Uuid> = facts
            .visits
            .iter()
            .filter(|v| {
                let date = v.local_date();
                on_board(date) && (facts.week_start..=facts.week_end()).contains(&date)
            })
            .map(|v| v.id)
            .collect();
        for finding in check_rota(facts) {
            let in_this_week = |id: &Uuid| shown.contains(id);
            if about_the_week(finding.rule) {
                if let Some(carer) = finding.carer_id {
                    by_carer.entry(carer).or_default().push(finding);
                }
                continue;
            }
            for id in finding.visit_ids.iter().filter(|id| in_this_week(id)) {
                let list = by_visit.entry(*id).or_default();
                if !list.contains(&finding) {
                    list.push(finding.clone());
                }
            }
        }
    }
    let visits = board_visits(conn, from, to, &mut by_visit)?;
    let carers = board_carers(&weeks, from, to, &visits, &mut by_carer);
    let (mut blocks, mut warnings) = (0, 0);
    for finding in visits.iter().flat_map(|v| &v.findings).chain(carers.iter().flat_map(|c| &c.findings)) {
        match finding.severity {
            Severity::Block => blocks += 1,
            Severity::Warn => warnings += 1,
        }
    }
    Ok(Board {
        from,
        days: from.iter_days().take(usize::from(days)).collect(),
        visits,
        carers,
        drafts: draft_dates(conn, from, to)?,
        publication: publication_on(conn, to)?.or(publication_on(conn, from)?),
        blocks,
        warnings,
    })
}

fn board_visits(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    findings: &mut HashMap<Uuid, Vec<Finding>>,
) -> Result<Vec<BoardVisit>> {
    let mut slots: HashMap<Uuid, Vec<SlotCarer>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT a.visit_id, a.slot, a.carer_id, c.given_name || ' ' || c.family_name
         FROM visit_allocations a JOIN visits v ON v.id = a.visit_id JOIN carers c ON c.id = a.carer_id
         WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2 ORDER BY a.slot",
    )?;
    for row in stmt.query_map([from.to_string(), to.to_string()], |r| {
        Ok((
            row_uuid(r, "visit_id")?,
            SlotCarer { slot: r.get(1)?, carer_id: row_uuid(r, "carer_id")?, name: r.get(3)? },
        ))
    })? {
        let (visit, carer) = row?;
        slots.entry(visit).or_default().push(carer);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.client_id, v.package_id, c.given_name || ' ' || c.family_name AS client_name, c.postcode,
                coalesce(p.label, 'One-off visit') AS label, v.local_date, v.starts_at, v.duration_min,
                v.carers_required, v.required_skills, v.tasks, v.time_critical, v.flex_min, v.short_task,
                v.status, v.cancel_reason, v.time_note
         FROM visits v JOIN clients c ON c.id = v.client_id LEFT JOIN care_packages p ON p.id = v.package_id
         WHERE v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2
         ORDER BY v.starts_at, client_name",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], |row| {
        let id = row_uuid(row, "id")?;
        let date = crate::store::row_date(row, "local_date")?;
        let starts_at: String = row.get("starts_at")?;
        let local = chrono::DateTime::parse_from_rfc3339(&starts_at)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into()))?
            .with_timezone(&London);
        let postcode: String = row.get("postcode")?;
        let duration_min: u32 = row.get("duration_min")?;
        let visit_findings = findings.remove(&id).unwrap_or_default();
        Ok(BoardVisit {
            id,
            client_id: row_uuid(row, "client_id")?,
            package_id: row.get::<_, Option<String>>("package_id")?.and_then(|t| t.parse().ok()),
            client_name: row.get("client_name")?,
            area: outward(&postcode),
            postcode,
            label: row.get("label")?,
            day: (date - from).num_days() as u8,
            // Wall-clock minutes, so a visit at 02:30 BST on the March night
            // sits at 02:30 like the clock on the wall says.
            start_min: local.hour() * 60 + local.minute(),
            local_start: local.format("%H:%M").to_string(),
            duration_min,
            carers_required: row.get("carers_required")?,
            carers: slots.remove(&id).unwrap_or_default(),
            required_skills: crate::store::json_list(row, "required_skills")?,
            tasks: crate::store::json_list(row, "tasks")?,
            time_critical: row.get("time_critical")?,
            flex_min: row.get("flex_min")?,
            short_visit: is_short_visit(duration_min, row.get("short_task")?),
            cancelled: row.get::<_, String>("status")? == "cancelled",
            cancel_reason: row.get("cancel_reason")?,
            time_note: row.get("time_note")?,
            worst: visit_findings.iter().map(|f| f.severity).min_by_key(|s| *s != Severity::Block),
            findings: visit_findings,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn board_carers(
    weeks: &[RotaFacts],
    from: NaiveDate,
    to: NaiveDate,
    visits: &[BoardVisit],
    findings: &mut HashMap<Uuid, Vec<Finding>>,
) -> Vec<BoardCarer> {
    let mut minutes: HashMap<Uuid, u32> = HashMap::new();
    for visit in visits.iter().filter(|v| !v.cancelled) {
        for slot in &visit.carers {
            *minutes.entry(slot.carer_id).or_default() += visit.duration_min;
        }
    }
    let facts = &weeks[0];
    let mut carers: Vec<BoardCarer> = facts
        .carers
        .values()
        .map(|c| {
            let mut available = Vec::new();
            let mut absent = Vec::new();
            for (day, date) in from.iter_days().take_while(|d| *d <= to).enumerate() {
                let day = day as u8;
                let weekday = Weekday::from_chrono(date.weekday());
                for slot in c.availability.iter().filter(|a| a.weekday == weekday) {
                    let start = slot.start_time.num_seconds_from_midnight() / 60;
                    let end = slot.end_time.num_seconds_from_midnight() / 60;
                    // A slot past midnight shows up to midnight on its day.
                    available.push(DaySpan { day, from_min: start, to_min: if end > start { end } else { 24 * 60 } });
                }
                if let Some(absence) = c.absences.iter().find(|a| a.starts_on <= date && date <= a.ends_on) {
                    absent.push((day, absence.kind.label().to_string()));
                }
            }
            BoardCarer {
                carer_id: c.carer.id,
                name: c.carer.full_name(),
                area: outward(&c.carer.postcode),
                transport: c.carer.transport.label().to_string(),
                skills: c.skills.iter().map(|s| s.skill.clone()).collect(),
                minutes: minutes.get(&c.carer.id).copied().unwrap_or(0),
                contracted_hours: c.carer.contracted_hours,
                available,
                absent,
                findings: findings.remove(&c.carer.id).unwrap_or_default(),
            }
        })
        .collect();
    carers.sort_by(|a, b| a.name.cmp(&b.name).then(a.carer_id.cmp(&b.carer_id)));
    carers
}
