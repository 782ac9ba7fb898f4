//! Who may do what: the four roles and the operations that change data,
//! as one table. Pure: the store asks [`allows`] before every write, so a
//! front end cannot get round it; the UI asks too, only to hide buttons.

use crate::people::common::text_enum;

text_enum!(
    /// A user's role. Every role can read everything it is shown; the role
    /// decides what it can change.
    Role {
        Coordinator = "coordinator": "Coordinator",
        OnCallManager = "on_call_manager": "On-call manager",
        RegisteredManager = "registered_manager": "Registered manager",
        ReadOnly = "read_only": "Read-only",
    }
);

text_enum!(
    /// Every kind of change the core makes. Each write names one; `label`
    /// completes "You do not have permission to …".
    Operation {
        EditPeople = "edit_people": "change carers', clients' or care packages' records",
        RollForward = "roll_forward": "roll the rota forward",
        EditVisits = "edit_visits": "change, cancel or reinstate visits",
        Allocate = "allocate": "allocate or unallocate carers",
        Publish = "publish": "publish the rota",
        TellPeople = "tell_people": "record that people were told of a change",
        Reallocate = "reallocate": "mark a carer off and reallocate their visits",
        LogCalls = "log_calls": "log on-call calls",
        EditOnCallRoster = "edit_on_call_roster": "change the on-call roster",
        CoverOnCall = "cover_on_call": "cover or swap on-call shifts",
        RecordIncidents = "record_incidents": "record or update incidents",
        ManageUsers = "manage_users": "add users or change their roles and passwords",
        ChangeSettings = "change_settings": "change the agency's settings",
        ChangeOwnPassword = "change_own_password": "change your own password",
        LoadDemo = "load_demo": "load a demo agency",
        RestoreBackup = "restore_backup": "restore a backup over the current data",
        ExportData = "export_data": "export people's data (all stores, or everything about one person)",
        HandOver = "hand_over": "give or acknowledge a handover",
        AssessRisk = "assess_risk": "record or review a risk assessment",
        OverrideBlock = "override_block": "go ahead, with a recorded reason, where a rota rule blocks",
    }
);

/// The permission table (docs/roles.md shows the same; a test compares them).
/// On-call managers see the rota and keep the night going: they allocate,
/// reallocate, log calls and record incidents, but cannot change settings,
/// people's records or the shape of the rota. Going past a rule that blocks
/// (a clash, an exclusion, a missing skill) is the registered manager's
/// call alone.
pub fn allows(role: Role, op: Operation) -> bool {
    use Operation::*;
    match role {
        Role::RegisteredManager => true,
        Role::Coordinator => {
            !matches!(op, ManageUsers | ChangeSettings | LoadDemo | RestoreBackup | ExportData | OverrideBlock)
        }
        Role::OnCallManager => {
            matches!(
                op,
                Allocate
                    | TellPeople
                    | Reallocate
                    | LogCalls
                    | CoverOnCall
                    | RecordIncidents
                    | HandOver
                    | ChangeOwnPassword
            )
        }
        Role::ReadOnly => op == ChangeOwnPassword,
    }
}

/// The operations a role may carry out, for the UI to hide the rest.
pub fn allowed_operations(role: Role) -> Vec<Operation> {
    Operation::ALL.iter().copied().filter(|op| allows(role, *op)).collect()
}
