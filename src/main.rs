//! The `latchkey` server binary: configuration → telemetry → Application → serve.

use std::process::ExitCode;

use latchkey::server::config::Config;
use latchkey::server::startup::Application;
use latchkey::server::telemetry::init_telemetry;
use leptos::config::get_configuration;

#[tokio::main]
async fn main() -> ExitCode {
    init_telemetry();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
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
    tracing::error!("latchkey cannot start: {error}");
    eprintln!("latchkey: {error}");
    ExitCode::FAILURE
}
