//! The `latchkey` binary: parse the command line, then either serve (config → telemetry →
//! Application → run) or run one admin task.

use std::process::ExitCode;

use clap::Parser;
use latchkey::server::cli::{run_admin, Cli, Command};
use latchkey::server::config::Config;
use latchkey::server::startup::Application;
use latchkey::server::telemetry::init_telemetry;
use leptos::config::get_configuration;

/// mimalloc instead of the system allocator. Every request allocates and frees many small
/// objects across the runtime's threads; glibc's malloc spent ~12 % of the server's samples
/// doing so under the refresh load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_telemetry();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        admin => match run_admin(admin, &config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
    }
}

async fn serve(config: Config) -> ExitCode {
    let leptos_options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
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
