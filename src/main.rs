//! The `latchkey` binary: read `.env`, parse the command line (every option is also an
//! environment variable), then either serve (telemetry → Application → run) or run one admin
//! task.

use std::process::ExitCode;

use clap::Parser;
use latchkey::server::cli::{run_admin, Cli, Command};
use latchkey::server::config::Config;
use latchkey::server::startup::Application;
use latchkey::server::telemetry::init_telemetry;

/// mimalloc instead of the system allocator: every request allocates and frees many small
/// objects across the runtime's threads, and glibc's malloc spent ~12 % of the server's samples
/// doing so under the refresh load (BENCHMARKS.md, session 5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    if let Err(e) = cli.config.validate() {
        e.exit();
    }
    init_telemetry();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        admin => match run_admin(admin, &cli.config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
    }
}

async fn serve(config: Config) -> ExitCode {
    let leptos_options = match latchkey::server::startup::leptos_options() {
        Ok(options) => options,
        Err(e) => return fail(&e),
    };
    let app = match Application::build(config, leptos_options).await {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    tracing::info!("Latchkey listening on http://{}", app.local_addr());
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("latchkey: {error}");
    ExitCode::FAILURE
}
