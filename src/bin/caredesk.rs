//! The `caredesk` command line: the same core services as the app.
//!
//! caredesk demo --size small|large|huge --seed 7 --db FILE
//! caredesk roll-forward --db FILE --from YYYY-MM-DD --to YYYY-MM-DD

use caredesk::demo::{self, Size};
use caredesk::Store;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

/// Who CLI changes are attributed to until sign-in exists.
fn actor() -> String {
    format!("{} (command line)", caredesk::app::local_actor())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { size, seed, db } => match Size::parse(&size) {
            None => Err(format!("--size must be small, large or huge, not {size:?}")),
            Some(size) => run_demo(size, seed, &db).map_err(|e| e.to_string()),
        },
        Command::RollForward { db, from, to } => run_roll_forward(&db, from, to).map_err(|e| e.to_string()),
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

fn run_demo(size: Size, seed: u64, db: &std::path::Path) -> caredesk::Result<String> {
    let mut store = Store::open(db, &actor())?;
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
    let mut store = Store::open(db, &actor())?;
    let summary = caredesk::rota::roll_forward(&mut store, from, to, &mut |done, total| {
        eprint!("\rRolling forward: {done} of {total} days");
    })?;
    eprintln!();
    let mut report = format!(
        "{} visits created, {} updated, {} unchanged, {} removed, {} edited by hand left alone",
        summary.created, summary.updated, summary.unchanged, summary.removed, summary.kept_hand_edited
    );
    for note in &summary.time_notes {
        report.push_str(&format!("\nClock change: {note}"));
    }
    Ok(report)
}
