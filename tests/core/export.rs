//! Exports: every store as CSV with formulas made harmless and password
//! hashes withheld; a subject-access export holding one person's records
//! and nobody else's; both for the registered manager only.

use crate::support::{self, carer_form, client_form, count};
use caredesk::access::{create_first_user, save_user, sign_in, sign_out, Role};
use caredesk::export::{export_all, subject_access, Subject};
use caredesk::people::{save_carer, save_client};
use caredesk::Error;

fn read(folder: &str, file: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(folder).join(file)).unwrap()
}

#[test]
fn every_store_is_exported_with_formulas_shown_as_text_and_no_password_hash() {
    let (mut store, _) = support::store();
    let hostile =
        caredesk::people::ClientInput { given_name: "=CMD()".into(), family_name: "Smith, Jr".into(), ..client_form() };
    save_client(&mut store, &hostile).unwrap();
    let manager = support::user("sam", "Sam", Role::RegisteredManager);
    create_first_user(&mut store, &manager).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = export_all(&mut store, out.path()).unwrap();
    let clients = read(&summary.folder, "clients.csv");
    assert!(clients.contains("'=CMD()"), "the formula is shown as text: {clients}");
    assert!(clients.contains("\"Smith, Jr\""), "a comma is quoted");
    let users = read(&summary.folder, "users.csv");
    assert!(users.contains("(not exported)") && !users.contains("$argon2id$"), "no password hash: {users}");
    let names: Vec<&str> = summary.files.iter().map(|f| f.name.as_str()).collect();
    for table in ["carers.csv", "visits.csv", "change_log.csv", "incidents.csv", "on_call_calls.csv"] {
        assert!(names.contains(&table), "{table} is exported: {names:?}");
    }
    let rows = summary.files.iter().find(|f| f.name == "clients.csv").unwrap().rows;
    assert_eq!(rows as i64, count(&store, "SELECT count(*) FROM clients"));
}

#[test]
fn a_subject_access_export_holds_the_persons_records_and_history_and_nobody_elses() {
    let (mut store, _) = support::store();
    let margaret = save_client(&mut store, &client_form()).unwrap();
    let other = caredesk::people::ClientInput {
        given_name: "Winifred".into(),
        family_name: "Otherperson".into(),
        ..client_form()
    };
    save_client(&mut store, &other).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = subject_access(&mut store, Subject::Client(margaret), out.path()).unwrap();
    let doc = read(&summary.folder, "subject-access.html");
    assert!(doc.contains("Everything Caredesk holds about Margaret Onions (client)"));
    assert!(doc.contains("Key safe left of the door"), "the access notes are there");
    assert!(!doc.contains("Otherperson"), "nobody else's record is");
    let log = read(&summary.folder, "change_log.csv");
    assert!(log.contains(support::COORDINATOR) && log.contains("insert"), "the history of the record: {log}");
    assert_eq!(summary.files[0].name, "subject-access.html");
}

#[test]
fn a_carers_export_has_their_skills_and_nobody_elses() {
    let (mut store, _) = support::store();
    let sarah = save_carer(&mut store, &carer_form()).unwrap();
    let other =
        caredesk::people::CarerInput { given_name: "Otto".into(), family_name: "Elsewhere".into(), ..carer_form() };
    save_carer(&mut store, &other).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = subject_access(&mut store, Subject::Carer(sarah), out.path()).unwrap();
    let skills = read(&summary.folder, "carer_skills.csv");
    assert_eq!(skills.lines().count(), 3, "a header and Sarah's two skills: {skills}");
    assert!(!read(&summary.folder, "subject-access.html").contains("Elsewhere"));
}

#[test]
fn only_a_registered_manager_exports_peoples_data() {
    let (mut store, _) = support::store();
    let user = |name: &str, role| support::user(name, name, role);
    create_first_user(&mut store, &user("sam", Role::RegisteredManager)).unwrap();
    save_user(&mut store, &user("jo", Role::Coordinator)).unwrap();
    sign_out(&mut store);
    sign_in(&mut store, "jo", support::PASSWORD).unwrap();
    let out = tempfile::tempdir().unwrap();
    assert!(matches!(export_all(&mut store, out.path()), Err(Error::PermissionDenied(_))));
    let id = uuid::Uuid::nil();
    assert!(matches!(subject_access(&mut store, Subject::Client(id), out.path()), Err(Error::PermissionDenied(_))));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing was written");
}
