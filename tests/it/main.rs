//! Every integration test in one binary (as ripgrep does): one link after a library change
//! instead of one per test file. Each module is one area; `common` and `gen` are shared helpers.

#![allow(dead_code)]

mod common;
#[path = "../../examples/support/corpus.rs"]
mod corpus;
mod gen;

mod batch_cli;
mod check_cli;
mod check_props;
mod check_render;
mod check_seed;
mod convert_cli;
mod convert_roundtrip;
mod fix_cli;
mod fix_files;
mod fix_inputs;
mod fix_patch;
mod fix_patch_soffice;
mod fix_workbook;
mod grammar_props;
mod hostile_corpus;
mod hostile_regressions;
mod layout_invariants;
mod layout_versions;
mod merge_cli;
mod merge_department;
mod merge_files;
mod next_year;
mod props_convert;
mod props_fix;
mod props_merge;
mod read_drift;
mod read_formats;
mod read_hostile;
mod read_looks;
mod read_numfmt;
mod read_quadratic;
mod read_samples;
mod read_xls;
mod read_xlsx_fast;
mod robust_inputs;
mod robust_messages;
mod robust_output;
mod robust_process;
mod samples;
mod template;
mod write_typed;
