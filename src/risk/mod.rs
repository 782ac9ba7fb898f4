//! Lone-working risk: assessments of clients' homes (hazards scored
//! likelihood × severity into the agency's bands, control measures, review
//! dates, a new version for each review) and the controls the rota obeys.

pub mod assessments;
pub mod controls;
pub mod monitor;
pub mod scoring;
pub mod settings;
pub mod watch;

pub use assessments::{
    assessment_form, assessment_form_for, client_risk, current_controls, save_assessment, AssessmentInput, ClientRisk,
};
pub use controls::{ControlFacts, ControlKind, Enforcement};
pub use scoring::{Band, Bands};
