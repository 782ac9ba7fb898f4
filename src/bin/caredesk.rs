//! The `caredesk` command line: the same core services as the app.
//!
//! caredesk demo --size small|large|huge --seed 7 --db FILE
//! caredesk roll-forward --db FILE --from YYYY-MM-DD --to YYYY-MM-DD
//! caredesk schedule --instance FILE --seconds N --seed S --out SOLUTION
//! caredesk evaluate INSTANCE SOLUTION
//!
//! Every command signs in: the user name and password come from
//! `CAREDESK_USER` and `CAREDESK_PASSWORD`, or are asked for (the password
//! without echo); never from an argument, which other users could see.
//! `demo` makes the first registered manager from the same.

use caredesk::access::{vault, Role, UserInput};
use caredesk::demo::{self, Size};
use caredesk::schedule::{files, Options};
use caredesk::Store;
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "caredesk", about = "Caredesk, offline-first home-care rostering: command-line tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a demo agency (around Shrewsbury) in a new database file.
    Demo {
        /// small (30 carers, 80 clients), large (300, 1,000) or huge (1,500, 5,000)
        #[arg(long, default_value = "small")]
        size: String,
        /// The same seed (and date) always gives the same agency.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The database file to create; it must not hold people already.
        #[arg(long)]
        db: PathBuf,
    },
    /// Generate the visits of the care packages for a range of dates (Europe/London).
    RollForward {
        #[arg(long)]
        db: PathBuf,
        /// First date, YYYY-MM-DD.
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last date, YYYY-MM-DD (at most a year on).
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Print run sheets (one carer per A4 page) for a day or a week to a PDF.
    Runsheets {
        #[arg(long)]
        db: PathBuf,
        /// The first day, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// 1 for the day, up to 7 for a week.
        #[arg(long, default_value_t = 1)]
        days: u32,
        #[arg(long)]
        pdf: PathBuf,
    },
    /// Print the handover sheet for a moment (office to on call in the
    /// afternoon and evening, on call to office in the morning) to a PDF.
    Handover {
        #[arg(long)]
        db: PathBuf,
        /// "YYYY-MM-DD HH:MM", Europe/London.
        #[arg(long)]
        at: String,
        #[arg(long)]
        pdf: PathBuf,
    },
    /// Print the emergency pack (the next 36 hours) to a PDF.
    EmergencyPack {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        pdf: PathBuf,
    },
    /// Auto-schedule a benchmark instance (HHCRSP JSON or Solomon text) and
    /// write the best plan found in the same format.
    Schedule {
        #[arg(long)]
        instance: PathBuf,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a solution against its instance and print its cost.
    Evaluate { instance: PathBuf, solution: PathBuf },
}

/// The user name and password, from the environment or asked for.
fn credentials() -> caredesk::Result<(String, String)> {
    let user = match std::env::var("CAREDESK_USER") {
        Ok(user) if !user.trim().is_empty() => user,
        _ => {
            eprint!("Caredesk user name: ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_string()
        }
    };
    let password = match std::env::var("CAREDESK_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => rpassword::prompt_password(format!("Password for {user}: "))?,
    };
    Ok((user, password))
}

fn clock() -> Arc<dyn caredesk::clock::Clock> {
    Arc::new(caredesk::clock::SystemClock)
}

/// Opens the encrypted `db` by signing in.
fn open_signed_in(db: &std::path::Path) -> caredesk::Result<Store> {
    let (user, password) = credentials()?;
    Ok(vault::sign_in(db, &user, &password, clock())?.store)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { size, seed, db } => match Size::parse(&size) {
            None => Err(format!("--size must be small, large or huge, not {size:?}")),
            Some(size) => run_demo(size, seed, &db).map_err(|e| e.to_string()),
        },
        Command::RollForward { db, from, to } => run_roll_forward(&db, from, to).map_err(|e| e.to_string()),
        Command::Runsheets { db, date, days, pdf } => run_runsheets(&db, date, days, &pdf).map_err(|e| e.to_string()),
        Command::Handover { db, at, pdf } => run_handover(&db, &at, &pdf).map_err(|e| e.to_string()),
        Command::EmergencyPack { db, pdf } => run_emergency_pack(&db, &pdf).map_err(|e| e.to_string()),
        Command::Schedule { instance, seconds, seed, out } => run_schedule(&instance, seconds, seed, &out),
        Command::Evaluate { instance, solution } => files::evaluate_files(&instance, &solution).and_then(|e| {
            let line = files::describe(&e);
            if e.feasible() {
                Ok(line)
            } else {
                Err(line)
            }
        }),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("caredesk: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A new file gets its first registered manager from the credentials (and
/// the recovery key is printed once); a file with users is signed in to.
fn run_demo(size: Size, seed: u64, db: &std::path::Path) -> caredesk::Result<String> {
    let (user, password) = credentials()?;
    if vault::needs_first_user(db)? {
        if db.exists() {
            let taken = format!("{} exists and has no users: choose a new file for the demo", db.display());
            return Err(caredesk::Error::Conflict(taken));
        }
        let first = UserInput {
            full_name: std::env::var("CAREDESK_FULL_NAME").unwrap_or_else(|_| user.clone()),
            user_name: user,
            role: Some(Role::RegisteredManager),
            active: true,
            password: password.clone(),
            password_again: password,
            id: None,
        };
        let mut made = None;
        let opened = vault::create_agency(db, &first, clock(), |store| {
            let agency = demo::generate(size, seed, store.today());
            demo::load(store, &agency)?;
            made = Some((agency.carers.len(), agency.clients.len(), agency.packages.len()));
            Ok(())
        })?;
        let (carers, clients, packages) = made.unwrap_or_default();
        return Ok(format!(
            "Created {carers} carers, {clients} clients and {packages} care packages in {} (encrypted)\n\
             The agency's recovery key, shown only now: {}\nWrite it down and keep it somewhere safe.",
            db.display(),
            opened.recovery_key.unwrap_or_default()
        ));
    }
    let mut store = vault::sign_in(db, &user, &password, clock())?.store;
    let agency = demo::generate(size, seed, store.today());
    demo::load(&mut store, &agency)?;
    Ok(format!(
        "Created {} carers, {} clients and {} care packages in {}",
        agency.carers.len(),
        agency.clients.len(),
        agency.packages.len(),
        db.display()
    ))
}

fn run_roll_forward(db: &std::path::Path, from: chrono::NaiveDate, to: chrono::NaiveDate) -> caredesk::Result<String> {
    if !db.exists() {
        let missing = format!("{} does not exist (create one with `caredesk demo`)", db.display());
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, missing).into());
    }
    let mut store = open_signed_in(db)?;
    // On a terminal one line, written over as the roll goes; into a file
    // (the benches' logs) a hundred lines a pass would only clutter it, and
    // the summary below says what was done.
    let terminal = std::io::stderr().is_terminal();
    let summary = caredesk::rota::roll_forward(&mut store, from, to, &mut |progress| {
        if terminal {
            eprint!("\r{}\x1b[K", progress.said);
        }
    })?;
    if terminal {
        eprintln!();
    }
    let mut report = format!(
        "{} visits created, {} updated, {} unchanged, {} removed, {} edited by hand left alone, \
         {} already begun left as they happened",
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.removed,
        summary.kept_hand_edited,
        summary.kept_begun
    );
    for note in &summary.time_notes {
        report.push_str(&format!("\nClock change: {note}"));
    }
    Ok(report)
}

/// Writes `doc` to `pdf` and says what was written.
fn write_document(doc: &caredesk::documents::Document, pdf: &std::path::Path) -> caredesk::Result<String> {
    let pages = caredesk::documents::write_pdf(doc, pdf)?;
    Ok(format!(
        "{} for {}: {} part(s), {pages} page(s), written to {}",
        doc.kind,
        doc.title,
        doc.parts.len(),
        pdf.display()
    ))
}

fn run_runsheets(
    db: &std::path::Path,
    date: chrono::NaiveDate,
    days: u32,
    pdf: &std::path::Path,
) -> caredesk::Result<String> {
    let store = open_signed_in(db)?;
    let doc = caredesk::documents::service::run_sheets_for(&store, date, days, None)?;
    write_document(&doc, pdf)
}

fn run_handover(db: &std::path::Path, at: &str, pdf: &std::path::Path) -> caredesk::Result<String> {
    let at = caredesk::documents::facts::parse_london_moment(at)?;
    let store = open_signed_in(db)?;
    let direction = caredesk::documents::handover::Direction::usual_at(at);
    let doc = caredesk::documents::handovers::handover_sheet_at(&store, direction, at)?;
    write_document(&doc, pdf)
}

fn run_emergency_pack(db: &std::path::Path, pdf: &std::path::Path) -> caredesk::Result<String> {
    let store = open_signed_in(db)?;
    let doc = caredesk::documents::service::emergency_pack_from(&store, store.now())?;
    write_document(&doc, pdf)
}

/// Solves the instance, printing each better plan as it is found.
fn run_schedule(instance: &std::path::Path, seconds: f64, seed: u64, out: &std::path::Path) -> Result<String, String> {
    let options = Options { seconds, seed, max_steps: None };
    let mut report = |p: &caredesk::schedule::Progress| {
        eprintln!(
            "{:>7.2} s  step {:>7}  cost {:.3}{}",
            p.seconds,
            p.steps,
            p.cost,
            match p.undone {
                0 => String::new(),
                n => format!("  ({n} tasks undone)"),
            }
        );
    };
    let (_, outcome) = files::schedule_file(instance, options, out, &mut report)?;
    Ok(format!("{} steps; {}; written to {}", outcome.steps, files::describe(&outcome.evaluation), out.display()))
}
