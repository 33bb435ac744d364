//! goalsheet: check, fix, merge and convert 組織目標管理シート, the organizational goal
//! management sheets of Japanese cities.
//!
//! Data flows one way: [`read`] (workbooks, CSV, JSON) → [`model`] → [`rules`] → [`finding`]s →
//! [`render`]; or model → [`fix`] → [`mod@write`]. The official layout lives in [`layout`] and is
//! used by both reader and writer; each value grammar (quantity, era date, grade, fiscal year)
//! is parsed in one place, [`grammar`].
//!
//! The library never prints: it returns documents, findings and bytes, and the binary decides
//! what to show.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod address;
pub mod convert;
pub mod error;
pub mod finding;
pub mod fix;
pub mod flat;
pub mod grammar;
pub mod lang;
pub mod layout;
pub mod merge;
pub mod model;
pub mod next_year;
pub mod numfmt;
pub mod read;
pub mod render;
pub mod rules;
pub mod write;

pub use error::{Error, ErrorKind, Result};
pub use lang::{Lang, Msg};
pub use model::{Document, Entry, Field, Indicator, Sheet};
