//! Risk assessments as records: of a client's home, a carer or an activity
//! (see `subject`), a version with its hazards (scored before and after
//! control measures) and the controls the rota obeys. Saving a review makes
//! the next version; every version stays readable, and the change log says
//! who made it.

use super::controls::{ControlFacts, ControlKind, Enforcement};
use super::scoring::{score, Band, Bands};
use super::subject::Subject;
use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::people::common::{required_date, text_enum};
use crate::store::{row_date, row_enum, row_opt_uuid, row_uuid, Record};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

text_enum!(HazardCategory {
    Environment = "environment": "Environment and access",
    Animals = "animals": "Animals",
    Aggression = "aggression": "Aggression or violence",
    Area = "area": "Area and time of day",
    LightingParking = "lighting_parking": "Lighting and parking",
    Infection = "infection": "Infection",
    ManualHandling = "manual_handling": "Manual handling",
    WorkerHealth = "worker_health": "The worker's own health",
});

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: Uuid,
    pub subject: Subject,
    pub version: u32,
    pub assessed_on: NaiveDate,
    pub assessor: String,
    pub next_review_on: NaiveDate,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    pub id: Uuid,
    pub assessment_id: Uuid,
    /// The subject's record page, for the change log.
    pub root_id: Uuid,
    pub category: HazardCategory,
    pub description: String,
    pub likelihood: u8,
    pub severity: u8,
    pub control_measures: String,
    pub residual_likelihood: u8,
    pub residual_severity: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: Uuid,
    pub assessment_id: Uuid,
    /// The subject's record page, for the change log.
    pub root_id: Uuid,
    pub kind: ControlKind,
    pub value: String,
    pub enforcement: Enforcement,
}

impl Record for Assessment {
    const ENTITY: &'static str = "risk_assessments";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.subject.root_id()
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        use crate::store::SqlField;
        let columns = ["client_id", "carer_id", "skill_code"];
        let mut fields: Vec<_> = columns
            .iter()
            .map(|&c| {
                (c, if c == self.subject.column() { self.subject.key().to_value() } else { None::<String>.to_value() })
            })
            .collect();
        fields.extend(crate::record_fields!(self; version, assessed_on, assessor, next_review_on, summary));
        fields
    }
}

impl Record for Hazard {
    const ENTITY: &'static str = "risk_hazards";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.root_id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; assessment_id, category, description, likelihood, severity, control_measures,
            residual_likelihood, residual_severity)
    }
}

impl Record for Control {
    const ENTITY: &'static str = "risk_controls";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.root_id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; assessment_id, kind, value, enforcement)
    }
}

/// An assessment (or a review of one) as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssessmentInput {
    pub subject: Option<Subject>,
    pub assessed_on: String,
    pub assessor: String,
    pub next_review_on: String,
    pub summary: String,
    pub hazards: Vec<HazardInput>,
    pub controls: Vec<ControlInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HazardInput {
    pub category: Option<HazardCategory>,
    pub description: String,
    pub likelihood: Option<u8>,
    pub severity: Option<u8>,
    pub control_measures: String,
    pub residual_likelihood: Option<u8>,
    pub residual_severity: Option<u8>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ControlInput {
    pub kind: Option<ControlKind>,
    pub value: String,
    pub enforcement: Option<Enforcement>,
}

fn rating(e: &mut FieldErrors, field: String, value: Option<u8>) -> u8 {
    match value {
        Some(v @ 1..=5) => v,
        _ => {
            e.add(field, "Choose 1 to 5");
            1
        }
    }
}

/// What a control's value must be, checked; `Err` says what to type.
fn control_value(kind: ControlKind, value: &str) -> std::result::Result<String, &'static str> {
    let value = value.trim();
    match kind {
        ControlKind::NoVisitsAfter => chrono::NaiveTime::parse_from_str(value, "%H:%M")
            .map(|t| t.format("%H:%M").to_string())
            .map_err(|_| "Give the time visits must end by, like 19:00"),
        ControlKind::CarerGender => match value.to_lowercase().as_str() {
            g @ ("female" | "male") => Ok(g.to_string()),
            _ => Err("Choose female or male"),
        },
        ControlKind::NoNewStarters => match value.parse::<u32>() {
            Ok(days @ 1..=730) => Ok(days.to_string()),
            _ => Err("Give how many days a new starter is new for, 1 to 730"),
        },
        _ => Ok(String::new()),
    }
}

/// Saves a new version of the subject's assessment (the first, or a review).
pub fn save_assessment(store: &mut Store, input: &AssessmentInput) -> Result<Uuid> {
    let mut e = FieldErrors::new();
    let subject = match &input.subject {
        Some(subject) => {
            if let Err(crate::Error::NotFound { .. }) = subject.name(store.read()) {
                e.add("subject", subject.missing());
            }
            subject.clone()
        }
        None => {
            e.add("subject", "Choose the home, carer or activity assessed");
            Subject::Client(Uuid::nil())
        }
    };
    let root_id = subject.root_id();
    let assessed_on = required_date(&mut e, "assessed_on", &input.assessed_on, "the date of the assessment");
    let next_review_on = required_date(&mut e, "next_review_on", &input.next_review_on, "the date of the next review");
    if let (Some(on), Some(next)) = (assessed_on, next_review_on) {
        if next <= on {
            e.add("next_review_on", "The next review must come after the assessment");
        }
    }
    if input.assessor.trim().is_empty() {
        e.add("assessor", "Say who made the assessment");
    }
    if input.hazards.is_empty() {
        e.add("hazards", "Record at least one hazard, or say “none found” as an environment hazard scored 1 x 1");
    }
    let id = crate::ids::new_id();
    let mut hazards = Vec::new();
    for (i, h) in input.hazards.iter().enumerate() {
        let f = |name: &str| format!("hazards[{i}].{name}");
        let category = h.category.unwrap_or_else(|| {
            e.add(f("category"), "Choose a category");
            HazardCategory::Environment
        });
        if h.description.trim().is_empty() {
            e.add(f("description"), "Describe the hazard");
        }
        hazards.push(Hazard {
            id: crate::ids::new_id(),
            assessment_id: id,
            root_id,
            category,
            description: h.description.trim().into(),
            likelihood: rating(&mut e, f("likelihood"), h.likelihood),
            severity: rating(&mut e, f("severity"), h.severity),
            control_measures: h.control_measures.trim().into(),
            residual_likelihood: rating(&mut e, f("residual_likelihood"), h.residual_likelihood),
            residual_severity: rating(&mut e, f("residual_severity"), h.residual_severity),
        });
    }
    let mut controls = Vec::new();
    for (i, c) in input.controls.iter().enumerate() {
        let Some(kind) = c.kind else {
            e.add(format!("controls[{i}].kind"), "Choose what the rota must do");
            continue;
        };
        let value = control_value(kind, &c.value).unwrap_or_else(|message| {
            e.add(format!("controls[{i}].value"), message);
            String::new()
        });
        if let Err(message) = subject.allows(kind) {
            e.add(format!("controls[{i}].kind"), message);
        }
        if controls.iter().any(|other: &Control| other.kind == kind) {
            e.add(format!("controls[{i}].kind"), "This control is already listed");
        }
        let enforcement = c.enforcement.unwrap_or(Enforcement::Block);
        controls.push(Control { id: crate::ids::new_id(), assessment_id: id, root_id, kind, value, enforcement });
    }
    let version = latest_version(store.read(), &subject)? + 1;
    let assessment = e.finish(Assessment {
        id,
        subject,
        version,
        assessed_on: assessed_on.unwrap_or_default(),
        assessor: input.assessor.trim().into(),
        next_review_on: next_review_on.unwrap_or_default(),
        summary: input.summary.trim().into(),
    })?;
    store.write(Operation::AssessRisk, |changes| {
        changes.insert(&assessment)?;
        changes.replace_children(&[], &hazards)?;
        changes.replace_children(&[], &controls)
    })?;
    Ok(id)
}

fn latest_version(conn: &Connection, subject: &Subject) -> Result<u32> {
    let sql = format!(
        "SELECT coalesce(max(version), 0) FROM risk_assessments WHERE {} = ?1 AND deleted_at IS NULL",
        subject.column()
    );
    Ok(conn.query_row(&sql, [subject.key()], |r| r.get(0))?)
}

/// Every version of the subject's assessment, newest first.
fn versions_of(conn: &Connection, subject: &Subject) -> Result<Vec<Assessment>> {
    let sql = format!(
        "SELECT * FROM risk_assessments WHERE {} = ?1 AND deleted_at IS NULL ORDER BY version DESC",
        subject.column()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([subject.key()], Assessment::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Assessment {
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        let subject = if let Some(client) = row_opt_uuid(r, "client_id")? {
            Subject::Client(client)
        } else if let Some(carer) = row_opt_uuid(r, "carer_id")? {
            Subject::Carer(carer)
        } else {
            Subject::Activity(r.get("skill_code")?)
        };
        Ok(Assessment {
            id: row_uuid(r, "id")?,
            subject,
            version: r.get("version")?,
            assessed_on: row_date(r, "assessed_on")?,
            assessor: r.get("assessor")?,
            next_review_on: row_date(r, "next_review_on")?,
            summary: r.get("summary")?,
        })
    }

    /// Where a control comes from, as the rules say it: "the risk
    /// assessment of 1 Dec 2026 (version 2)" for the home whose visit it
    /// is; a carer's or an activity's is named. `name` is the carer's or
    /// the activity's.
    pub fn source(&self, name: &str) -> String {
        let when = format!("{} (version {})", self.assessed_on.format("%-d %b %Y"), self.version);
        match self.subject {
            Subject::Client(_) => format!("the risk assessment of {when}"),
            Subject::Carer(_) => format!("{name}'s own risk assessment of {when}"),
            Subject::Activity(_) => format!("the risk assessment of the activity “{name}” of {when}"),
        }
    }
}

/// The current controls of every home, carer and activity, for the rules,
/// the live board and the run sheets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CurrentControls {
    pub clients: HashMap<Uuid, Vec<ControlFacts>>,
    pub carers: HashMap<Uuid, Vec<ControlFacts>>,
    /// By skill code.
    pub activities: HashMap<String, Vec<ControlFacts>>,
}

impl CurrentControls {
    /// The controls of the activities a visit needs.
    pub fn for_skills(&self, skills: &[String]) -> std::sync::Arc<[ControlFacts]> {
        skills.iter().flat_map(|s| self.activities.get(s)).flatten().cloned().collect()
    }

    /// Whether anything about a visit asks for check-in calls: its home,
    /// an activity it needs, or one of its carers.
    pub fn check_in(&self, client: Uuid, skills: &[String], carers: &[Uuid]) -> bool {
        asks_for_calls(self.clients.get(&client))
            || skills.iter().any(|s| asks_for_calls(self.activities.get(s)))
            || carers.iter().any(|c| asks_for_calls(self.carers.get(c)))
    }

    /// The homes, carers and activities whose controls ask for check-in
    /// calls: the live board looks only for their visits.
    pub fn asking_for_calls(&self) -> AskingForCalls<'_> {
        fn keys<K>(all: &HashMap<K, Vec<ControlFacts>>) -> Vec<&K> {
            all.iter().filter(|(_, controls)| asks_for_calls(Some(controls))).map(|(key, _)| key).collect()
        }
        AskingForCalls { clients: keys(&self.clients), carers: keys(&self.carers), activities: keys(&self.activities) }
    }
}

/// See [`CurrentControls::asking_for_calls`].
#[derive(Debug, Clone, PartialEq)]
pub struct AskingForCalls<'a> {
    pub clients: Vec<&'a Uuid>,
    pub carers: Vec<&'a Uuid>,
    /// By skill code.
    pub activities: Vec<&'a String>,
}

fn asks_for_calls(controls: Option<&Vec<ControlFacts>>) -> bool {
    controls.is_some_and(|cs| cs.iter().any(|c| c.kind == ControlKind::CheckInRequired))
}

pub fn current_controls(conn: &Connection) -> Result<CurrentControls> {
    // Every version's controls, then the newest version of each subject
    // kept: picking it in SQL needs a correlated lookup per row that
    // cannot use the per-subject indexes, and cost a huge agency's live
    // board more than everything else in it.
    let mut stmt = conn.prepare_cached(
        "SELECT a.*, c.kind, c.value, c.enforcement,
                coalesce(k.given_name || ' ' || k.family_name, s.name, '') AS subject_name
         FROM risk_controls c
         JOIN risk_assessments a ON a.id = c.assessment_id AND a.deleted_at IS NULL
         LEFT JOIN carers k ON k.id = a.carer_id
         LEFT JOIN skills s ON s.code = a.skill_code
         WHERE c.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let assessment = Assessment::from_row(r)?;
        let name: String = r.get("subject_name")?;
        let control = ControlFacts {
            kind: row_enum(r, "kind", ControlKind::parse)?,
            value: r.get("value")?,
            enforcement: row_enum(r, "enforcement", Enforcement::parse)?,
            source: assessment.source(&name),
        };
        Ok((assessment, control))
    })?;
    let all: Vec<(Assessment, ControlFacts)> = rows.collect::<rusqlite::Result<_>>()?;
    // The newest version of every subject, with controls or without (a
    // review may have dropped them all).
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, carer_id, skill_code, max(version) FROM risk_assessments WHERE deleted_at IS NULL
         GROUP BY client_id, carer_id, skill_code",
    )?;
    let newest: HashMap<Subject, u32> = stmt
        .query_map([], |r| {
            let subject = match (row_opt_uuid(r, 0)?, row_opt_uuid(r, 1)?) {
                (Some(client), _) => Subject::Client(client),
                (None, Some(carer)) => Subject::Carer(carer),
                (None, None) => Subject::Activity(r.get(2)?),
            };
            Ok((subject, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = CurrentControls::default();
    for (a, control) in &all {
        if newest.get(&a.subject) != Some(&a.version) {
            continue;
        }
        let control = control.clone();
        match &a.subject {
            Subject::Client(id) => out.clients.entry(*id).or_default().push(control),
            Subject::Carer(id) => out.carers.entry(*id).or_default().push(control),
            Subject::Activity(code) => out.activities.entry(code.clone()).or_default().push(control),
        }
    }
    Ok(out)
}

/// A hazard as the client page shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HazardView {
    pub category: String,
    pub description: String,
    pub score: u8,
    pub band: Band,
    pub control_measures: String,
    pub residual_score: u8,
    pub residual_band: Band,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ControlView {
    pub kind: ControlKind,
    pub value: String,
    pub enforcement: Enforcement,
    /// "Carers of one gender only: female (blocks)".
    pub sentence: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AssessmentView {
    pub id: Uuid,
    pub version: u32,
    pub assessed_on: NaiveDate,
    pub assessor: String,
    pub next_review_on: NaiveDate,
    pub summary: String,
    pub hazards: Vec<HazardView>,
    pub controls: Vec<ControlView>,
    /// The highest band left after the control measures.
    pub residual_band: Band,
}

/// A home's, carer's or activity's risk: the current assessment, every
/// version, and whether a review is due.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SubjectRisk {
    /// "Margaret Onions's home", "Moving and handling with hoist".
    pub name: String,
    /// The controls an assessment of this subject may set.
    pub allowed_controls: Vec<ControlKind>,
    pub current: Option<AssessmentView>,
    /// Newest first: (id, version, assessed on, assessor).
    pub versions: Vec<AssessmentView>,
    /// "Review overdue since 1 Mar 2026", "Review due by 1 Mar 2027", or
    /// "No risk assessment yet".
    pub review: String,
    pub review_overdue: bool,
}

pub fn control_sentence(kind: ControlKind, value: &str, enforcement: Enforcement) -> String {
    let detail = match kind {
        ControlKind::NoVisitsAfter => format!(": visits end by {value}"),
        ControlKind::CarerGender => format!(": {value} carers only"),
        ControlKind::NoNewStarters => format!(": nobody who started in the last {value} days"),
        _ => String::new(),
    };
    if kind == ControlKind::CheckInRequired {
        // A call to make, not a rule that blocks or warns.
        return kind.label().to_string();
    }
    format!("{}{detail} ({})", kind.label(), enforcement.label().to_lowercase())
}

fn view(conn: &Connection, a: Assessment, bands: &Bands) -> Result<AssessmentView> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM risk_hazards WHERE assessment_id = ?1 AND deleted_at IS NULL ORDER BY rowid")?;
    let hazards: Vec<HazardView> = stmt
        .query_map([a.id.to_string()], |r| {
            let (l, s): (u8, u8) = (r.get("likelihood")?, r.get("severity")?);
            let (rl, rs): (u8, u8) = (r.get("residual_likelihood")?, r.get("residual_severity")?);
            Ok(HazardView {
                category: row_enum(r, "category", HazardCategory::parse)?.label().into(),
                description: r.get("description")?,
                score: score(l, s),
                band: bands.band(score(l, s)),
                control_measures: r.get("control_measures")?,
                residual_score: score(rl, rs),
                residual_band: bands.band(score(rl, rs)),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn
        .prepare_cached("SELECT * FROM risk_controls WHERE assessment_id = ?1 AND deleted_at IS NULL ORDER BY rowid")?;
    let controls = stmt
        .query_map([a.id.to_string()], |r| {
            let kind = row_enum(r, "kind", ControlKind::parse)?;
            let value: String = r.get("value")?;
            let enforcement = row_enum(r, "enforcement", Enforcement::parse)?;
            Ok(ControlView { kind, sentence: control_sentence(kind, &value, enforcement), value, enforcement })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let top = hazards.iter().map(|h| h.residual_score).max().unwrap_or(0);
    Ok(AssessmentView {
        id: a.id,
        version: a.version,
        assessed_on: a.assessed_on,
        assessor: a.assessor,
        next_review_on: a.next_review_on,
        summary: a.summary,
        residual_band: bands.band(top),
        hazards,
        controls,
    })
}

pub fn subject_risk(conn: &Connection, subject: &Subject, today: NaiveDate) -> Result<SubjectRisk> {
    let name = subject.name(conn)?;
    let bands = super::settings::risk_settings(conn)?.bands();
    let versions =
        versions_of(conn, subject)?.into_iter().map(|a| view(conn, a, &bands)).collect::<Result<Vec<_>>>()?;
    let (review, review_overdue) = match versions.first() {
        None => ("No risk assessment yet".to_string(), true),
        Some(a) if a.next_review_on < today => {
            (format!("Review overdue since {}", a.next_review_on.format("%-d %b %Y")), true)
        }
        Some(a) => (format!("Review due by {}", a.next_review_on.format("%-d %b %Y")), false),
    };
    let allowed_controls = ControlKind::ALL.iter().copied().filter(|k| subject.allows(*k).is_ok()).collect();
    Ok(SubjectRisk { name, allowed_controls, current: versions.first().cloned(), versions, review, review_overdue })
}

/// The form for the signed-in person's next assessment of the subject,
/// dated today and assessed by them (by name).
pub fn assessment_form_for(store: &Store, subject: &Subject) -> Result<AssessmentInput> {
    let assessor = store.access().session().map(|u| u.full_name.clone()).unwrap_or_else(|| store.actor());
    assessment_form(store.read(), subject, store.today(), &assessor)
}

/// The form for the subject's next assessment: a review starts from the
/// current version's hazards and controls; a first one from a blank
/// hazard. Dated today, next review in a year, assessed by `assessor`.
pub fn assessment_form(
    conn: &Connection,
    subject: &Subject,
    today: NaiveDate,
    assessor: &str,
) -> Result<AssessmentInput> {
    subject.name(conn)?;
    let current = versions_of(conn, subject)?.into_iter().next();
    let mut input = AssessmentInput {
        subject: Some(subject.clone()),
        assessed_on: today.to_string(),
        assessor: assessor.to_string(),
        next_review_on: today.checked_add_months(chrono::Months::new(12)).unwrap_or(today).to_string(),
        summary: String::new(),
        hazards: vec![HazardInput::default()],
        controls: Vec::new(),
    };
    let Some(current) = current else { return Ok(input) };
    input.summary = current.summary.clone();
    let id = current.id.to_string();
    let mut stmt = conn
        .prepare_cached("SELECT * FROM risk_hazards WHERE assessment_id = ?1 AND deleted_at IS NULL ORDER BY rowid")?;
    input.hazards = stmt
        .query_map([&id], |r| {
            Ok(HazardInput {
                category: Some(row_enum(r, "category", HazardCategory::parse)?),
                description: r.get("description")?,
                likelihood: Some(r.get("likelihood")?),
                severity: Some(r.get("severity")?),
                control_measures: r.get("control_measures")?,
                residual_likelihood: Some(r.get("residual_likelihood")?),
                residual_severity: Some(r.get("residual_severity")?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn
        .prepare_cached("SELECT * FROM risk_controls WHERE assessment_id = ?1 AND deleted_at IS NULL ORDER BY rowid")?;
    input.controls = stmt
        .query_map([&id], |r| {
            Ok(ControlInput {
                kind: Some(row_enum(r, "kind", ControlKind::parse)?),
                value: r.get("value")?,
                enforcement: Some(row_enum(r, "enforcement", Enforcement::parse)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(input)
}
