//! The `goalsheet` binary: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes: 0 clean, 1 findings (at error level, or warnings with `--deny warnings`),
//! 2 the tool could not do its job for at least one input.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
