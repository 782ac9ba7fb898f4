//! Which bodies must be told of an incident, why, and by when. Pure: the
//! incident's facts in, proposals and deadlines out; no database, no clock.
//!
//! Deadlines, as the agency's policy reads the law:
//! - "without delay" (CQC Regulations 16 and 18, safeguarding referral,
//!   police, family under the duty of candour): within 24 hours of the
//!   office learning of it;
//! - RIDDOR: the written report within 10 days of the incident; a worker
//!   off for more than 7 days, within 15 days of the incident (calendar
//!   days, weekends included, to the end of the day in London);
//! - the ICO, for a personal data breach: within 72 hours of learning of it;
//! - the commissioner: by the end of the second working day after the
//!   report (weekends and England and Wales bank holidays do not count).

use crate::people::common::text_enum;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;

text_enum!(IncidentKind {
    Fall = "fall": "Fall",
    Injury = "injury": "Injury",
    MedicationError = "medication_error": "Medication error",
    MissedVisit = "missed_visit": "Missed visit",
    Aggression = "aggression": "Aggression or violence towards a worker",
    Safeguarding = "safeguarding": "Safeguarding concern",
    NearMiss = "near_miss": "Near miss",
    Property = "property": "Property or key safe",
    DataBreach = "data_breach": "Data breach",
    Death = "death": "Death",
    Other = "other": "Other",
});

text_enum!(Harm {
    NoHarm = "no_harm": "No harm",
    Low = "low": "Low harm",
    Moderate = "moderate": "Moderate harm",
    Severe = "severe": "Severe harm",
    Death = "death": "Death",
});

impl Harm {
    /// Moderate harm or worse: the duty of candour's threshold.
    pub fn at_least_moderate(self) -> bool {
        matches!(self, Harm::Moderate | Harm::Severe | Harm::Death)
    }
}

text_enum!(NotificationKind {
    CqcIncident = "cqc_incident": "CQC notification (Regulation 18)",
    CqcDeath = "cqc_death": "CQC death notification (Regulation 16)",
    Riddor = "riddor": "RIDDOR report to the HSE",
    RiddorOver7Days = "riddor_over_7_days": "RIDDOR: worker off more than 7 days",
    Safeguarding = "safeguarding": "Local authority safeguarding referral",
    Police = "police": "Police",
    Family = "family": "Family or key people",
    Commissioner = "commissioner": "Commissioner",
    Ico = "ico": "Information Commissioner's Office",
});

/// What the proposals look at.
#[derive(Debug, Clone, Copy)]
pub struct IncidentFacts {
    pub kind: IncidentKind,
    pub severity: Harm,
    /// A carer (a worker) was involved.
    pub worker_involved: bool,
    /// A person using the service was involved.
    pub client_involved: bool,
    pub worker_off_over_7_days: bool,
}

/// The notifications that apply, each with the reason in a sentence.
pub fn proposals(f: &IncidentFacts) -> Vec<(NotificationKind, String)> {
    use IncidentKind as K;
    use NotificationKind as N;
    let mut out = Vec::new();
    let serious = matches!(f.severity, Harm::Severe | Harm::Death);
    if f.kind == K::Death && f.client_involved {
        out.push((N::CqcDeath, "A person using the service died: CQC must be told under Regulation 16".into()));
    }
    if f.kind == K::Safeguarding {
        out.push((N::CqcIncident, "Abuse or an allegation of abuse: CQC must be told under Regulation 18".into()));
    } else if f.kind == K::Aggression || (serious && f.client_involved && f.kind != K::Death) {
        let why = if f.kind == K::Aggression {
            "An incident reported to or investigated by the police: CQC must be told under Regulation 18"
        } else {
            "A serious injury to a person using the service: CQC must be told under Regulation 18"
        };
        out.push((N::CqcIncident, why.into()));
    }
    // A death in the home is the person's, not a worker's: RIDDOR is added by hand
    // in the rare case it applies.
    let hurts_worker = matches!(f.kind, K::Fall | K::Injury | K::Aggression);
    if f.worker_involved && hurts_worker && serious {
        out.push((
            N::Riddor,
            "A worker was seriously hurt at work: RIDDOR asks for a report to the HSE within 10 days".into(),
        ));
    }
    if f.worker_involved && f.worker_off_over_7_days {
        out.push((
            N::RiddorOver7Days,
            "A worker is off for more than 7 days after it: RIDDOR asks for a report within 15 days".into(),
        ));
    }
    let neglect = matches!(f.kind, K::MedicationError | K::MissedVisit) && f.severity.at_least_moderate();
    if f.kind == K::Safeguarding || neglect {
        let why = if neglect {
            "Harm from a missed visit or a medication error may be neglect: refer it to the local authority"
        } else {
            "A safeguarding concern goes to the local authority's safeguarding team"
        };
        out.push((N::Safeguarding, why.into()));
    }
    if matches!(f.kind, K::Aggression | K::Property) {
        out.push((N::Police, "Violence, threats or theft are crimes: report them to the police".into()));
    }
    if f.client_involved && (f.severity.at_least_moderate() || f.kind == K::Death) {
        out.push((
            N::Family,
            "Moderate harm or worse: the duty of candour (Regulation 20) asks that the person and their family are told"
                .into(),
        ));
    } else if f.client_involved && f.severity == Harm::Low {
        out.push((N::Family, "The person was hurt: their family or key people will want to know".into()));
    }
    let contract = matches!(f.kind, K::MissedVisit | K::MedicationError | K::Safeguarding | K::Death);
    if f.client_involved && (f.severity.at_least_moderate() || contract) {
        out.push((N::Commissioner, "Commissioners ask to hear of harm, missed visits and medication errors".into()));
    }
    if f.kind == K::DataBreach {
        out.push((
            N::Ico,
            "A personal data breach goes to the ICO within 72 hours unless it is unlikely to harm anyone".into(),
        ));
    }
    out
}

/// When the notification is due.
pub fn due_at(kind: NotificationKind, occurred_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> DateTime<Utc> {
    use NotificationKind as N;
    match kind {
        N::CqcIncident | N::CqcDeath | N::Safeguarding | N::Police | N::Family => reported_at + Duration::hours(24),
        N::Ico => reported_at + Duration::hours(72),
        N::Riddor => end_of_london_day(london_date(occurred_at) + Duration::days(10)),
        N::RiddorOver7Days => end_of_london_day(london_date(occurred_at) + Duration::days(15)),
        N::Commissioner => end_of_london_day(working_days_after(london_date(reported_at), 2)),
    }
}

use crate::rota::plan::london_date;

/// The last minute of `date` on the London clock, as an instant: 23:59 GMT
/// or BST as the date has it (no date has its midnight skipped or repeated).
pub fn end_of_london_day(date: NaiveDate) -> DateTime<Utc> {
    let last = date.and_time(NaiveTime::from_hms_opt(23, 59, 0).expect("a valid time"));
    London.from_local_datetime(&last).earliest().expect("23:59 exists every day in London").with_timezone(&Utc)
}

/// The `n`th working day after `date` (Monday to Friday, not a bank holiday).
pub fn working_days_after(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !bank_holidays(date.year()).contains(&date)
}

/// England and Wales bank holidays of `year` by their standing rules (a
/// holiday on a weekend moves to the next free weekday). One-off holidays
/// proclaimed for a single year are not known.
pub fn bank_holidays(year: i32) -> Vec<NaiveDate> {
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("a real date");
    let easter = easter_sunday(year);
    let first_monday = |m| (1..=7).map(|day| d(m, day)).find(|x| x.weekday() == Weekday::Mon).expect("a Monday");
    let last_monday =
        |m, last| (last - 6..=last).map(|day| d(m, day)).find(|x| x.weekday() == Weekday::Mon).expect("a Monday");
    let mut days = vec![
        easter - Duration::days(2),
        easter + Duration::days(1),
        first_monday(5),
        last_monday(5, 31),
        last_monday(8, 31),
    ];
    // New Year's Day, Christmas Day and Boxing Day, moved off weekends in turn.
    for fixed in [d(1, 1), d(12, 25), d(12, 26)] {
        let mut day = fixed;
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || days.contains(&day) {
            day += Duration::days(1);
        }
        days.push(day);
    }
    days
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian
/// algorithm, as published by Nature in 1876).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter falls in March or April")
}
