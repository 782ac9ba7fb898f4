//! What the rules look at: plain values gathered by the caller.

use crate::ids::IdMap;
use crate::people::{Absence, Availability, Carer, CarerGenderPreference, CarerPreference, CarerSkill, Client};
use crate::travel::{GeoPoint, TravelSettings};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::London;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct VisitFacts {
    pub id: Uuid,
    pub client_id: Uuid,
    /// "Morning call for Margaret Onions": shared by the visits of a week
    /// from one package, so a week is not thousands of copies of it.
    pub name: Arc<str>,
    pub start: DateTime<Utc>,
    /// The London date it starts on, worked out once: the rules ask for it
    /// for every visit of every run they check.
    pub date: NaiveDate,
    pub duration_min: u32,
    pub carers_required: u8,
    /// Shared with the week's other visits that need the same skills.
    pub required_skills: Arc<[String]>,
    pub short_task: bool,
    pub location: GeoPoint,
    /// Allocated carers.
    pub carers: Vec<Uuid>,
    /// The controls of the risk assessments of the activities (skills) the
    /// visit needs: shared, as `required_skills` is, by the week's visits
    /// that need the same skills.
    pub controls: Arc<[crate::risk::ControlFacts]>,
}

impl VisitFacts {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::minutes(i64::from(self.duration_min))
    }

    pub fn local_date(&self) -> NaiveDate {
        self.date
    }

    /// The same visit starting at `start`.
    pub fn moved_to(&self, start: DateTime<Utc>) -> Self {
        Self { start, date: start.with_timezone(&London).date_naive(), ..self.clone() }
    }

    /// "Morning call for Margaret Onions at 07:30 on Mon 2 Mar".
    pub fn describe(&self) -> String {
        self.described().to_string()
    }

    /// `describe` written straight into a sentence, with no string of its own.
    pub(crate) fn described(&self) -> impl std::fmt::Display + '_ {
        Described(&*self.name, self.start)
    }

    /// `described`, holding the visit's shared name and its start rather
    /// than the visit: for a sentence written when it is read.
    pub(crate) fn described_later(&self) -> impl std::fmt::Display + Send + Sync + 'static {
        Described(self.name.clone(), self.start)
    }
}

/// A visit's name and start: "Morning call for Margaret Onions at 07:30 on
/// Mon 2 Mar".
struct Described<N>(N, DateTime<Utc>);

impl<N: std::fmt::Display> std::fmt::Display for Described<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}", self.0, LondonMoment(self.1))
    }
}

/// "07:30 on Mon 2 Mar" in London time.
pub fn london_moment(instant: DateTime<Utc>) -> String {
    LondonMoment(instant).to_string()
}

/// `london_moment` written straight into a finding's sentence, with no
/// string of its own: a week's check says it for tens of thousands.
pub(crate) struct LondonMoment(pub DateTime<Utc>);

impl std::fmt::Display for LondonMoment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let local = self.0.with_timezone(&London);
        write!(f, "{} on {}", Clock(local), Day(local))
    }
}

/// "07:30" of a London time or a time of day, and "Mon 2 Mar" of a London
/// time, written out by hand: the rules say them for every finding, and
/// parsing a format string each time was a noticeable share of checking a
/// week.
pub(crate) struct Clock<T>(pub T);
pub(crate) struct Day<T>(pub T);
/// "Mon 2 Mar 2026".
pub(crate) struct Date(pub NaiveDate);

impl<T: Timelike> std::fmt::Display for Clock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl<T: Datelike> std::fmt::Display for Day<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let (weekday, month) = (self.0.weekday().num_days_from_monday() as usize, self.0.month0() as usize);
        write!(f, "{} {} {}", DAYS[weekday], self.0.day(), MONTHS[month])
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", Day(self.0), self.0.year())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CarerFacts {
    pub carer: Carer,
    /// The name the rules' sentences and the rota's lists give the carer:
    /// with their postcode when another of the week's carers has the same
    /// name, "Laura Roberts (SY4 2NZ)" (see `people::names_told_apart`).
    pub name: Arc<str>,
    pub skills: Vec<CarerSkill>,
    /// Shared with the sentences that quote it (outside availability).
    pub availability: Arc<[Availability]>,
    pub absences: Vec<Absence>,
    /// Minutes worked in the 16 weeks before the checked week (visits and
    /// the travel between them, as the week itself is counted, and hours
    /// entered for weeks before Caredesk), for the Working Time
    /// Regulations' 17-week average.
    pub earlier_16_weeks_minutes: u32,
    /// The first of those weeks with hours entered from before the agency's
    /// records in Caredesk begin (`people::hours_before`): the carer's work
    /// is known from then, though the agency's records begin later.
    pub hours_before_from: Option<NaiveDate>,
    /// Where the agency takes weekly rest over a fortnight: the rests of the
    /// carer's work in the fortnight's other week (`None`: no work then).
    pub other_week_rests: Option<super::weekly_rest::WeekRests>,
    /// The controls of the carer's own current risk assessment.
    pub controls: Vec<crate::risk::ControlFacts>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientFacts {
    pub client: ClientSummary,
    pub preferences: Vec<CarerPreference>,
    /// The controls of the client's current risk assessment.
    pub controls: Vec<crate::risk::ControlFacts>,
}

/// What the rules and the board read of a client: who they are, where
/// they live and whom they would rather have, not their phone, notes or
/// funding. A week keeps every client (5,000 on the huge agency), and their
/// whole records were 3 MB of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSummary {
    pub id: Uuid,
    /// "Margaret Onions", as `Client::full_name` writes it.
    pub name: Arc<str>,
    pub postcode: Arc<str>,
    pub lat: f64,
    pub lon: f64,
    pub preferred_carer_gender: CarerGenderPreference,
    /// The language they would rather be spoken to in; empty for any.
    pub language: String,
}

impl ClientSummary {
    pub fn of(client: &Client) -> ClientSummary {
        ClientSummary {
            id: client.id,
            name: client.full_name().into(),
            postcode: client.postcode.as_str().into(),
            lat: client.lat,
            lon: client.lon,
            preferred_carer_gender: client.preferred_carer_gender,
            language: client.language.clone(),
        }
    }

    pub fn full_name(&self) -> String {
        self.name.to_string()
    }
}

/// A week of the rota (Monday to Sunday) and what surrounds it: visits from
/// the day before to the day after, so rest rules see across the edges.
#[derive(Debug, Clone, PartialEq)]
pub struct RotaFacts {
    pub week_start: NaiveDate,
    pub visits: Vec<VisitFacts>,
    pub carers: IdMap<CarerFacts>,
    pub clients: IdMap<ClientFacts>,
    pub travel: TravelSettings,
    pub skills: SkillNames,
    /// The Monday of the first week with work in the agency's records, when
    /// that is within the 17 weeks ending with this one: the 48-hour average
    /// cannot count the weeks before (`people::working_time::records_from`).
    pub records_from: Option<NaiveDate>,
    /// How the agency takes its carers' weekly rest: each week, or over a
    /// fortnight (`working_time_settings`).
    pub weekly_rest: super::weekly_rest::WeeklyRest,
}

/// The skills catalogue, code to name, so a finding says "Medication
/// administration (level 2)" where the visit's data says `medication_l2`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SkillNames(pub HashMap<String, Arc<str>>);

impl SkillNames {
    /// The skill's name, or its code when the catalogue does not have it.
    pub fn of<'a>(&'a self, code: &'a str) -> &'a str {
        self.0.get(code).map_or(code, |name| name)
    }

    /// `of`, shared, for a sentence written when it is read.
    pub fn shared(&self, code: &str) -> Arc<str> {
        self.0.get(code).cloned().unwrap_or_else(|| code.into())
    }
}

impl RotaFacts {
    pub fn week_end(&self) -> NaiveDate {
        self.week_start + chrono::Duration::days(6)
    }
}
