//! One module per subcommand: its arguments and what it does.

pub mod eval;
pub mod films;
pub mod ratings_report;
pub mod train;
