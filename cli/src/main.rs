//! `circ`, the command-line front end: reads files, calls circ-core, prints or writes the result.
//!
//! The arguments are parsed in two levels (as ripgrep does): clap structs here, turned into core
//! calls by `commands`. Nothing here computes a number.
//!
//! Exit codes: 0 success; 1 bad input (an invalid model, an unreadable file, an unknown data
//! set); 2 an internal error.

mod args;
mod commands;
mod io;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
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
