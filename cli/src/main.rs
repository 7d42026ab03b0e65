//! `circ`, the command-line front end: reads files, calls circ-core, prints or writes the result.
//!
//! The arguments are parsed in two levels (as ripgrep does): clap structs here, turned into core
//! calls by `commands`. Nothing here computes a number.
//!
//! Exit codes: 0 success; 1 bad input (an invalid model, an unreadable file, an unknown data
//! set, bad arguments); 2 an internal error.

mod args;
mod commands;
mod io;
mod scenario;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    // Bad arguments are bad input (exit 1), not clap's default 2, which circ keeps for its own
    // internal errors; --help and --version print and exit 0.
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::from(e.use_stderr()));
        }
    };
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = match err.downcast_ref::<commands::BadInput>() {
                Some(_) => 1,
                None => 2,
            };
            eprintln!("{}", commands::render_error(&err));
            ExitCode::from(code)
        }
    }
}
