//! `goalsheet convert` (being written).

use super::{Global, Outcome};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _global: &Global) -> Outcome {
    Outcome::Failed
}
