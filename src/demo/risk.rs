//! The demo agency's lone-working risk assessments of clients' homes (HSE
//! INDG73): every home the agency visits was assessed within the last year
//! by someone from the office and is reviewed yearly, so a few reviews fall
//! due around today; a few homes of newer clients are still to be assessed.
//! The hazards follow what the demo knows of the home (a dog behind the
//! kitchen door, a hoist). No assessment carries a control the rota obeys:
//! those are for a coordinator to add, and the demo rota stays open to
//! every carer the other rules allow.

use super::Gen;
use crate::people::{CarePackage, ClientRecords, ClientStatus};
use crate::risk::assessments::{Assessment, Hazard, HazardCategory};
use crate::risk::Subject;
use chrono::Duration;
use rand::Rng;
use uuid::Uuid;

/// An assessment with its hazards, as the demo writes it.
#[derive(Debug, Clone)]
pub struct DemoAssessment {
    pub assessment: Assessment,
    pub hazards: Vec<Hazard>,
}

/// The people in the office who assess homes.
const ASSESSORS: &[&str] = &["Priya Shah", "Gareth Morgan", "Helen Davies", "Susan Clarke"];

/// A hazard as found: category, what it is, likelihood and severity, the
/// measures, and likelihood and severity with them in place.
type Found = (HazardCategory, &'static str, u8, u8, &'static str, u8, u8);

/// Hazards any home may have, one or two of which are found in most.
const COMMON: &[Found] = &[
    (
        HazardCategory::Environment,
        "Steep front steps with no handrail",
        3,
        3,
        "Take the steps slowly; tell the office if they are icy",
        2,
        3,
    ),
    (
        HazardCategory::Environment,
        "Cluttered hallway and loose rugs",
        3,
        2,
        "Keep the way to the bedroom clear; family asked to take the rugs up",
        2,
        2,
    ),
    (
        HazardCategory::LightingParking,
        "Unlit path from the road; parking on the street only",
        3,
        2,
        "Carry a torch; park under the street light",
        2,
        2,
    ),
    (
        HazardCategory::Infection,
        "Client has repeated urine infections",
        3,
        2,
        "Gloves and aprons at every personal-care visit; wash hands before and after",
        2,
        2,
    ),
    (
        HazardCategory::ManualHandling,
        "Client needs help to stand and may fall",
        3,
        4,
        "Use the walking frame; follow the moving and handling plan",
        2,
        3,
    ),
    (
        HazardCategory::Area,
        "Poor mobile signal in the house",
        2,
        3,
        "Text the office on arriving and leaving from where there is signal",
        2,
        2,
    ),
];

const DOG: Found = (
    HazardCategory::Animals,
    "Dog in the house, protective of the client",
    2,
    3,
    "Ask for the dog to be shut in the kitchen before going in",
    1,
    3,
);

const HOIST: Found = (
    HazardCategory::ManualHandling,
    "Hoist transfers between bed and chair",
    3,
    4,
    "Two trained carers; check the hoist and sling before each use",
    1,
    4,
);

const HOSTILE: Found = (
    HazardCategory::Aggression,
    "A family member can be verbally hostile",
    2,
    3,
    "Stay calm; leave if threatened and ring the on-call manager",
    1,
    3,
);

const SUMMARIES: &[&str] = &[
    "Bungalow; client lives alone.",
    "Ground-floor flat; client lives alone.",
    "Terraced house; client lives with their partner.",
    "Semi-detached house; daughter visits most evenings.",
    "First-floor flat with a lift; client lives alone.",
];

/// About one home in twenty-five is a newer client's, not yet assessed.
const NOT_YET_ASSESSED: f64 = 0.04;

/// The assessments of the homes of `clients`, whose packages are `packages`.
pub(super) fn assessments(g: &mut Gen, clients: &[ClientRecords], packages: &[CarePackage]) -> Vec<DemoAssessment> {
    let mut out = Vec::with_capacity(clients.len());
    for records in clients {
        let client = &records.client;
        if client.status == ClientStatus::Ended || g.chance(NOT_YET_ASSESSED) {
            continue;
        }
        let hoist = packages.iter().any(|p| p.client_id == client.id && p.required_skills.iter().any(|s| s == "hoist"));
        let mut found: Vec<Found> = Vec::new();
        if client.access_notes.contains("Dog") {
            found.push(DOG);
        }
        if hoist {
            found.push(HOIST);
        }
        if g.chance(0.05) {
            found.push(HOSTILE);
        }
        for _ in 0..g.rng.random_range(1..3) {
            let common = g.pick(COMMON);
            if !found.iter().any(|f| f.1 == common.1) {
                found.push(common);
            }
        }
        // Yearly reviews, so about one in twenty-six falls due in a fortnight.
        let assessed_on = g.days_from_today(-368..-14);
        let id = g.id();
        let subject = Subject::Client(client.id);
        let hazards = found.iter().map(|f| hazard(g, id, subject.root_id(), f)).collect();
        out.push(DemoAssessment {
            assessment: Assessment {
                id,
                subject,
                version: 1,
                assessed_on,
                assessor: g.pick(ASSESSORS).into(),
                next_review_on: assessed_on + Duration::days(365),
                summary: g.pick(SUMMARIES).into(),
            },
            hazards,
        });
    }
    out
}

fn hazard(g: &mut Gen, assessment_id: Uuid, root_id: Uuid, found: &Found) -> Hazard {
    let &(category, description, likelihood, severity, measures, residual_likelihood, residual_severity) = found;
    Hazard {
        id: g.id(),
        assessment_id,
        root_id,
        category,
        description: description.into(),
        likelihood,
        severity,
        control_measures: measures.into(),
        residual_likelihood,
        residual_severity,
    }
}
