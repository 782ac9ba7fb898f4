//! The core's error type: a small set of variants a caller can act on.
//!
//! The shell turns every error into `{ code, message, details }` for the UI
//! (see [`ErrorPayload`]); `message` is written for a person, `details`
//! carries what a form needs to put each problem beside its field.

use serde::Serialize;
use ts_rs::TS;

/// One problem with one input field, named by its path in the form
/// (`postcode`, `skills[2].expires_on`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{entity} not found")]
    NotFound { entity: &'static str, id: String },

    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),

    #[error("{0}")]
    Conflict(String),

    /// Long work stopped part-way at the person's asking; the sentence says
    /// what was kept ("Import stopped: nothing was imported.").
    #[error("{0}")]
    Stopped(String),

    /// The rota rules refuse a change, or want a reason for it.
    #[error("{}", rules_summary(.0))]
    Rules(Vec<crate::rules::Finding>),

    #[error("You do not have permission to {0}")]
    PermissionDenied(String),

    /// Nobody is signed in, or the app locked itself after a time unused.
    #[error("Please sign in to carry on")]
    SignInNeeded,

    /// A sign-in refused: wrong name or password, or too many tries.
    #[error("{0}")]
    SignInRefused(String),

    #[error(
        "This database was written by a newer version of Caredesk (schema {found}; this app \
         understands up to {supported}). Update Caredesk before opening it; the file was not changed."
    )]
    NewerDatabase { found: i64, supported: i64 },

    #[error("Storage problem: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("File problem: {0}")]
    Io(#[from] std::io::Error),
}

/// The line shown above a form: the field's own sentence when there is one
/// (the field is marked beside it), never its path (`carer_id`), which
/// means nothing to the person.
fn invalid_summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        many => format!("Please check {} fields", many.len()),
    }
}

fn rules_summary(findings: &[crate::rules::Finding]) -> String {
    let blocks: Vec<&crate::rules::Sentence> =
        findings.iter().filter(|f| f.severity == crate::rules::Severity::Block).map(|f| &f.message).collect();
    let more = |n: usize| if n > 1 { format!(" (and {} more)", n - 1) } else { String::new() };
    match (blocks.first(), findings.first()) {
        (Some(first), _) => format!("Not allowed: {first}{}", more(blocks.len())),
        (None, Some(first)) => format!("Give a reason to go ahead: {}{}", first.message, more(findings.len())),
        (None, None) => "The rota rules refused this change".into(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable code the UI can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Invalid(_) => "invalid",
            Error::Conflict(_) => "conflict",
            Error::Stopped(_) => "stopped",
            Error::Rules(_) => "rule_violation",
            Error::PermissionDenied(_) => "permission_denied",
            Error::SignInNeeded => "sign_in_needed",
            Error::SignInRefused(_) => "sign_in_refused",
            Error::NewerDatabase { .. } => "newer_database",
            Error::Storage(_) | Error::Io(_) => "storage",
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound { entity, id: id.to_string() }
    }

    pub fn payload(&self) -> ErrorPayload {
        let details = match self {
            Error::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let findings = match self {
            Error::Rules(findings) => findings.clone(),
            _ => Vec::new(),
        };
        ErrorPayload { code: self.code().to_string(), message: self.to_string(), details, findings }
    }
}

/// What crosses into the UI when a command fails.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    pub details: Vec<FieldError>,
    /// With `rule_violation`: every rule finding, blocks and warnings.
    pub findings: Vec<crate::rules::Finding>,
}

/// Collects field problems while validating a form, so that the person sees
/// every problem at once rather than one per save.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `field` has a problem reported already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// `Ok(value)` when nothing was reported, otherwise every problem found.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, FieldError};

    fn field(field: &str, message: &str) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }

    #[test]
    fn a_form_refused_for_one_field_says_its_sentence_and_never_the_field_path() {
        let one = Error::Invalid(vec![field("carer_id", "Choose the carer")]);
        assert_eq!(one.to_string(), "Choose the carer");
        let two = Error::Invalid(vec![field("carer_id", "Choose the carer"), field("until", "Give the last day off")]);
        assert_eq!(two.to_string(), "Please check 2 fields");
    }
}
