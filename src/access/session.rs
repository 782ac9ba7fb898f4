//! Who is using a store right now, and the check every write passes:
//! signed in, not idle too long, and in a role that allows the operation.

use super::roles::{allows, Operation, Role};
use crate::error::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Session {
    pub user_id: Uuid,
    pub user_name: String,
    pub full_name: String,
    pub role: Role,
    /// After this many minutes without a command the app locks.
    pub idle_lock_minutes: u32,
    #[serde(skip)]
    #[ts(skip)]
    pub last_active: DateTime<Utc>,
}

impl Session {
    /// How changes are signed in the change log: "Jo Bloggs (jo)".
    pub fn actor(&self) -> String {
        format!("{} ({})", self.full_name, self.user_name)
    }
}

/// What a store lets its caller do.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// Nobody is signed in, or the app locked itself; `last_user` is who was.
    Locked {
        last_user: Option<String>,
    },
    /// Code in this process acting on its own account: tests, benchmarks,
    /// loading the demo agency on a first start. Never reachable from a command.
    Trusted {
        actor: String,
    },
    SignedIn(Session),
}

impl Access {
    /// Who changes are attributed to.
    pub fn actor(&self) -> String {
        match self {
            Access::Locked { .. } => "nobody signed in".into(),
            Access::Trusted { actor } => actor.clone(),
            Access::SignedIn(session) => session.actor(),
        }
    }

    /// Whether the role signed in (or code trusted on its own account) may
    /// carry out `op`; asks, without counting as activity.
    pub fn allows(&self, op: Operation) -> bool {
        match self {
            Access::Trusted { .. } => true,
            Access::SignedIn(session) => allows(session.role, op),
            Access::Locked { .. } => false,
        }
    }

    /// Whether `op` may go ahead now; a signed-in session that has been idle
    /// too long locks here and refuses.
    pub fn permit(&mut self, op: Operation, now: DateTime<Utc>) -> Result<()> {
        self.keep_alive(now)?;
        match self {
            Access::Trusted { .. } => Ok(()),
            Access::SignedIn(session) if allows(session.role, op) => Ok(()),
            Access::SignedIn(session) => Err(Error::PermissionDenied(format!(
                "{} (you are signed in as {})",
                op.label(),
                session.role.label().to_lowercase()
            ))),
            Access::Locked { .. } => Err(Error::SignInNeeded),
        }
    }

    /// Refuses when nobody is signed in; locks a session idle for longer than
    /// its limit; otherwise counts `now` as activity.
    pub fn keep_alive(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.lock_if_idle(now) {
            return Err(Error::SignInNeeded);
        }
        match self {
            Access::Trusted { .. } => Ok(()),
            Access::Locked { .. } => Err(Error::SignInNeeded),
            Access::SignedIn(session) => {
                session.last_active = session.last_active.max(now);
                Ok(())
            }
        }
    }

    /// Locks a session idle past its limit at `now`, without counting `now`
    /// as activity (the app asks this on a timer). Whether it locked.
    pub fn lock_if_idle(&mut self, now: DateTime<Utc>) -> bool {
        let Access::SignedIn(session) = self else { return false };
        if now - session.last_active <= Duration::minutes(i64::from(session.idle_lock_minutes)) {
            return false;
        }
        *self = Access::Locked { last_user: Some(session.user_name.clone()) };
        true
    }

    pub fn session(&self) -> Option<&Session> {
        match self {
            Access::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    /// Whether the current user's role allows `op` (trusted code may do anything).
    pub fn may(&self, op: Operation) -> bool {
        match self {
            Access::Trusted { .. } => true,
            Access::SignedIn(session) => allows(session.role, op),
            Access::Locked { .. } => false,
        }
    }
}
