//! Carers: the record, its child lists (skills, weekly availability,
//! absences), the form a person fills in, and how a form becomes records.

use super::common::{self as check, text_enum, Gender, Transport, Weekday};
use crate::error::{FieldErrors, Result};
use crate::record_fields;
use crate::store::{json_list, row_date, row_enum, row_opt_date, row_opt_time, row_time, row_uuid, Columns, Record};
use chrono::{NaiveDate, NaiveTime};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

text_enum!(AbsenceKind {
    AnnualLeave = "annual_leave": "Annual leave",
    Sickness = "sickness": "Sickness",
    Training = "training": "Training",
    Compassionate = "compassionate": "Compassionate leave",
    Other = "other": "Other",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Carer {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub gender: Gender,
    pub phone: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub town: String,
    pub postcode: String,
    pub home_lat: f64,
    pub home_lon: f64,
    pub transport: Transport,
    pub languages: Vec<String>,
    pub started_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub dbs_expires_on: Option<NaiveDate>,
    pub right_to_work_expires_on: Option<NaiveDate>,
    pub contracted_hours: f64,
    pub max_hours: f64,
    pub wtr_opt_out: bool,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CarerSkill {
    pub id: Uuid,
    pub carer_id: Uuid,
    pub skill: String,
    pub expires_on: Option<NaiveDate>,
}

/// One slot of the weekly pattern; an end not after the start runs past midnight.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Availability {
    pub id: Uuid,
    pub carer_id: Uuid,
    pub weekday: Weekday,
    #[ts(type = "string")]
    pub start_time: NaiveTime,
    #[ts(type = "string")]
    pub end_time: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Absence {
    pub id: Uuid,
    pub carer_id: Uuid,
    pub kind: AbsenceKind,
    pub starts_on: NaiveDate,
    /// Off from this London time on the first day ("sick from 06:30");
    /// `None`: the whole of the first day.
    #[ts(type = "string | null")]
    pub from_time: Option<NaiveTime>,
    pub ends_on: NaiveDate,
    pub note: String,
}

impl Absence {
    /// The absence in words, as on-call and the handover sheet say it:
    /// "Sickness on Thu 3 Dec", "Sickness from 06:30 on Tue 1 Dec to Thu 3 Dec".
    pub fn period(&self) -> String {
        absence_period(self.kind, self.starts_on, self.from_time, self.ends_on)
    }
}

/// See [`Absence::period`]. Off from midnight is off the whole first day.
pub fn absence_period(
    kind: AbsenceKind,
    starts_on: NaiveDate,
    from_time: Option<NaiveTime>,
    ends_on: NaiveDate,
) -> String {
    let day = |d: NaiveDate| d.format("%a %-d %b").to_string();
    let from = match from_time.filter(|t| *t != NaiveTime::MIN) {
        Some(time) => format!("from {} on {}", time.format("%H:%M"), day(starts_on)),
        None if ends_on > starts_on => format!("from {}", day(starts_on)),
        None => format!("on {}", day(starts_on)),
    };
    let to = if ends_on > starts_on { format!(" to {}", day(ends_on)) } else { String::new() };
    format!("{} {from}{to}", kind.label())
}

impl Record for Carer {
    const ENTITY: &'static str = "carers";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; given_name, family_name, gender, phone, email, address_line1, address_line2,
            town, postcode, home_lat, home_lon, transport, languages, started_on, left_on, dbs_expires_on,
            right_to_work_expires_on, contracted_hours, max_hours, wtr_opt_out, notes)
    }
}

impl Record for CarerSkill {
    const ENTITY: &'static str = "carer_skills";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.carer_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; carer_id, skill, expires_on)
    }
}

impl Record for Availability {
    const ENTITY: &'static str = "carer_availability";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.carer_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; carer_id, weekday, start_time, end_time)
    }
}

impl Record for Absence {
    const ENTITY: &'static str = "carer_absences";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.carer_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; carer_id, kind, starts_on, from_time, ends_on, note)
    }
}

impl Carer {
    pub fn full_name(&self) -> String {
        self.name().to_string()
    }

    /// The full name, written only where it is shown.
    pub fn name(&self) -> super::common::FullName<'_> {
        super::common::FullName(&self.given_name, &self.family_name)
    }

    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Self::from_columns(row, &Columns::of(row.as_ref()))
    }

    /// `from_row` with the columns' places looked up once for many rows.
    pub(crate) fn from_columns(row: &Row, c: &Columns) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, c.at("id"))?,
            given_name: row.get(c.at("given_name"))?,
            family_name: row.get(c.at("family_name"))?,
            gender: row_enum(row, c.at("gender"), Gender::parse)?,
            phone: row.get(c.at("phone"))?,
            email: row.get(c.at("email"))?,
            address_line1: row.get(c.at("address_line1"))?,
            address_line2: row.get(c.at("address_line2"))?,
            town: row.get(c.at("town"))?,
            postcode: row.get(c.at("postcode"))?,
            home_lat: row.get(c.at("home_lat"))?,
            home_lon: row.get(c.at("home_lon"))?,
            transport: row_enum(row, c.at("transport"), Transport::parse)?,
            languages: json_list(row, c.at("languages"))?,
            started_on: row_date(row, c.at("started_on"))?,
            left_on: row_opt_date(row, c.at("left_on"))?,
            dbs_expires_on: row_opt_date(row, c.at("dbs_expires_on"))?,
            right_to_work_expires_on: row_opt_date(row, c.at("right_to_work_expires_on"))?,
            contracted_hours: row.get(c.at("contracted_hours"))?,
            max_hours: row.get(c.at("max_hours"))?,
            wtr_opt_out: row.get(c.at("wtr_opt_out"))?,
            notes: row.get(c.at("notes"))?,
        })
    }
}

impl CarerSkill {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Self::from_columns(row, &Columns::of(row.as_ref()))
    }

    /// `from_row` with the columns' places looked up once for many rows.
    pub(crate) fn from_columns(row: &Row, c: &Columns) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, c.at("id"))?,
            carer_id: row_uuid(row, c.at("carer_id"))?,
            skill: row.get(c.at("skill"))?,
            expires_on: row_opt_date(row, c.at("expires_on"))?,
        })
    }
}

impl Availability {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Self::from_columns(row, &Columns::of(row.as_ref()))
    }

    /// `from_row` with the columns' places looked up once for many rows.
    pub(crate) fn from_columns(row: &Row, c: &Columns) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, c.at("id"))?,
            carer_id: row_uuid(row, c.at("carer_id"))?,
            weekday: row_enum(row, c.at("weekday"), Weekday::parse)?,
            start_time: row_time(row, c.at("start_time"))?,
            end_time: row_time(row, c.at("end_time"))?,
        })
    }
}

impl Absence {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            carer_id: row_uuid(row, "carer_id")?,
            kind: row_enum(row, "kind", AbsenceKind::parse)?,
            starts_on: row_date(row, "starts_on")?,
            from_time: row_opt_time(row, "from_time")?,
            ends_on: row_date(row, "ends_on")?,
            note: row.get("note")?,
        })
    }
}

/// The carer form as typed: text stays text until the core has checked it,
/// so a bad value comes back as a field error, never as a lost form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct CarerInput {
    pub id: Option<Uuid>,
    pub given_name: String,
    pub family_name: String,
    pub gender: Option<Gender>,
    pub phone: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub town: String,
    pub postcode: String,
    pub home_lat: Option<f64>,
    pub home_lon: Option<f64>,
    pub transport: Option<Transport>,
    /// Comma-separated, e.g. "English, Polish".
    pub languages: String,
    pub started_on: String,
    pub left_on: String,
    pub dbs_expires_on: String,
    pub right_to_work_expires_on: String,
    pub contracted_hours: Option<f64>,
    pub max_hours: Option<f64>,
    pub wtr_opt_out: bool,
    pub notes: String,
    pub skills: Vec<SkillInput>,
    pub availability: Vec<AvailabilityInput>,
    pub absences: Vec<AbsenceInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct SkillInput {
    pub id: Option<Uuid>,
    pub skill: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct AvailabilityInput {
    pub id: Option<Uuid>,
    pub weekday: Option<Weekday>,
    pub start_time: String,
    pub end_time: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct AbsenceInput {
    pub id: Option<Uuid>,
    pub kind: Option<AbsenceKind>,
    pub starts_on: String,
    /// "HH:MM" when the absence starts part-way through its first day.
    pub from_time: String,
    pub ends_on: String,
    pub note: String,
}

/// A carer with everything that hangs off them, as saved together.
#[derive(Debug, Clone, PartialEq)]
pub struct CarerRecords {
    pub carer: Carer,
    pub skills: Vec<CarerSkill>,
    pub availability: Vec<Availability>,
    pub absences: Vec<Absence>,
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl From<&CarerRecords> for CarerInput {
    fn from(r: &CarerRecords) -> Self {
        let c = &r.carer;
        CarerInput {
            id: Some(c.id),
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            gender: Some(c.gender),
            phone: c.phone.clone(),
            email: c.email.clone(),
            address_line1: c.address_line1.clone(),
            address_line2: c.address_line2.clone(),
            town: c.town.clone(),
            postcode: c.postcode.clone(),
            home_lat: Some(c.home_lat),
            home_lon: Some(c.home_lon),
            transport: Some(c.transport),
            languages: c.languages.join(", "),
            started_on: date_text(Some(c.started_on)),
            left_on: date_text(c.left_on),
            dbs_expires_on: date_text(c.dbs_expires_on),
            right_to_work_expires_on: date_text(c.right_to_work_expires_on),
            contracted_hours: Some(c.contracted_hours),
            max_hours: Some(c.max_hours),
            wtr_opt_out: c.wtr_opt_out,
            notes: c.notes.clone(),
            skills: r
                .skills
                .iter()
                .map(|s| SkillInput { id: Some(s.id), skill: s.skill.clone(), expires_on: date_text(s.expires_on) })
                .collect(),
            availability: r
                .availability
                .iter()
                .map(|a| AvailabilityInput {
                    id: Some(a.id),
                    weekday: Some(a.weekday),
                    start_time: a.start_time.format("%H:%M").to_string(),
                    end_time: a.end_time.format("%H:%M").to_string(),
                })
                .collect(),
            absences: r
                .absences
                .iter()
                .map(|a| AbsenceInput {
                    id: Some(a.id),
                    kind: Some(a.kind),
                    starts_on: date_text(Some(a.starts_on)),
                    from_time: a.from_time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                    ends_on: date_text(Some(a.ends_on)),
                    note: a.note.clone(),
                })
                .collect(),
        }
    }
}

impl CarerInput {
    /// Checks every field and builds the records, reporting every problem at
    /// once. `known_skills` is the agency's skills catalogue.
    pub fn validate(&self, known_skills: &[String]) -> Result<CarerRecords> {
        let mut e = FieldErrors::new();
        let id = self.id.unwrap_or_else(crate::ids::new_id);
        let started_on = check::required_date(&mut e, "started_on", &self.started_on, "the start date");
        let left_on = check::optional_date(&mut e, "left_on", &self.left_on);
        if let (Some(start), Some(left)) = (started_on, left_on) {
            if left < start {
                e.add("left_on", "The leaving date cannot be before the start date");
            }
        }
        let (home_lat, home_lon) = check::uk_point(&mut e, "home_lat", "home_lon", self.home_lat, self.home_lon);
        let contracted_hours =
            check::number_in(&mut e, "contracted_hours", self.contracted_hours, (0.0, 60.0), "contracted hours");
        let max_hours = check::number_in(&mut e, "max_hours", self.max_hours, (0.0, 90.0), "maximum weekly hours");
        if max_hours < contracted_hours {
            e.add("max_hours", "Maximum weekly hours cannot be less than contracted hours");
        }
        if max_hours > 48.0 && !self.wtr_opt_out {
            e.add("max_hours", "Over 48 hours a week needs the carer's written opt-out (Working Time Regulations)");
        }
        let carer = Carer {
            id,
            given_name: check::require_text(&mut e, "given_name", &self.given_name, "a first name"),
            family_name: check::require_text(&mut e, "family_name", &self.family_name, "a last name"),
            gender: self.gender.unwrap_or(Gender::Unspecified),
            phone: check::phone(&mut e, "phone", &self.phone, true),
            email: check::email(&mut e, "email", &self.email),
            address_line1: check::require_text(
                &mut e,
                "address_line1",
                &self.address_line1,
                "the first line of the address",
            ),
            address_line2: check::clean(&self.address_line2),
            town: check::require_text(&mut e, "town", &self.town, "the town"),
            postcode: check::postcode(&mut e, "postcode", &self.postcode),
            home_lat,
            home_lon,
            transport: self.transport.unwrap_or_else(|| {
                e.add("transport", "Choose how the carer travels");
                Transport::Car
            }),
            languages: check::word_list(&self.languages),
            started_on: started_on.unwrap_or_default(),
            left_on,
            dbs_expires_on: check::optional_date(&mut e, "dbs_expires_on", &self.dbs_expires_on),
            right_to_work_expires_on: check::optional_date(
                &mut e,
                "right_to_work_expires_on",
                &self.right_to_work_expires_on,
            ),
            contracted_hours,
            max_hours,
            wtr_opt_out: self.wtr_opt_out,
            notes: self.notes.trim().to_string(),
        };
        let skills = self.validate_skills(&mut e, id, known_skills);
        let availability = self.validate_availability(&mut e, id);
        let absences = self.validate_absences(&mut e, id);
        e.finish(CarerRecords { carer, skills, availability, absences })
    }

    fn validate_skills(&self, e: &mut FieldErrors, carer_id: Uuid, known: &[String]) -> Vec<CarerSkill> {
        let mut seen: Vec<&str> = Vec::new();
        let mut skills = Vec::new();
        for (i, s) in self.skills.iter().enumerate() {
            let code = s.skill.trim();
            if code.is_empty() {
                e.add(format!("skills[{i}].skill"), "Choose a skill");
            } else if !known.iter().any(|k| k == code) {
                e.add(format!("skills[{i}].skill"), format!("\"{code}\" is not a skill in the agency's catalogue"));
            } else if seen.contains(&code) {
                e.add(format!("skills[{i}].skill"), "This skill is listed twice");
            }
            seen.push(code);
            let expires_on = check::optional_date(e, &format!("skills[{i}].expires_on"), &s.expires_on);
            skills.push(CarerSkill {
                id: s.id.unwrap_or_else(crate::ids::new_id),
                carer_id,
                skill: code.to_string(),
                expires_on,
            });
        }
        skills
    }

    fn validate_availability(&self, e: &mut FieldErrors, carer_id: Uuid) -> Vec<Availability> {
        let mut slots = Vec::new();
        for (i, a) in self.availability.iter().enumerate() {
            let weekday = a.weekday.unwrap_or_else(|| {
                e.add(format!("availability[{i}].weekday"), "Choose a day");
                Weekday::Mon
            });
            let start = check::required_time(e, &format!("availability[{i}].start_time"), &a.start_time);
            let end = check::required_time(e, &format!("availability[{i}].end_time"), &a.end_time);
            if let (Some(start), Some(end)) = (start, end) {
                if start == end {
                    e.add(format!("availability[{i}].end_time"), "The end must differ from the start");
                }
                slots.push(Availability {
                    id: a.id.unwrap_or_else(crate::ids::new_id),
                    carer_id,
                    weekday,
                    start_time: start,
                    end_time: end,
                });
            }
        }
        slots
    }

    fn validate_absences(&self, e: &mut FieldErrors, carer_id: Uuid) -> Vec<Absence> {
        let mut absences = Vec::new();
        for (i, a) in self.absences.iter().enumerate() {
            let kind = a.kind.unwrap_or_else(|| {
                e.add(format!("absences[{i}].kind"), "Choose the kind of absence");
                AbsenceKind::Other
            });
            let starts = check::required_date(e, &format!("absences[{i}].starts_on"), &a.starts_on, "the first day");
            let ends = check::required_date(e, &format!("absences[{i}].ends_on"), &a.ends_on, "the last day");
            let from_time = check::optional_time(e, &format!("absences[{i}].from_time"), &a.from_time);
            if let (Some(starts_on), Some(ends_on)) = (starts, ends) {
                if ends_on < starts_on {
                    e.add(format!("absences[{i}].ends_on"), "The last day cannot be before the first day");
                }
                absences.push(Absence {
                    id: a.id.unwrap_or_else(crate::ids::new_id),
                    carer_id,
                    kind,
                    starts_on,
                    from_time,
                    ends_on,
                    note: a.note.trim().to_string(),
                });
            }
        }
        absences
    }
}

/// Carers' names as a list shows them: with their postcode where two of
/// `carers` (id, full name, postcode) share a name, "Laura Roberts
/// (SY3 7AB)", as the rota shows them, so that lists, plans and printed
/// sheets tell them apart.
pub fn names_told_apart(carers: Vec<(Uuid, String, String)>) -> Vec<(Uuid, String)> {
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, name, _) in &carers {
        *count.entry(name.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = carers.iter().map(|(_, name, _)| count[name.as_str()] > 1).collect();
    carers
        .into_iter()
        .zip(shared)
        .map(|((id, name, postcode), shared)| match shared && !postcode.is_empty() {
            true => (id, format!("{name} ({postcode})")),
            false => (id, name),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{absence_period, names_told_apart, AbsenceKind};
    use chrono::{NaiveDate, NaiveTime};
    use uuid::Uuid;

    #[test]
    fn an_absence_reads_as_a_person_would_say_it() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let at = |h, m| Some(NaiveTime::from_hms_opt(h, m, 0).unwrap());
        let sick = AbsenceKind::Sickness;
        assert_eq!(absence_period(sick, day(3), None, day(3)), "Sickness on Thu 3 Dec");
        assert_eq!(absence_period(sick, day(3), at(0, 0), day(3)), "Sickness on Thu 3 Dec", "from midnight is all day");
        assert_eq!(absence_period(sick, day(3), at(6, 30), day(3)), "Sickness from 06:30 on Thu 3 Dec");
        assert_eq!(absence_period(sick, day(1), None, day(3)), "Sickness from Tue 1 Dec to Thu 3 Dec");
        assert_eq!(absence_period(sick, day(1), at(6, 30), day(3)), "Sickness from 06:30 on Tue 1 Dec to Thu 3 Dec");
    }

    #[test]
    fn carers_who_share_a_name_are_told_apart_by_postcode_and_others_keep_their_name() {
        let id = |n: u128| Uuid::from_u128(n);
        let named = names_told_apart(vec![
            (id(1), "Laura Roberts".into(), "SY3 7AB".into()),
            (id(2), "Zoe Mills".into(), "SY1 1AA".into()),
            (id(3), "Laura Roberts".into(), "SY4 2NZ".into()),
        ]);
        assert_eq!(
            named,
            vec![
                (id(1), "Laura Roberts (SY3 7AB)".to_string()),
                (id(2), "Zoe Mills".to_string()),
                (id(3), "Laura Roberts (SY4 2NZ)".to_string())
            ]
        );
    }
}
