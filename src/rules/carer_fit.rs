//! Whether one carer may do one visit: working here that day, absence,
//! availability, skills and training, DBS and right to work, and the
//! client's exclusions and preferences.

use super::facts::{CarerFacts, ClientFacts, Clock, SkillNames, VisitFacts};
use super::{finding, Finding, RuleId};
use crate::people::{CarerGenderPreference, Gender, PreferenceKind};
use chrono::{Duration, NaiveDateTime};
use chrono_tz::Europe::London;

fn day(date: chrono::NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

pub fn check(visit: &VisitFacts, facts: &CarerFacts, client: &ClientFacts, skills: &SkillNames) -> Vec<Finding> {
    let carer = &facts.carer;
    let name = &facts.name;
    let date = visit.local_date();
    let mut out = Vec::new();
    let mut add = |rule: RuleId, message: String| out.push(finding(rule, vec![visit.id], Some(carer.id), message));

    if let Some(absence) = facts.absences.iter().find(|a| away_for(a, visit)) {
        let from = match absence.from_time {
            Some(time) => format!("{} {}", time.format("%H:%M"), day(absence.starts_on)),
            None => day(absence.starts_on),
        };
        add(
            RuleId::Absent,
            format!("{name} is away ({}) from {from} to {}", absence.kind.label().to_lowercase(), day(absence.ends_on)),
        );
    }
    // The leaving date is the last day worked.
    if let Some(left) = carer.left_on.filter(|left| *left < date) {
        add(RuleId::NotEmployed, format!("{name} left the agency on {}", day(left)));
    } else if carer.started_on > date {
        add(RuleId::NotEmployed, format!("{name} starts at the agency on {}", day(carer.started_on)));
    }
    if !within_availability(visit, facts) {
        // The most common finding on a busy week: written as one string.
        use std::fmt::Write;
        let mut message = String::with_capacity(128);
        // The carer's name may end in a postcode in brackets (namesakes), so
        // the hours follow a colon rather than brackets or a possessive.
        let _ = write!(message, "{} is outside the availability of {name}: ", visit.described());
        let weekday = crate::people::Weekday::from_chrono(chrono::Datelike::weekday(&date));
        let mut slots = facts.availability.iter().filter(|a| a.weekday == weekday).peekable();
        if slots.peek().is_none() {
            message.push_str("not available");
        }
        for (i, slot) in slots.enumerate() {
            let _ = write!(
                message,
                "{}{}–{}",
                if i == 0 { "" } else { ", " },
                Clock(slot.start_time),
                Clock(slot.end_time)
            );
        }
        message.push_str(" that day");
        add(RuleId::OutsideAvailability, message);
    }
    for code in visit.required_skills.iter() {
        let skill = skills.of(code);
        match facts.skills.iter().find(|s| &s.skill == code) {
            None => {
                add(RuleId::SkillMissing, format!("{} needs {skill}, which {name} does not have", visit.describe()))
            }
            Some(s) if s.expires_on.is_some_and(|e| e < date) => add(
                RuleId::SkillExpired,
                format!("{name} has {skill} training that expired on {}", day(s.expires_on.unwrap_or(date))),
            ),
            Some(_) => {}
        }
    }
    match carer.dbs_expires_on {
        None => add(RuleId::DbsExpired, format!("{name} has no DBS check recorded")),
        Some(expiry) if expiry < date => {
            add(RuleId::DbsExpired, format!("{name} has a DBS check that expired on {}", day(expiry)))
        }
        Some(_) => {}
    }
    if let Some(expiry) = carer.right_to_work_expires_on.filter(|e| *e < date) {
        add(RuleId::RightToWorkExpired, format!("{name} has a right to work in the UK that ended on {}", day(expiry)));
    }
    let client_name = client.client.name();
    if let Some(excluded) =
        client.preferences.iter().find(|p| p.carer_id == carer.id && p.kind == PreferenceKind::Excluded)
    {
        add(RuleId::Excluded, format!("{client_name} has asked that {name} does not visit: {}", excluded.reason));
    }
    let wanted = match client.client.preferred_carer_gender {
        CarerGenderPreference::Female => Some(Gender::Female),
        CarerGenderPreference::Male => Some(Gender::Male),
        CarerGenderPreference::Any => None,
    };
    if let Some(wanted) = wanted.filter(|g| *g != carer.gender) {
        add(RuleId::GenderPreference, format!("{client_name} wants {} carers only", wanted.label().to_lowercase()));
    }
    let language = client.client.language.trim();
    if !language.is_empty() && !carer.languages.iter().any(|l| l.eq_ignore_ascii_case(language)) {
        add(RuleId::LanguagePreference, format!("{client_name} prefers {language}, which {name} does not speak"));
    }
    out.extend(super::risk::check(visit, facts, client));
    out
}

/// The first rule that blocks the carer from the visit, found without
/// writing any sentence: ranking replacements asks this of every carer,
/// and only the few shown need `check`'s words. Must agree with `check`
/// on which blocks apply (a test walks a whole demo week to prove it).
pub fn blocking_rule(visit: &VisitFacts, facts: &CarerFacts, client: &ClientFacts) -> Option<RuleId> {
    let carer = &facts.carer;
    let date = visit.local_date();
    if facts.absences.iter().any(|a| away_for(a, visit)) {
        return Some(RuleId::Absent);
    }
    if carer.left_on.is_some_and(|left| left < date) || carer.started_on > date {
        return Some(RuleId::NotEmployed);
    }
    for skill in visit.required_skills.iter() {
        match facts.skills.iter().find(|s| &s.skill == skill) {
            None => return Some(RuleId::SkillMissing),
            Some(s) if s.expires_on.is_some_and(|e| e < date) => return Some(RuleId::SkillExpired),
            Some(_) => {}
        }
    }
    if carer.dbs_expires_on.is_none_or(|expiry| expiry < date) {
        return Some(RuleId::DbsExpired);
    }
    if carer.right_to_work_expires_on.is_some_and(|e| e < date) {
        return Some(RuleId::RightToWorkExpired);
    }
    if client.preferences.iter().any(|p| p.carer_id == carer.id && p.kind == PreferenceKind::Excluded) {
        return Some(RuleId::Excluded);
    }
    let wanted = match client.client.preferred_carer_gender {
        CarerGenderPreference::Female => Some(Gender::Female),
        CarerGenderPreference::Male => Some(Gender::Male),
        CarerGenderPreference::Any => None,
    };
    if wanted.is_some_and(|g| g != carer.gender) {
        return Some(RuleId::GenderPreference);
    }
    super::risk::blocking(visit, facts, client)
}

/// Whether the absence covers any of the visit: an absence from a time on
/// its first day ("sick from 06:30") leaves that day's earlier visits alone.
fn away_for(absence: &crate::people::Absence, visit: &VisitFacts) -> bool {
    let date = visit.local_date();
    if date < absence.starts_on || absence.ends_on < date {
        return false;
    }
    match absence.from_time {
        Some(from) if date == absence.starts_on => {
            visit.end().with_timezone(&London).naive_local() > absence.starts_on.and_time(from)
        }
        _ => true,
    }
}

/// Whether the whole visit falls inside one availability slot. A slot whose
/// end is not after its start runs past midnight, so yesterday's slot may
/// cover an early-morning visit.
fn within_availability(visit: &VisitFacts, facts: &CarerFacts) -> bool {
    let start = visit.start.with_timezone(&London).naive_local();
    let end = visit.end().with_timezone(&London).naive_local();
    let date = visit.local_date();
    [date - Duration::days(1), date].iter().any(|slot_date| {
        let weekday = crate::people::Weekday::from_chrono(chrono::Datelike::weekday(slot_date));
        facts.availability.iter().filter(|a| a.weekday == weekday).any(|a| {
            let from: NaiveDateTime = slot_date.and_time(a.start_time);
            let mut until: NaiveDateTime = slot_date.and_time(a.end_time);
            if a.end_time <= a.start_time {
                until += Duration::days(1);
            }
            from <= start && end <= until
        })
    })
}
