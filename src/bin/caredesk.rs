//! The `caredesk` command line: the same core services as the app.
//!
//! caredesk demo --size small|large|huge --seed 7 --db FILE

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
