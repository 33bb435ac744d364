//! The value grammars of the sheet, each parsed in exactly one place.
//!
//! - [`quantity`]: targets and results (`1,700件`, `4.6以上`, `△0.52%\n(R6:87.63%)`, `推進`).
//! - [`date`]: 作成日 / 評価日 (`R6.5.15`, `令和6年5月15日`, `2024/5/15`, Excel date cells).
//! - [`year`]: fiscal years (`令和6年度`, `R7`, `2025`) and the `Ｒ６目標` table headers.
//! - [`grade`]: 評価 (○ △ × and the variants people type).

pub mod date;
pub mod grade;
pub mod quantity;
pub mod year;
