//! Two years of the demo agency's incidents, for the trends and for the
//! screens: about three a month for every hundred clients, more falls in
//! winter, the older ones closed with their notifications sent (a few
//! late), the latest still open with notifications waiting.

use super::Gen;
use crate::incidents::notify::{due_at, proposals, Harm, IncidentFacts, IncidentKind};
use crate::incidents::records::*;
use crate::people::{CarerRecords, ClientRecords};
use crate::rota::plan::london_date;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rand::Rng;

/// An incident with everything that hangs off it, as the demo writes it.
#[derive(Debug, Clone)]
pub struct DemoIncident {
    pub incident: Incident,
    pub people: Vec<IncidentPerson>,
    pub notifications: Vec<Notification>,
    pub follow_ups: Vec<FollowUp>,
}

const KINDS: &[(IncidentKind, u32)] = &[
    (IncidentKind::Fall, 30),
    (IncidentKind::MedicationError, 20),
    (IncidentKind::MissedVisit, 12),
    (IncidentKind::Injury, 8),
    (IncidentKind::Safeguarding, 8),
    (IncidentKind::NearMiss, 8),
    (IncidentKind::Aggression, 6),
    (IncidentKind::Property, 3),
    (IncidentKind::Death, 2),
    (IncidentKind::DataBreach, 1),
    (IncidentKind::Other, 2),
];

fn what_happened(kind: IncidentKind, client: &str) -> (&'static str, String) {
    match kind {
        IncidentKind::Fall => (
            "Found on the floor",
            format!(
                "{client} was found on the bedroom floor on arrival; said they slipped reaching for a walking stick."
            ),
        ),
        IncidentKind::MedicationError => {
            ("Medication", format!("{client}'s evening tablets were still in the blister pack at the bed call."))
        }
        IncidentKind::MissedVisit => (
            "Missed visit",
            format!("The call to {client} was not made; the family rang the office to ask where the carer was."),
        ),
        IncidentKind::Injury => {
            ("Skin tear", format!("Skin tear on {client}'s forearm during a transfer from the chair."))
        }
        IncidentKind::Safeguarding => {
            ("Safeguarding", format!("{client} said a relative had been taking money from their purse."))
        }
        IncidentKind::NearMiss => {
            ("Near miss", format!("Wrong dose nearly given to {client}; the carer checked the MAR chart in time."))
        }
        IncidentKind::Aggression => {
            ("Aggression", format!("A visitor at {client}'s home shouted at and pushed the carer."))
        }
        IncidentKind::Property => {
            ("Key safe", format!("The key safe at {client}'s home was found open and the key missing."))
        }
        IncidentKind::Death => {
            ("Death", format!("{client} was found to have died on arrival for the morning call; 999 called."))
        }
        IncidentKind::DataBreach => ("Data breach", format!("A run sheet with {client}'s address was left in a shop.")),
        IncidentKind::Other => ("Other", format!("Smoke alarm sounding at {client}'s home; no fire found.")),
    }
}

fn severity(g: &mut Gen, kind: IncidentKind) -> Harm {
    use Harm as S;
    match kind {
        IncidentKind::Death => S::Death,
        IncidentKind::NearMiss | IncidentKind::DataBreach | IncidentKind::Property | IncidentKind::Other => S::NoHarm,
        _ => *[S::NoHarm, S::Low, S::Low, S::Low, S::Moderate, S::Moderate, S::Severe]
            .get(g.rng.random_range(0..7))
            .expect("in range"),
    }
}

/// The incidents of the two years to `now`.
pub fn history(
    g: &mut Gen,
    carers: &[CarerRecords],
    clients: &[ClientRecords],
    now: DateTime<Utc>,
) -> Vec<DemoIncident> {
    let today = london_date(now);
    let total_weight: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut out = Vec::new();
    let mut month = (today - Duration::days(730)).with_day(1).expect("the first");
    while month <= today {
        let winter = matches!(month.month(), 11 | 12 | 1 | 2);
        let per_month = clients.len() as f64 * if winter { 0.036 } else { 0.026 };
        let count = (per_month + g.rng.random_range(-0.5..0.5) * per_month.sqrt()).round().max(0.0) as u32;
        for _ in 0..count {
            let day = month + Duration::days(g.rng.random_range(0..28));
            let time =
                NaiveTime::from_hms_opt(g.rng.random_range(7..22), g.rng.random_range(0..4) * 15, 0).expect("a time");
            let Some(occurred_at) = London.from_local_datetime(&day.and_time(time)).earliest() else { continue };
            let occurred_at = occurred_at.with_timezone(&Utc);
            let reported_at = occurred_at + Duration::minutes(g.rng.random_range(5..180));
            if reported_at > now {
                continue;
            }
            let mut pick = g.rng.random_range(0..total_weight);
            let kind = KINDS
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .expect("a kind")
                .0;
            out.push(incident(g, kind, carers, clients, occurred_at, reported_at, now));
        }
        month = (month + Duration::days(32)).with_day(1).expect("the first");
    }
    out
}

fn incident(
    g: &mut Gen,
    kind: IncidentKind,
    carers: &[CarerRecords],
    clients: &[ClientRecords],
    occurred_at: DateTime<Utc>,
    reported_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DemoIncident {
    let id = g.id();
    let client = &clients[g.rng.random_range(0..clients.len())].client;
    let carer = &carers[g.rng.random_range(0..carers.len())].carer;
    let severity = severity(g, kind);
    let (location_hint, description) = what_happened(kind, &client.full_name());
    let mut people = vec![IncidentPerson {
        id: g.id(),
        incident_id: id,
        role: PersonRole::Client,
        carer_id: None,
        client_id: Some(client.id),
        name: String::new(),
        involvement: if kind == IncidentKind::Aggression { "Home where it happened".into() } else { "Affected".into() },
    }];
    if kind != IncidentKind::MissedVisit {
        people.push(IncidentPerson {
            id: g.id(),
            incident_id: id,
            role: PersonRole::Carer,
            carer_id: Some(carer.id),
            client_id: None,
            name: String::new(),
            involvement: if kind == IncidentKind::Aggression { "Threatened".into() } else { "Found it".into() },
        });
    }
    let worker_off_over_7_days = kind == IncidentKind::Aggression && severity == Harm::Severe;
    let age_days = (now - reported_at).num_days();
    let closed = age_days > 30;
    let facts = IncidentFacts {
        kind,
        severity,
        worker_involved: people.iter().any(|p| p.role == PersonRole::Carer),
        client_involved: true,
        worker_off_over_7_days,
    };
    let mut notifications = Vec::new();
    for (n_kind, why) in proposals(&facts) {
        let due = due_at(n_kind, occurred_at, reported_at);
        // Most are sent in time; one in eight late; recent ones may wait.
        let waiting = !closed && g.chance(0.5);
        let late = g.chance(0.125);
        let sent_at =
            if late { due + Duration::hours(g.rng.random_range(2..48)) } else { reported_at + (due - reported_at) / 3 };
        let not_needed = n_kind == crate::incidents::NotificationKind::Family && g.chance(0.2);
        notifications.push(Notification {
            id: g.id(),
            incident_id: id,
            kind: n_kind,
            proposed: true,
            why_proposed: why,
            due_at: due,
            decision: match (waiting, not_needed) {
                (true, _) => Decision::Undecided,
                (false, true) => Decision::NotNotify,
                (false, false) => Decision::Notify,
            },
            decision_reason: if not_needed && !waiting {
                "Her daughter was there and called us".into()
            } else {
                String::new()
            },
            decided_by: if waiting { String::new() } else { "Registered manager".into() },
            decided_at: (!waiting).then_some(reported_at + Duration::minutes(30)),
            sent_at: (!waiting && !not_needed && sent_at <= now).then_some(sent_at),
            sent_by: if waiting || not_needed { String::new() } else { "Registered manager".into() },
            reference: if waiting || not_needed {
                String::new()
            } else {
                format!("REF-{}", g.rng.random_range(10_000..99_999))
            },
        });
    }
    // A notification sent "later than now" waits instead.
    for n in notifications.iter_mut().filter(|n| n.decision == Decision::Notify && n.sent_at.is_none()) {
        n.sent_by.clear();
        n.reference.clear();
    }
    let all_done = notifications.iter().all(|n| !n.waiting());
    let reported_date = london_date(reported_at);
    let mut follow_ups = vec![FollowUp {
        id: g.id(),
        incident_id: id,
        kind: ActionKind::Action,
        description: format!("Review {}'s care plan after the incident ({location_hint})", client.given_name),
        owner: "Care coordinator".into(),
        carer_id: None,
        due_on: reported_date + Duration::days(7),
        done_on: (closed || g.chance(0.3)).then_some(reported_date + Duration::days(g.rng.random_range(1..8))),
    }];
    if kind == IncidentKind::Aggression {
        follow_ups.push(FollowUp {
            id: g.id(),
            incident_id: id,
            kind: ActionKind::Debrief,
            description: format!("Debrief with {}", carer.given_name),
            owner: "Registered manager".into(),
            carer_id: Some(carer.id),
            due_on: reported_date + Duration::days(2),
            done_on: closed.then_some(reported_date + Duration::days(1)),
        });
    }
    let closed = closed && all_done && follow_ups.iter().all(|f| f.done_on.is_some());
    let incident = Incident {
        id,
        occurred_at,
        reported_at,
        reported_by: carer.full_name(),
        reported_how: ReportedHow::Phone,
        kind,
        severity,
        location: format!("{}, {}", client.address_line1, client.town),
        description,
        immediate_action: "Made safe, checked for injury, rang the office.".into(),
        body_map: if matches!(kind, IncidentKind::Fall | IncidentKind::Injury) && severity != Harm::NoHarm {
            "Front: left forearm".into()
        } else {
            String::new()
        },
        attachments: Vec::new(),
        visit_id: None,
        worker_off_over_7_days,
        status: if closed {
            IncidentStatus::Closed
        } else if age_days > 7 {
            IncidentStatus::UnderReview
        } else {
            IncidentStatus::Open
        },
        closed_at: closed.then(|| reported_at + Duration::days(g.rng.random_range(3..40)).min(now - reported_at)),
        closed_by: if closed { "Registered manager".into() } else { String::new() },
    };
    DemoIncident { incident, people, notifications, follow_ups }
}
