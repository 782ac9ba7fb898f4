//! Whether one carer may do one visit: working here that day, absence,
//! availability, skills and training, DBS and right to work, and the
//! client's exclusions and preferences.

use super::facts::{CarerFacts, ClientFacts, Clock, Date, SkillNames, VisitFacts};
use super::{finding_with, written, Finding, RuleId, Sentence};
use crate::people::{CarerGenderPreference, Gender, PreferenceKind};
use chrono::{Duration, NaiveDateTime};
use chrono_tz::Europe::London;

/// The carer's fit for the visit, its findings put at the end of `out`.
pub fn check(
    visit: &VisitFacts,
    facts: &CarerFacts,
    client: &ClientFacts,
    skills: &SkillNames,
    out: &mut Vec<Finding>,
) {
    let carer = &facts.carer;
    let name = &facts.name;
    let date = visit.local_date();
    let mut add = |rule: RuleId, message: Sentence| out.push(finding_with(rule, [visit.id], Some(carer.id), message));

    if let Some(absence) = facts.absences.iter().find(|a| away_for(a, visit)) {
        let from = match absence.from_time {
            Some(time) => format!("{} {}", Clock(time), Date(absence.starts_on)),
            None => Date(absence.starts_on).to_string(),
        };
        add(
            RuleId::Absent,
            written(format_args!(
                "{name} is away ({}) from {from} to {}",
                absence.kind.label().to_lowercase(),
                Date(absence.ends_on)
            )),
        );
    }
    // The leaving date is the last day worked.
    if let Some(left) = carer.left_on.filter(|left| *left < date) {
        add(RuleId::NotEmployed, written(format_args!("{name} left the agency on {}", Date(left))));
    } else if carer.started_on > date {
        add(RuleId::NotEmployed, written(format_args!("{name} starts at the agency on {}", Date(carer.started_on))));
    }
    // These two are most of a week's findings: their sentences are
    // written when read (see `Sentence`).
    if !within_availability(visit, facts) {
        let (described, name, slots) = (visit.described_later(), name.clone(), facts.availability.clone());
        // The carer's name may end in a postcode in brackets (namesakes), so
        // the hours follow a colon rather than brackets or a possessive.
        add(
            RuleId::OutsideAvailability,
            Sentence::later(move |f| {
                write!(f, "{described} is outside the availability of {name}: {} that day", Slots(&slots, date))
            }),
        );
    }
    for code in visit.required_skills.iter() {
        match facts.skills.iter().find(|s| &s.skill == code) {
            None => {
                let (described, skill, name) = (visit.described_later(), skills.shared(code), name.clone());
                add(
                    RuleId::SkillMissing,
                    Sentence::later(move |f| write!(f, "{described} needs {skill}, which {name} does not have")),
                );
            }
            Some(s) if s.expires_on.is_some_and(|e| e < date) => add(
                RuleId::SkillExpired,
                written(format_args!(
                    "{name} has {} training that expired on {}",
                    skills.of(code),
                    Date(s.expires_on.unwrap_or(date))
                )),
            ),
            Some(_) => {}
        }
    }
    match carer.dbs_expires_on {
        None => add(RuleId::DbsExpired, written(format_args!("{name} has no DBS check recorded"))),
        Some(expiry) if expiry < date => {
            add(RuleId::DbsExpired, written(format_args!("{name} has a DBS check that expired on {}", Date(expiry))))
        }
        Some(_) => {}
    }
    if let Some(expiry) = carer.right_to_work_expires_on.filter(|e| *e < date) {
        add(
            RuleId::RightToWorkExpired,
            written(format_args!("{name} has a right to work in the UK that ended on {}", Date(expiry))),
        );
    }
    let client_name = &client.client.name;
    if let Some(excluded) =
        client.preferences.iter().find(|p| p.carer_id == carer.id && p.kind == PreferenceKind::Excluded)
    {
        add(
            RuleId::Excluded,
            written(format_args!("{client_name} has asked that {name} does not visit: {}", excluded.reason)),
        );
    }
    let wanted = match client.client.preferred_carer_gender {
        CarerGenderPreference::Female => Some(Gender::Female),
        CarerGenderPreference::Male => Some(Gender::Male),
        CarerGenderPreference::Any => None,
    };
    if let Some(wanted) = wanted.filter(|g| *g != carer.gender) {
        add(
            RuleId::GenderPreference,
            written(format_args!("{client_name} wants {} carers only", wanted.label().to_lowercase())),
        );
    }
    let language = client.client.language.trim();
    if !language.is_empty() && !carer.languages.iter().any(|l| l.eq_ignore_ascii_case(language)) {
        add(
            RuleId::LanguagePreference,
            written(format_args!("{client_name} prefers {language}, which {name} does not speak")),
        );
    }
    out.extend(super::risk::check(visit, facts, client));
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

/// The carer's availability slots on the weekday of `date`, "07:00–12:00,
/// 17:00–21:00", or "not available": the sentence of the commonest finding
/// on a busy week, written straight into it.
struct Slots<'a>(&'a [crate::people::Availability], chrono::NaiveDate);

impl std::fmt::Display for Slots<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let weekday = crate::people::Weekday::from_chrono(chrono::Datelike::weekday(&self.1));
        let mut slots = self.0.iter().filter(|a| a.weekday == weekday).peekable();
        if slots.peek().is_none() {
            return f.write_str("not available");
        }
        for (i, slot) in slots.enumerate() {
            write!(f, "{}{}–{}", if i == 0 { "" } else { ", " }, Clock(slot.start_time), Clock(slot.end_time))?;
        }
        Ok(())
    }
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
