//! The `planalign` binary: parses arguments and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    planalign::cli::run(planalign::cli::Cli::parse())
}
