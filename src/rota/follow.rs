//! A change to a client or a care package reaching the visits already made.
//!
//! The rota is rolled forward weeks ahead. Without this, a package added,
//! changed or removed, or a client gone into hospital, would change nothing
//! until the next roll forward: a new client's calls would not be on the
//! board, and carers would go on calling at an empty house. Saving the change
//! brings that client's visits, from now to the last day made, into line with
//! their packages in the same transaction, as a roll forward would: visits
//! edited by hand are kept, what has already begun is left as it was, days
//! never rolled forward are left for a roll, and on published days the
//! people a change reaches are to be told.

use super::made_ahead::{last_made, long_day, rolled, rolled_runs};
use super::plan::london_date;
use super::roll_forward::{load_packages, roll_days, Days, RollSummary};
use crate::access::Operation;
use crate::error::Result;
use crate::people::client_service::{
    client_records, load_client, load_package, package_of, tombstone_package, write_client, write_package,
};
use crate::people::{ClientInput, PackageInput};
use crate::store::{Changes, SqlField, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// A client or package saved, and what it did to the visits already made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Followed {
    /// The client or package saved.
    pub id: Uuid,
    pub visits: RollSummary,
    /// Changes on published days, each now on the rota's "To tell" list.
    pub to_tell: u32,
    /// What happened to the visits, for the page saved to; empty when
    /// nothing did.
    pub said: String,
}

/// Saves a care package; the client's visits already made follow it.
pub fn save_package(store: &mut Store, input: &PackageInput) -> Result<Followed> {
    let package = package_of(store.read(), input)?;
    follow(store, package.client_id, true, |changes| write_package(changes, input.id, &package))
}

/// Removes a care package; its visits from now on go with it, but for
/// those edited by hand.
pub fn delete_package(store: &mut Store, id: Uuid) -> Result<Followed> {
    let client = load_package(store.read(), id)?.client_id;
    follow(store, client, true, |changes| tombstone_package(changes, id).map(|_| id))
}

/// Saves a client; their visits follow a change of status (in hospital,
/// suspended, ended, back from hospital) or of the dates it runs.
pub fn save_client(store: &mut Store, input: &ClientInput) -> Result<Followed> {
    let records = client_records(store, input)?;
    follow(store, records.client.id, false, |changes| write_client(changes, input.id, &records))
}

fn follow(
    store: &mut Store,
    client: Uuid,
    package: bool,
    write: impl FnOnce(&mut Changes) -> Result<Uuid>,
) -> Result<Followed> {
    store.write(Operation::EditPeople, |changes| {
        let id = write(changes)?;
        let Reached { visits, to_tell, said } = reach(changes, &[client], package, &mut |_, _| Ok(()))?;
        Ok(Followed { id, visits, to_tell, said })
    })
}

/// What a change did to the visits already made.
pub(crate) struct Reached {
    pub visits: RollSummary,
    pub to_tell: u32,
    pub said: String,
}

/// Brings `clients`' visits, from now to the last day made, into line with
/// their care packages, in the transaction of `changes` (whose time is
/// now); `package` when a package changed (see [`said`]). `progress` hears
/// each client done, of how many, and may stop the work with an error.
pub(crate) fn reach(
    changes: &mut Changes,
    clients: &[Uuid],
    package: bool,
    progress: &mut dyn FnMut(u32, u32) -> Result<()>,
) -> Result<Reached> {
    let now = changes.at();
    let today = london_date(now);
    let mut visits = RollSummary::default();
    let Some(through) = last_made(changes.read())?.filter(|through| *through >= today) else {
        return Ok(Reached { visits, to_tell: 0, said: String::new() });
    };
    // Not into days never rolled: they are said to have no visits, and a
    // roll over them makes every client's at once.
    let runs = rolled_runs(rolled(changes.read(), today)?.as_ref(), today, through);
    // Client by client, each by their own index: new clients (an import)
    // have no visits to read, and a whole book of existing ones reads no
    // more rows than one pass over every client's days would.
    for (n, &client) in clients.iter().enumerate() {
        progress(n as u32 + 1, clients.len() as u32)?;
        let packages = load_packages(changes.read(), today, through, Some(client))?;
        let one = HashMap::from([(client, load_client(changes.read(), client)?.client)]);
        for &(from, to) in &runs {
            let days = Days { from, to, client: Some(client), now, make_past: false };
            roll_days(changes, &days, &packages, &one, &mut visits, &mut |_| {})?;
        }
    }
    // Each change to tell made in this write bears its time.
    let to_tell = changes.read().query_row(
        "SELECT count(*) FROM to_tell WHERE told_at IS NULL AND deleted_at IS NULL AND changed_at = ?1",
        [now.to_value()],
        |r| r.get(0),
    )?;
    let said = said(&visits, through, package, to_tell);
    Ok(Reached { visits, to_tell, said })
}

/// "The rota already made up to Sun 27 Dec 2026 follows the change: 3
/// visits added, 2 removed." Visits kept as edited by hand are said when
/// something else changed, or a package was saved (whose change they do not
/// take). Pure.
fn said(visits: &RollSummary, through: NaiveDate, package: bool, to_tell: u32) -> String {
    let counts = [(visits.created, "added"), (visits.updated, "changed"), (visits.removed, "removed")];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .enumerate()
        .map(|(i, (n, what))| match (i, n) {
            (0, 1) => format!("1 visit {what}"),
            (0, n) => format!("{} visits {what}", figure(*n)),
            (_, n) => format!("{} {what}", figure(*n)),
        })
        .collect();
    let kept = match visits.kept_hand_edited {
        0 => "",
        1 => "edited by hand is kept as it was",
        _ => "edited by hand are kept as they were",
    };
    let (n, rota) = (visits.kept_hand_edited, format!("The rota already made up to {}", long_day(through)));
    let mut said = match (parts.is_empty(), kept.is_empty()) {
        (false, true) => format!("{rota} follows the change: {}.", parts.join(", ")),
        (false, false) => format!("{rota} follows the change: {}; {} {kept}.", parts.join(", "), figure(n)),
        (true, false) if package => {
            format!("{rota} is unchanged: {} visit{} {kept}.", figure(n), if n == 1 { "" } else { "s" })
        }
        _ => return String::new(),
    };
    match to_tell {
        0 => {}
        1 => said.push_str(" On days already published: 1 change to tell people about, on the To tell list."),
        n => said.push_str(&format!(
            " On days already published: {} changes to tell people about, on the To tell list.",
            figure(n)
        )),
    }
    // A clock change's note, only beside visits the change wrote.
    for note in &visits.time_notes {
        said.push(' ');
        said.push_str(note);
    }
    said
}

/// Whether a bar should hear of step `done` of `total`: the first, the
/// last and every hundredth part between, so it moves smoothly without a
/// message per line or choice. Pure.
pub fn worth_telling(done: u32, total: u32) -> bool {
    done == 1 || done == total || done % (total / 100).max(1) == 0
}

/// "30,000": an import's count read at a glance. Pure.
pub fn figure(n: u32) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::{figure, said, RollSummary};
    use chrono::NaiveDate;

    fn summary(created: u32, updated: u32, removed: u32, kept_hand_edited: u32) -> RollSummary {
        RollSummary { created, updated, removed, kept_hand_edited, ..RollSummary::default() }
    }

    #[test]
    fn what_a_change_did_to_the_visits_made_is_said_with_the_last_day_made() {
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        assert_eq!(
            said(&summary(3, 0, 2, 0), sunday, true, 0),
            "The rota already made up to Sun 27 Dec 2026 follows the change: 3 visits added, 2 removed."
        );
        assert_eq!(
            said(&summary(0, 1, 0, 1), sunday, true, 0),
            "The rota already made up to Sun 27 Dec 2026 follows the change: 1 visit changed; 1 edited by hand is kept as it was."
        );
        assert_eq!(
            said(&summary(0, 0, 0, 2), sunday, true, 0),
            "The rota already made up to Sun 27 Dec 2026 is unchanged: 2 visits edited by hand are kept as they were."
        );
    }

    #[test]
    fn changes_on_published_days_are_said_to_be_on_the_to_tell_list() {
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        assert_eq!(
            said(&summary(0, 5, 0, 0), sunday, true, 3),
            "The rota already made up to Sun 27 Dec 2026 follows the change: 5 visits changed. \
             On days already published: 3 changes to tell people about, on the To tell list."
        );
    }

    #[test]
    fn an_imports_thousands_of_visits_are_counted_with_commas() {
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        assert_eq!(
            said(&summary(30_000, 1_250, 0, 0), sunday, true, 0),
            "The rota already made up to Sun 27 Dec 2026 follows the change: 30,000 visits added, 1,250 changed."
        );
        assert_eq!((figure(999), figure(1_000), figure(1_234_567)), ("999".into(), "1,000".into(), "1,234,567".into()));
    }

    #[test]
    fn a_client_saved_without_a_change_to_their_visits_says_nothing_of_them() {
        let sunday = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        assert_eq!(said(&summary(0, 0, 0, 0), sunday, false, 0), "");
        assert_eq!(said(&summary(0, 0, 0, 1), sunday, false, 0), "", "a cancelled visit is no news on a new address");
    }
}
