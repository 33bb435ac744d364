//! Conversions between the model and JSON / CSV.

pub mod csv;
pub mod json;
