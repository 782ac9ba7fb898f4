//! The controls of risk assessments as rota rules: two carers at every
//! visit, no visits after a time or in darkness (sunrise and sunset at the
//! home that day), carers of one gender only, no new starters. They come
//! from the client's home, the carer's own assessment and the activities
//! the visit needs. Each blocks or warns as its assessment says, and names
//! the assessment.

use super::facts::{CarerFacts, ClientFacts, VisitFacts};
use super::{Finding, RuleId, Severity};
use crate::people::Gender;
use crate::risk::controls::daylight;
use crate::risk::{ControlFacts, ControlKind, Enforcement};
use chrono::{Duration, NaiveTime};
use chrono_tz::Europe::London;

fn hm(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&London).format("%H:%M").to_string()
}

/// Why `control` stops `carer` doing `visit`, if it does.
fn breach(
    visit: &VisitFacts,
    carer: &CarerFacts,
    client: &ClientFacts,
    control: &ControlFacts,
) -> Option<(RuleId, String)> {
    let name = &carer.name;
    let source = &control.source;
    match control.kind {
        ControlKind::DoubleUp if visit.carers_required < 2 => Some((
            RuleId::RiskDoubleUp,
            format!("{} is planned for one carer, but {source} needs two carers at every visit", visit.describe()),
        )),
        ControlKind::NoVisitsAfter => {
            let limit = NaiveTime::parse_from_str(&control.value, "%H:%M").ok()?;
            let end = visit.end().with_timezone(&London);
            let late = end.date_naive() > visit.date || end.time() > limit;
            late.then(|| {
                (
                    RuleId::RiskLateVisit,
                    format!(
                        "{} ends at {}, after {limit} set by {source}",
                        visit.describe(),
                        hm(visit.end()),
                        limit = limit.format("%H:%M")
                    ),
                )
            })
        }
        ControlKind::NoVisitsInDarkness => {
            let (rise, set) = daylight(visit.location, visit.date)?;
            if visit.end() > set {
                Some((
                    RuleId::RiskDarkness,
                    format!(
                        "{} ends at {}, after sunset at {} there; {source} allows no visits in darkness",
                        visit.describe(),
                        hm(visit.end()),
                        hm(set)
                    ),
                ))
            } else if visit.start < rise {
                Some((
                    RuleId::RiskDarkness,
                    format!(
                        "{} starts at {}, before sunrise at {} there; {source} allows no visits in darkness",
                        visit.describe(),
                        hm(visit.start),
                        hm(rise)
                    ),
                ))
            } else {
                None
            }
        }
        ControlKind::CarerGender => {
            let wanted = Gender::parse(&control.value)?;
            (carer.carer.gender != wanted).then(|| {
                (
                    RuleId::RiskCarerGender,
                    format!(
                        "{source} allows {} carers only at {}'s home; {name} is not",
                        wanted.label().to_lowercase(),
                        client.client.full_name()
                    ),
                )
            })
        }
        ControlKind::NoNewStarters => {
            let days: i64 = control.value.parse().ok()?;
            let started = carer.carer.started_on;
            (started > visit.date - Duration::days(days)).then(|| {
                (
                    RuleId::RiskNewStarter,
                    format!(
                        "{name} started on {}; {source} allows nobody who started in the {days} days before a visit",
                        started.format("%-d %b %Y")
                    ),
                )
            })
        }
        _ => None,
    }
}

/// Every control that reaches this carer at this visit.
fn controls<'a>(
    visit: &'a VisitFacts,
    carer: &'a CarerFacts,
    client: &'a ClientFacts,
) -> impl Iterator<Item = &'a ControlFacts> {
    client.controls.iter().chain(&carer.controls).chain(visit.controls.iter())
}

pub fn check(visit: &VisitFacts, carer: &CarerFacts, client: &ClientFacts) -> Vec<Finding> {
    controls(visit, carer, client)
        .filter_map(|control| {
            let (rule, message) = breach(visit, carer, client, control)?;
            let severity = match control.enforcement {
                Enforcement::Block => Severity::Block,
                Enforcement::Warn => Severity::Warn,
            };
            Some(Finding {
                rule,
                severity,
                visit_ids: [visit.id].into(),
                carer_id: Some(carer.carer.id),
                message: message.into(),
            })
        })
        .collect()
}

/// The first control that blocks, without the sentence (see `blocking_rule`).
pub fn blocking(visit: &VisitFacts, carer: &CarerFacts, client: &ClientFacts) -> Option<RuleId> {
    controls(visit, carer, client)
        .filter(|c| c.enforcement == Enforcement::Block)
        .find_map(|control| breach(visit, carer, client, control).map(|(rule, _)| rule))
}
