//! Lone-working risk: assessments of clients' homes, carers and activities (hazards scored
//! likelihood × severity into the agency's bands, control measures, review
//! dates, a new version for each review) and the controls the rota obeys.

pub mod activities;
pub mod assessments;
pub mod controls;
pub mod monitor;
pub mod reach;
pub mod scoring;
pub mod settings;
pub mod subject;
pub mod watch;

pub use activities::{activity_risks, ActivityRisk};
pub use assessments::{
    assessment_form, assessment_form_for, current_controls, save_assessment, subject_risk, AssessmentInput,
    CurrentControls, SubjectRisk,
};
pub use controls::{ControlFacts, ControlKind, Enforcement};
pub use reach::{visit_controls, VisitControl};
pub use scoring::{Band, Bands};
pub use subject::Subject;
